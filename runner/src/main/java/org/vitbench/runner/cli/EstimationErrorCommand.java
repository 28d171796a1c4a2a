package org.vitbench.runner.cli;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.Callable;
import org.vitbench.api.AtomicFiles;
import org.vitbench.api.Averages;
import org.vitbench.api.Batches;
import org.vitbench.api.ConfigurationException;
import org.vitbench.api.Dataset;
import org.vitbench.api.Explainer;
import org.vitbench.api.Hashes;
import org.vitbench.api.MethodSpec;
import org.vitbench.api.Registry;
import org.vitbench.api.Removal;
import org.vitbench.api.Sample;
import org.vitbench.api.VitModel;
import org.vitbench.metrics.statistics.BootstrapCi;
import org.vitbench.models.masking.ShapleyRegression.Settings;
import org.vitbench.models.masking.ShapleyRegression.Variant;
import org.vitbench.runner.research.EstimationError;
import org.vitbench.runner.run.PluginSpec;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/**
 * {@code vitbench estimation-error}: the error of KernelSHAP at several budgets, and of any other
 * method, against ground-truth Shapley values (KernelSHAP run long), on the first samples of a
 * dataset. Resumable: per-sample results and ground truths are appended to JSON lines in the output
 * directory and a rerun with the same settings skips finished samples.
 */
@Command(name = "estimation-error", mixinStandardHelpOptions = true,
        description = "Error of Shapley estimates against ground truth (KernelSHAP run long): KernelSHAP at several"
                + " budgets and any --method, per image, then means with 95%% bootstrap CIs.")
public final class EstimationErrorCommand implements Callable<Integer> {

    private static final ObjectMapper JSON = new ObjectMapper();

    @ParentCommand
    Main main;

    @Spec
    CommandSpec spec;

    @Mixin
    ModelOption model;

    @Option(names = "--dataset", defaultValue = "fashion-mnist-embedded", description = "Dataset (default: ${DEFAULT-VALUE}).")
    String dataset;

    @Option(names = "--limit", defaultValue = "100", description = "Samples, the first N (default: ${DEFAULT-VALUE}).")
    int limit;

    @Option(names = "--budgets", split = ",", defaultValue = "256,512,1024,2048",
            description = "KernelSHAP budgets in evaluations per image (default: ${DEFAULT-VALUE}).")
    List<Integer> budgets;

    @Option(names = "--subsets", defaultValue = "32",
            description = "Paired subsets per KernelSHAP iteration, as kernel-shap's parameter (default: ${DEFAULT-VALUE}).")
    int subsets;

    @Option(names = "--truth-budget", defaultValue = "32768",
            description = "Evaluations per image of the ground-truth run (default: ${DEFAULT-VALUE}).")
    int truthBudget;

    @Option(names = "--truth-subsets", defaultValue = "512",
            description = "Paired subsets per iteration of the ground-truth run (default: ${DEFAULT-VALUE}).")
    int truthSubsets;

    @Option(names = "--truth-threshold", defaultValue = "0",
            description = "Stop the ground truth early when its std ratio falls below this; 0 runs the whole budget"
                    + " (default: ${DEFAULT-VALUE}).")
    double truthThreshold;

    @Option(names = "--removal", defaultValue = "token-drop",
            description = "How patches are removed: attention-mask, token-drop (equal for a CLS ViT, and cheaper),"
                    + " pixel-zero, pixel-mean, pixel-blur (default: ${DEFAULT-VALUE}).")
    String removal;

    @Option(names = "--method", paramLabel = "SPEC", description = "Another method to compare, e.g. leave-one-out (repeatable).")
    List<String> methods = new ArrayList<>();

    @Option(names = "--seed", defaultValue = "0", description = "Run seed (default: ${DEFAULT-VALUE}).")
    long seed;

    @Option(names = "--batch-size", defaultValue = "256", description = "Masked copies per forward (default: ${DEFAULT-VALUE}).")
    int batchSize;

    @Option(names = "--out", defaultValue = "vitbench-out/estimation-error", description = "Output directory (default: ${DEFAULT-VALUE}).")
    Path out;

    @Override
    public Integer call() throws IOException {
        Registry registry = main.registry();
        PrintWriter err = spec.commandLine().getErr();
        List<Integer> sorted = budgets.stream().sorted().distinct().toList();
        if (sorted.isEmpty() || sorted.get(0) < Settings.minimumBudget(subsets, true)) {
            throw new ConfigurationException("--budgets must hold budgets of at least "
                    + Settings.minimumBudget(subsets, true) + " evaluations for --subsets " + subsets + ", got " + budgets);
        }
        Removal removalKind = Removal.parse(removal);
        EstimationError.Plan plan = new EstimationError.Plan(removalKind,
                new Settings(truthSubsets, true, truthThreshold, 0, 5, truthBudget, Variant.KERNEL),
                new Settings(subsets, true, 0, 0, 5, sorted.get(sorted.size() - 1), Variant.KERNEL), sorted, batchSize);
        Map<String, Explainer> explainers = new LinkedHashMap<>();
        try {
            for (String spec : methods) {
                MethodSpec m = MethodSpec.parse(spec);
                explainers.put(spec, registry.explainer(m.methodId()).create(m.toParameters()));
            }
            String truthKey = hash(canonical(Map.of("model", model.text(), "dataset", dataset, "removal", removalKind.id(),
                    "truthBudget", truthBudget, "truthSubsets", truthSubsets, "truthThreshold", truthThreshold, "seed", seed)));
            Map<String, Object> runConfig = new TreeMap<>(Map.of("truth", truthKey, "budgets", sorted.toString(),
                    "subsets", subsets, "methods", explainers.values().stream().map(e -> e.info().id() + e.parameters().asMap()).toList().toString()));
            String runKey = hash(canonical(runConfig));
            Files.createDirectories(out);
            Path truthFile = out.resolve("truth.jsonl");
            Path samplesFile = out.resolve("samples.jsonl");
            Map<String, JsonNode> truths = read(truthFile, truthKey, "ground truth");
            Map<String, JsonNode> done = read(samplesFile, runKey, "results");
            long start = System.nanoTime();
            int computed = 0;
            int n;
            try (VitModel vit = model.load(registry);
                    NDManager manager = vit.manager().newSubManager()) {
                Dataset data = PluginSpec.parse(dataset).openDataset(registry, vit.info());
                n = Math.min(limit, data.size());
                for (int i = 0; i < n; i++) {
                    Sample sample = data.get(i);
                    if (done.containsKey(sample.id())) {
                        continue;
                    }
                    try (NDManager scope = manager.newSubManager()) {
                        NDArray image = EstimationError.image(scope, sample, vit);
                        int target = argMax(Batches.rows(vit.logits(image))[0]);
                        EstimationError.Truth truth = truths.containsKey(sample.id())
                                ? truthFrom(truths.get(sample.id()))
                                : append(truthFile, truthLine(truthKey, sample.id(),
                                        EstimationError.truth(vit, image, sample.id(), target, seed, plan)));
                        List<EstimationError.Row> rows = new ArrayList<>(
                                EstimationError.trajectory(vit, image, sample.id(), seed, plan, truth));
                        for (Map.Entry<String, Explainer> e : explainers.entrySet()) {
                            rows.add(EstimationError.method(e.getKey(), e.getValue(), vit, scope, sample, seed, truth));
                        }
                        ObjectNode line = JSON.createObjectNode().put("config", runKey).put("sample", sample.id())
                                .put("target", target).put("truthEvaluations", truth.evaluations())
                                .put("truthRatio", truth.ratio()).put("truthL2Std", truth.l2Std());
                        ArrayNode array = line.putArray("rows");
                        for (EstimationError.Row r : rows) {
                            array.add(JSON.valueToTree(r));
                        }
                        appendLine(samplesFile, line);
                        done.put(sample.id(), line);
                        computed++;
                        double elapsed = (System.nanoTime() - start) / 1e9;
                        int remaining = n - done.size();
                        err.printf(Locale.ROOT, "[%d/%d] %s: truth %d evaluations, %s; %.1f s per image, ETA %.0f s%n",
                                done.size(), n, sample.id(), truth.evaluations(), brief(rows), elapsed / computed,
                                elapsed / computed * remaining);
                    }
                }
            }
            String table = summarise(done, n, sorted.size());
            AtomicFiles.writeString(out.resolve("summary.md"), table);
            PrintWriter stdout = spec.commandLine().getOut();
            stdout.print(table);
            stdout.println("per-image results: " + samplesFile + ", ground truth: " + truthFile);
            stdout.flush();
            return ExitCode.OK.code();
        } finally {
            explainers.values().forEach(Explainer::close);
        }
    }

    /** Columns of a summary row, in this order, per image. */
    private static final String[] FIELDS = {"evaluations", "l2Target", "l2NonTarget", "pearson", "spearman",
        "pearsonNonTarget", "spearmanNonTarget", "seconds"};

    /**
     * Means with 95% bootstrap CIs per estimator as a Markdown table, then for every other method
     * the KernelSHAP budget with the same mean error and the time KernelSHAP takes for it.
     */
    private String summarise(Map<String, JsonNode> done, int n, int budgetsCount) {
        Map<String, List<double[]>> byEstimator = new LinkedHashMap<>();
        double truthEvaluations = 0;
        double truthStd = 0;
        for (JsonNode line : done.values()) {
            truthEvaluations += line.get("truthEvaluations").asDouble();
            truthStd += line.get("truthL2Std").asDouble();
            for (JsonNode r : line.get("rows")) {
                double[] row = new double[FIELDS.length];
                for (int c = 0; c < FIELDS.length; c++) {
                    row[c] = num(r, FIELDS[c]);
                }
                byEstimator.computeIfAbsent(r.get("estimator").asText(), k -> new ArrayList<>()).add(row);
            }
        }
        BootstrapCi ci = BootstrapCi.withDefaults(seed);
        StringBuilder md = new StringBuilder();
        md.append(String.format(Locale.ROOT, "Estimation error against ground truth (KernelSHAP, %d evaluations per image, "
                + "its own expected target L2 error %.2g), %d images of %s, model %s, removal %s, seed %d%n%n",
                Math.round(truthEvaluations / done.size()), truthStd / done.size(), done.size(), dataset, model.text(),
                removal, seed));
        md.append("| estimator | evaluations | L2 target [95% CI] | L2 non-target | Pearson target | Spearman target "
                + "| Pearson non-target | Spearman non-target | median s per image |\n");
        md.append("|---|---:|---|---:|---:|---:|---:|---:|---:|\n");
        Map<String, double[]> means = new LinkedHashMap<>();
        for (Map.Entry<String, List<double[]>> e : byEstimator.entrySet()) {
            double[][] columns = new double[FIELDS.length][e.getValue().size()];
            for (int i = 0; i < e.getValue().size(); i++) {
                for (int c = 0; c < FIELDS.length; c++) {
                    columns[c][i] = e.getValue().get(i)[c];
                }
            }
            BootstrapCi.Estimate l2 = ci.estimate(columns[1]);
            double[] m = new double[FIELDS.length];
            for (int c = 0; c < FIELDS.length; c++) {
                // of the finite values: a NaN marks an image where the figure is undefined
                double[] finite = Averages.finite(columns[c]);
                m[c] = c == FIELDS.length - 1 ? Averages.median(finite) : Averages.mean(finite);
            }
            means.put(e.getKey(), m);
            md.append(String.format(Locale.ROOT, "| %s | %s | %.4f [%.4f, %.4f] | %.4f | %.3f | %.3f | %.3f | %.3f | %.4f |%n",
                    e.getKey(), columns[0][0] < 0 ? "-" : String.valueOf(Math.round(m[0])), l2.mean(), l2.low(),
                    l2.high(), m[2], m[3], m[4], m[5], m[6], m[7]));
        }
        List<double[]> trajectory = new ArrayList<>();
        means.forEach((k, m) -> {
            if (k.startsWith("kernel-shap@")) {
                trajectory.add(m);
            }
        });
        if (trajectory.size() >= 2) {
            means.forEach((k, m) -> {
                if (!k.startsWith("kernel-shap@")) {
                    md.append('\n').append(equivalence(k, m, trajectory, 1, "target"))
                            .append(equivalence(k, m, trajectory, 2, "non-target"));
                }
            });
        }
        return md.toString();
    }

    /**
     * The KernelSHAP budget whose mean L2 error (column {@code column}) equals the method's, by
     * log-log interpolation between the trajectory's budgets (extrapolated with the slope of the two
     * nearest budgets outside them), and KernelSHAP's median time at that budget against the
     * method's.
     */
    static String equivalence(String method, double[] m, List<double[]> trajectory, int column, String which) {
        double error = m[column];
        if (!(error > 0)) {
            return "";
        }
        double budget = logLogAt(trajectory, column, 0, error);
        double seconds = logLogAt(trajectory, 0, 7, budget);
        double largest = trajectory.stream().mapToDouble(p -> p[column]).max().orElseThrow();
        double smallest = trajectory.stream().mapToDouble(p -> p[column]).min().orElseThrow();
        boolean outside = error > largest || error < smallest;
        return String.format(Locale.ROOT, "%s: its mean %s L2 error (%.4f) is KernelSHAP's at about %,d evaluations "
                + "per image%s; KernelSHAP takes about %.3f s per image for that, %.0f times the %.4f s of %s.%n",
                method, which, error, Math.round(budget), outside ? " (extrapolated at the error's slope)" : "",
                seconds, seconds / m[7], m[7], method);
    }

    /** The value of column {@code y} where column {@code x} equals {@code at}, linear in log-log. */
    static double logLogAt(List<double[]> points, int x, int y, double at) {
        List<double[]> sorted = new ArrayList<>(points);
        sorted.sort(java.util.Comparator.comparingDouble(p -> p[x]));
        int i = 0;
        while (i < sorted.size() - 2 && at > sorted.get(i + 1)[x]) {
            i++;
        }
        double[] a = sorted.get(i);
        double[] b = sorted.get(i + 1);
        double t = (Math.log(at) - Math.log(a[x])) / (Math.log(b[x]) - Math.log(a[x]));
        return Math.exp(Math.log(a[y]) + t * (Math.log(b[y]) - Math.log(a[y])));
    }

    private static double num(JsonNode row, String field) {
        JsonNode v = row.get(field);
        return v == null || v.isNull() || !v.isNumber() ? Double.NaN : v.asDouble();
    }

    private static String brief(List<EstimationError.Row> rows) {
        StringBuilder s = new StringBuilder();
        for (EstimationError.Row r : rows) {
            s.append(s.length() == 0 ? "" : ", ").append(String.format(Locale.ROOT, "%s L2 %.4f", r.estimator(), r.l2Target()));
        }
        return s.toString();
    }

    private static int argMax(float[] values) {
        int best = 0;
        for (int i = 1; i < values.length; i++) {
            if (values[i] > values[best]) {
                best = i;
            }
        }
        return best;
    }

    private static String canonical(Map<String, Object> values) {
        return new TreeMap<>(values).toString();
    }

    /** The first 16 hex digits of SHA-256 over the canonical settings. */
    private static String hash(String canonical) {
        return Hashes.shortHash(canonical);
    }

    private static ObjectNode truthLine(String key, String sampleId, EstimationError.Truth truth) {
        ObjectNode line = JSON.createObjectNode().put("config", key).put("sample", sampleId).put("target", truth.target())
                .put("evaluations", truth.evaluations()).put("ratio", truth.ratio()).put("l2Std", truth.l2Std());
        line.set("values", JSON.valueToTree(truth.values()));
        return line;
    }

    private static EstimationError.Truth truthFrom(JsonNode line) {
        JsonNode v = line.get("values");
        double[][] values = new double[v.size()][];
        for (int c = 0; c < values.length; c++) {
            values[c] = new double[v.get(c).size()];
            for (int i = 0; i < values[c].length; i++) {
                values[c][i] = v.get(c).get(i).asDouble();
            }
        }
        return new EstimationError.Truth(line.get("target").asInt(), values, line.get("evaluations").asLong(),
                line.get("ratio").asDouble(), line.get("l2Std").asDouble());
    }

    private EstimationError.Truth append(Path file, ObjectNode line) {
        appendLine(file, line);
        return truthFrom(line);
    }

    /** Appends one JSON line and forces it to disk, so a killed run keeps every finished sample. */
    private static void appendLine(Path file, JsonNode line) {
        try (BufferedWriter w = Files.newBufferedWriter(file, StandardCharsets.UTF_8, StandardOpenOption.CREATE,
                StandardOpenOption.APPEND, StandardOpenOption.WRITE, StandardOpenOption.DSYNC)) {
            w.write(JSON.writeValueAsString(line));
            w.write('\n');
        } catch (IOException e) {
            throw new UncheckedIOException("cannot append to " + file, e);
        }
    }

    /**
     * The lines of a JSONL file by sample id; a torn last line (a killed run) is ignored; a line
     * written with other settings stops the command, so results are never mixed.
     */
    private static Map<String, JsonNode> read(Path file, String key, String what) throws IOException {
        Map<String, JsonNode> lines = new HashMap<>();
        if (!Files.exists(file)) {
            return lines;
        }
        List<String> text = Files.readAllLines(file, StandardCharsets.UTF_8);
        for (int i = 0; i < text.size(); i++) {
            JsonNode line;
            try {
                line = JSON.readTree(text.get(i));
            } catch (IOException e) {
                if (i == text.size() - 1) {
                    break; // torn by a kill; the sample is recomputed
                }
                throw new ConfigurationException(file + " line " + (i + 1) + " is not JSON; remove the file to start over");
            }
            if (!key.equals(line.path("config").asText())) {
                throw new ConfigurationException(file + " holds " + what + " computed with other settings (config "
                        + line.path("config").asText() + ", now " + key + "); use another --out, or delete the file to"
                        + " recompute");
            }
            lines.put(line.get("sample").asText(), line);
        }
        return lines;
    }
}
