package org.vitbench.reports;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.vitbench.api.Direction;

/** A fixed report model with placeholder provenance, shared by the report tests. */
final class Fixtures {

    private Fixtures() {
    }

    static ReportData report() {
        return report("attention-rollout");
    }

    /** The fixture with the first method's label replaced. */
    static ReportData report(String firstMethod) {
        Map<String, String> metadata = new LinkedHashMap<>();
        metadata.put("config hash", "0123456789abcdef");
        metadata.put("seed", "0");
        metadata.put("model", "embedded");
        metadata.put("dataset", "fashion-mnist-embedded");
        metadata.put("samples", "4");
        metadata.put("vitbench", "0.0.0-test");
        metadata.put("Java", "placeholder JVM");
        metadata.put("OS", "placeholder OS");
        metadata.put("CPU", "placeholder CPU");
        metadata.put("git commit", "placeholder");
        metadata.put("config", "model: embedded\ndataset: fashion-mnist-embedded\nlimit: 4\nseed: 0\n");
        String del = "deletion@vit-shapley{removal=attention-mask;}v1";
        String ins = "insertion@vit-shapley{removal=attention-mask;}v1";
        List<ReportData.Row> rows = ReportData.ranked(List.of(
                row(firstMethod, "deletion", del, "a1b2c3d4e5f60718", Direction.LOWER_IS_BETTER, 0.21, 0.18, 0.24, 4, 0),
                row(firstMethod, "insertion", ins, "0f1e2d3c4b5a6978", Direction.HIGHER_IS_BETTER, 0.62, 0.55, 0.7, 3, 1),
                row("random", "deletion", del, "a1b2c3d4e5f60718", Direction.LOWER_IS_BETTER, 0.4, 0.35, 0.45, 4, 0),
                row("random", "insertion", ins, "0f1e2d3c4b5a6978", Direction.HIGHER_IS_BETTER, 0.41, 0.36, 0.47, 4, 0),
                row("kernel-shap:budget=64", "deletion", del, "a1b2c3d4e5f60718", Direction.LOWER_IS_BETTER,
                        Double.NaN, Double.NaN, Double.NaN, 0, 4)));
        double[] x = {0, 0.25, 0.5, 0.75, 1};
        List<ReportData.Curve> curves = List.of(
                new ReportData.Curve(firstMethod, "deletion", x, new double[] {0.9, 0.3, 0.15, 0.1, 0.1},
                        new double[] {0.85, 0.25, 0.1, 0.06, 0.05}, new double[] {0.95, 0.35, 0.2, 0.14, 0.15}, 4),
                new ReportData.Curve("random", "deletion", x, new double[] {0.9, 0.6, 0.4, 0.2, 0.1},
                        new double[] {0.85, 0.52, 0.33, 0.15, 0.05}, new double[] {0.95, 0.68, 0.47, 0.25, 0.15}, 4));
        List<ReportData.Failure> failures = List.of(
                new ReportData.Failure(firstMethod, "insertion", 1, "non-finite heatmap: patch 3 = NaN", "test-0002"),
                new ReportData.Failure("kernel-shap:budget=64", "deletion", 4,
                        "IllegalStateException: out of memory & <time>", "test-0000"));
        List<ReportData.Timing> timings = List.of(
                new ReportData.Timing(firstMethod, "explain", 0.0123, 0.001, 4),
                new ReportData.Timing("random", "explain", 0.0000456, 0.00001, 4),
                new ReportData.Timing("deletion", "metric", 0.5, 0.05, 8));
        return new ReportData("vitbench report", metadata, rows, curves, failures, timings);
    }

    private static ReportData.Row row(String method, String metric, String spec, String hash, Direction d,
            double mean, double low, double high, int n, int failed) {
        return new ReportData.Row(method, metric, spec, hash, d, mean, low, high, n, failed, 0);
    }

    /** The 23 method names and families of the default run. */
    static final List<String[]> DEFAULT_METHODS = List.of(new String[] {"attention-rollout", "attention"},
            new String[] {"cdam", "gradient"}, new String[] {"generic-attention", "propagation"},
            new String[] {"gradcam", "gradient"}, new String[] {"gradcam-attn", "gradient"},
            new String[] {"gradient-input", "gradient"}, new String[] {"hsic", "perturbation"},
            new String[] {"integrated-gradients", "gradient"}, new String[] {"kernel-shap", "shapley"},
            new String[] {"leave-one-out", "perturbation"}, new String[] {"legrad", "gradient"},
            new String[] {"lime", "perturbation"}, new String[] {"lrp", "propagation"},
            new String[] {"occlusion", "perturbation"}, new String[] {"random", "baseline"},
            new String[] {"raw-attention", "attention"}, new String[] {"rise", "perturbation"},
            new String[] {"saliency", "gradient"}, new String[] {"smoothgrad", "gradient"},
            new String[] {"sobol", "perturbation"}, new String[] {"tam", "perturbation"},
            new String[] {"transformer-attribution", "propagation"}, new String[] {"vit-shapley", "shapley"});

    /**
     * A report the size of the default run: 23 methods x 8 metrics with intervals, tests against
     * the best, families and average ranks, and a curve per method for two metrics.
     */
    static ReportData large() {
        String[] metrics = {"complexity", "deletion", "faithfulness", "insertion", "sensitivity-n",
            "shapley-correlation", "shapley-error", "sparseness"};
        List<ReportData.Row> rows = new java.util.ArrayList<>();
        List<ReportData.Curve> curves = new java.util.ArrayList<>();
        Map<String, String> families = new LinkedHashMap<>();
        java.util.SplittableRandom random = new java.util.SplittableRandom(7);
        double[] x = {0, 0.25, 0.5, 0.75, 1};
        for (String[] m : DEFAULT_METHODS) {
            families.put(m[0], m[1]);
            for (int k = 0; k < metrics.length; k++) {
                Direction d = k % 2 == 0 ? Direction.LOWER_IS_BETTER : Direction.HIGHER_IS_BETTER;
                double mean = -0.9 + 4.5 * random.nextDouble();
                rows.add(new ReportData.Row(m[0], metrics[k], metrics[k] + "@default{}v1",
                        String.format(java.util.Locale.ROOT, "%016x", (long) k * 0x1111111111111L), d, mean,
                        mean - 0.04, mean + 0.05, 100, 0, 0, 0.001, 0.5));
                if (k == 1 || k == 3) {
                    double[] y = {mean, mean * 0.8, mean * 0.6, mean * 0.4, mean * 0.2};
                    curves.add(new ReportData.Curve(m[0], metrics[k], x, y, y, y, 100));
                }
            }
        }
        List<ReportData.Row> ranked = ReportData.ranked(rows);
        List<String> methods = DEFAULT_METHODS.stream().map(m -> m[0]).toList();
        double[] average = new double[methods.size()];
        for (ReportData.Row r : ranked) {
            average[methods.indexOf(r.method())] += r.rank() / (double) metrics.length;
        }
        ReportData.Agreement agreement = new ReportData.Agreement(methods, List.of(metrics), average, 40, 1e-6, 6.9,
                0.2, 1e-3);
        return new ReportData("vitbench report", Map.of("samples", "100"), ranked, curves, List.of(), List.of())
                .withAgreement(agreement).withFamilies(families);
    }

    /** The page without the report's own inline script, which must be its only one. */
    static String withoutBoardScript(String html) {
        String own = "<script>" + Scripts.BOARD + "</script>";
        if (html.indexOf(own) != html.lastIndexOf(own)) {
            throw new AssertionError("the board script appears twice");
        }
        return html.replace(own, "");
    }
}
