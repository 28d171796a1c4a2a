package org.vitbench.runner.summary;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.vitbench.api.ConfigurationException;
import org.vitbench.api.Direction;
import org.vitbench.api.MethodSpec;
import org.vitbench.api.MetricSpec;
import org.vitbench.api.ResultRecord;
import org.vitbench.api.Seeds;
import org.vitbench.metrics.statistics.BootstrapCi;
import org.vitbench.metrics.statistics.Friedman;
import org.vitbench.metrics.statistics.Holm;
import org.vitbench.metrics.statistics.KendallW;
import org.vitbench.metrics.statistics.Nemenyi;
import org.vitbench.metrics.statistics.WilcoxonSignedRank;
import org.vitbench.reports.ReportData;
import org.vitbench.runner.store.RunManifest;

/**
 * Turns stored records into a {@link ReportData}: per method x metric the mean score with its
 * bootstrap CI, mean curves with pointwise bands, failures grouped by reason and timings. The
 * bootstrap of each cell is seeded from (run seed, method, metric spec), so a re-rendered report
 * equals the original one. Methods and metrics keep the order of their first record.
 */
public final class Aggregator {

    private Aggregator() {
    }

    public static ReportData aggregate(String title, List<ResultRecord> records, RunManifest manifest) {
        Map<String, String> metricLabels = metricLabels(records);
        Map<MethodSpec, String> methodLabels = methodLabels(records);
        Map<ResultRecord.Cell, List<ResultRecord>> cells = new LinkedHashMap<>();
        for (ResultRecord r : records) {
            cells.computeIfAbsent(r.cell(), k -> new ArrayList<>()).add(r);
        }
        List<ReportData.Row> rows = new ArrayList<>();
        Map<ReportData.Row, List<ResultRecord>> cellOf = new java.util.IdentityHashMap<>();
        List<ReportData.Curve> curves = new ArrayList<>();
        List<ReportData.Failure> failures = new ArrayList<>();
        for (List<ResultRecord> cell : cells.values()) {
            ResultRecord first = cell.get(0);
            String method = methodLabels.get(first.method());
            String metric = metricLabels.get(first.specHash());
            Direction direction = manifest.directions().get(first.specHash());
            if (direction == null) {
                throw new ConfigurationException("run.json has no direction for metric spec " + first.metricSpec()
                        + "; the results and run.json come from different runs");
            }
            long seed = Seeds.of(manifest.seed(), first.method().canonical(), "bootstrap/" + first.specHash());
            double[] scores = cell.stream().mapToDouble(ResultRecord::score).toArray();
            BootstrapCi.Estimate e = BootstrapCi.withDefaults(seed).estimate(scores);
            int failed = (int) cell.stream().filter(r -> !r.isOk()).count();
            ReportData.Row row = new ReportData.Row(method, metric, first.metricSpec(), first.specHash(), direction,
                    e.mean(), e.low(), e.high(), e.n(), failed, 0);
            rows.add(row);
            cellOf.put(row, cell);
            ReportData.Curve curve = meanCurve(method, metric, cell, seed);
            if (curve != null) {
                curves.add(curve);
            }
            failures.addAll(failures(method, metric, cell));
        }
        List<ReportData.Row> ranked = ReportData.ranked(rows);
        Map<ReportData.Row, List<ResultRecord>> rankedCells = new java.util.IdentityHashMap<>();
        for (int i = 0; i < rows.size(); i++) {
            rankedCells.put(ranked.get(i), cellOf.get(rows.get(i)));
        }
        List<ReportData.Row> comparedRows = compared(ranked, rankedCells);
        Map<String, String> families = new LinkedHashMap<>();
        methodLabels.forEach((spec, label) -> {
            String family = manifest.families().get(spec.methodId());
            if (family != null) {
                families.put(label, family);
            }
        });
        return new ReportData(title, metadata(records, manifest), comparedRows, curves, failures,
                timings(records, methodLabels, metricLabels)).withAgreement(agreement(comparedRows))
                .withSkipped(manifest.skipped().stream().map(k -> new ReportData.Skip(k.method(), k.metric(),
                        k.reason())).toList())
                .withFamilies(families);
    }

    /**
     * Per metric, each method against the best (rank 1, the first in row order on ties): a two-sided
     * Wilcoxon signed-rank test on the samples both scored, p-values Holm-adjusted over the metric's
     * methods, and the rank-biserial effect size. Cells with fewer than 2 shared samples stay untested.
     */
    static List<ReportData.Row> compared(List<ReportData.Row> rows, Map<ReportData.Row, List<ResultRecord>> cells) {
        List<ReportData.Row> out = new ArrayList<>(rows);
        Map<String, List<Integer>> byMetric = new LinkedHashMap<>();
        for (int i = 0; i < rows.size(); i++) {
            byMetric.computeIfAbsent(rows.get(i).specHash(), k -> new ArrayList<>()).add(i);
        }
        WilcoxonSignedRank wilcoxon = WilcoxonSignedRank.withDefaults();
        for (List<Integer> idx : byMetric.values()) {
            Integer best = idx.stream().filter(i -> rows.get(i).rank() == 1).findFirst().orElse(null);
            if (best == null) {
                continue;
            }
            Map<String, Double> bestScores = okScores(cells.get(rows.get(best)));
            List<Integer> tested = new ArrayList<>();
            List<Double> pValues = new ArrayList<>();
            List<Double> effects = new ArrayList<>();
            for (int i : idx) {
                if (i == best) {
                    continue;
                }
                Map<String, Double> scores = okScores(cells.get(rows.get(i)));
                List<String> shared = scores.keySet().stream().filter(bestScores::containsKey).toList();
                if (shared.size() < 2) {
                    continue;
                }
                double[] x = shared.stream().mapToDouble(scores::get).toArray();
                double[] y = shared.stream().mapToDouble(bestScores::get).toArray();
                boolean allEqual = true;
                for (int k = 0; k < x.length && allEqual; k++) {
                    allEqual = x[k] == y[k];
                }
                WilcoxonSignedRank.Result r = allEqual ? null : wilcoxon.test(x, y);
                tested.add(i);
                pValues.add(r == null ? 1.0 : r.pValue());
                effects.add(r == null ? 0.0 : r.rankBiserial());
            }
            double[] adjusted = Holm.adjust(pValues.stream().mapToDouble(Double::doubleValue).toArray());
            for (int k = 0; k < tested.size(); k++) {
                int i = tested.get(k);
                out.set(i, rows.get(i).withComparison(adjusted[k], effects.get(k)));
            }
        }
        return List.copyOf(out);
    }

    /**
     * Ranks across metrics: every metric with a finite mean for each of at least 2 methods is a
     * block, over the methods scored under all of those metrics; null with fewer than 2 blocks.
     */
    static ReportData.Agreement agreement(List<ReportData.Row> rows) {
        Map<String, Map<String, ReportData.Row>> byMetric = new LinkedHashMap<>();
        List<String> methods = new ArrayList<>();
        for (ReportData.Row r : rows) {
            byMetric.computeIfAbsent(r.metric(), k -> new LinkedHashMap<>()).put(r.method(), r);
            if (!methods.contains(r.method())) {
                methods.add(r.method());
            }
        }
        List<String> metrics = new ArrayList<>();
        List<String> common = new ArrayList<>(methods);
        for (Map.Entry<String, Map<String, ReportData.Row>> e : byMetric.entrySet()) {
            long scored = e.getValue().values().stream().filter(r -> r.n() > 0 && Double.isFinite(r.mean())).count();
            if (scored >= 2) {
                metrics.add(e.getKey());
                common.removeIf(m -> e.getValue().get(m) == null || !Double.isFinite(e.getValue().get(m).mean()));
            }
        }
        if (metrics.size() < 2 || common.size() < 2) {
            return null;
        }
        double[][] ranks = new double[metrics.size()][];
        double[][] means = new double[metrics.size()][common.size()];
        Direction[] directions = new Direction[metrics.size()];
        for (int b = 0; b < metrics.size(); b++) {
            Map<String, ReportData.Row> cells = byMetric.get(metrics.get(b));
            for (int m = 0; m < common.size(); m++) {
                means[b][m] = cells.get(common.get(m)).mean();
            }
            directions[b] = cells.get(common.get(0)).direction();
            ranks[b] = Friedman.averageRanks(new double[][] {means[b]}, directions[b]); // this metric's ranks
        }
        Friedman.Result f = Friedman.withDefaults().test(ranks, Direction.LOWER_IS_BETTER);
        double cd = Nemenyi.criticalDifference(common.size(), metrics.size(), 0.05);
        KendallW.Result w = KendallW.of(means, directions);
        return new ReportData.Agreement(common, metrics, f.averageRanks(), f.chiSquare(), f.pValue(), cd, w.w(),
                w.pValue());
    }

    private static Map<String, Double> okScores(List<ResultRecord> cell) {
        Map<String, Double> scores = new LinkedHashMap<>();
        for (ResultRecord r : cell) {
            if (r.isOk() && Double.isFinite(r.score())) {
                scores.put(r.sampleId(), r.score());
            }
        }
        return scores;
    }

    /**
     * The method id when the run has one configuration of that method, else the full spec
     * ({@code id:k=v,...}); the full specs are in the config shown with the report.
     */
    public static Map<MethodSpec, String> methodLabels(List<ResultRecord> records) {
        Map<MethodSpec, String> ids = new LinkedHashMap<>();
        records.forEach(r -> ids.putIfAbsent(r.method(), r.methodId()));
        Map<MethodSpec, String> labels = new LinkedHashMap<>();
        ids.forEach((spec, id) -> labels.put(spec,
                Collections.frequency(ids.values(), id) == 1 ? id : spec.canonical()));
        return labels;
    }

    /** The metric id, or id@preset, or id@preset plus the spec hash, whichever is unique in the run. */
    public static Map<String, String> metricLabels(List<ResultRecord> records) {
        Map<String, MetricSpec> specs = new LinkedHashMap<>();
        Map<String, String> labels = new LinkedHashMap<>();
        for (ResultRecord r : records) {
            if (!labels.containsKey(r.specHash()) && !specs.containsKey(r.specHash())) {
                try {
                    specs.put(r.specHash(), MetricSpec.parse(r.metricSpec()));
                } catch (ConfigurationException notCanonical) {
                    labels.put(r.specHash(), r.metricSpec()); // e.g. written under another protocol version
                }
            }
        }
        for (Map.Entry<String, MetricSpec> e : specs.entrySet()) {
            MetricSpec spec = e.getValue();
            String preset = spec.metricId() + "@" + spec.preset();
            long sameId = specs.values().stream().filter(s -> s.metricId().equals(spec.metricId())).count();
            long samePreset = specs.values().stream().filter(s -> s.metricId().equals(spec.metricId())
                    && s.preset().equals(spec.preset())).count();
            labels.put(e.getKey(), sameId == 1 ? spec.metricId() : samePreset == 1 ? preset : preset + " #" + e.getKey());
        }
        return labels;
    }

    private static ReportData.Curve meanCurve(String method, String metric, List<ResultRecord> cell, long seed) {
        double[] x = null;
        List<double[]> ys = new ArrayList<>();
        for (ResultRecord r : cell) {
            if (r.isOk() && r.curve() != null) {
                if (x == null) {
                    x = r.curveX();
                }
                // curves on another x-axis cannot be averaged point by point
                if (Arrays.equals(x, r.curveX())) {
                    ys.add(r.curve());
                }
            }
        }
        if (x == null) {
            return null;
        }
        int t = x.length;
        double[] mean = new double[t];
        double[] low = new double[t];
        double[] high = new double[t];
        BootstrapCi ci = BootstrapCi.withDefaults(seed);
        for (int i = 0; i < t; i++) {
            double[] column = new double[ys.size()];
            for (int s = 0; s < column.length; s++) {
                double v = ys.get(s)[i];
                column[s] = Double.isFinite(v) ? v : Double.NaN;
            }
            BootstrapCi.Estimate e = ci.estimate(column);
            mean[i] = e.mean();
            low[i] = e.low();
            high[i] = e.high();
        }
        return new ReportData.Curve(method, metric, x, mean, low, high, ys.size());
    }

    private static List<ReportData.Failure> failures(String method, String metric, List<ResultRecord> cell) {
        Map<String, List<ResultRecord>> byReason = new LinkedHashMap<>();
        for (ResultRecord r : cell) {
            if (!r.isOk()) {
                byReason.computeIfAbsent(r.error(), k -> new ArrayList<>()).add(r);
            }
        }
        List<ReportData.Failure> out = new ArrayList<>();
        byReason.forEach((reason, rs) -> out.add(new ReportData.Failure(method, metric, rs.size(), reason,
                rs.get(0).sampleId())));
        return out;
    }

    private static List<ReportData.Timing> timings(List<ResultRecord> records, Map<MethodSpec, String> methodLabels,
            Map<String, String> metricLabels) {
        Map<String, List<Double>> explain = new LinkedHashMap<>();
        Map<String, List<Double>> metric = new LinkedHashMap<>();
        Set<Map.Entry<String, MethodSpec>> explained = new HashSet<>();
        for (ResultRecord r : records) {
            if (!r.isOk()) {
                continue;
            }
            // one explanation serves every metric of a sample: count it once
            if (explained.add(Map.entry(r.sampleId(), r.method()))) {
                explain.computeIfAbsent(methodLabels.get(r.method()), k -> new ArrayList<>()).add(r.explainSeconds());
            }
            metric.computeIfAbsent(metricLabels.get(r.specHash()), k -> new ArrayList<>()).add(r.metricSeconds());
        }
        List<ReportData.Timing> out = new ArrayList<>();
        explain.forEach((k, v) -> out.add(timing(k, "explain", v)));
        metric.forEach((k, v) -> out.add(timing(k, "metric", v)));
        return out;
    }

    private static ReportData.Timing timing(String component, String stage, List<Double> seconds) {
        int n = seconds.size();
        double mean = seconds.stream().mapToDouble(Double::doubleValue).average().orElse(Double.NaN);
        double ss = seconds.stream().mapToDouble(s -> (s - mean) * (s - mean)).sum();
        return new ReportData.Timing(component, stage, mean, n > 1 ? Math.sqrt(ss / (n - 1)) : 0, n);
    }

    private static Map<String, String> metadata(List<ResultRecord> records, RunManifest manifest) {
        Map<String, String> m = new LinkedHashMap<>();
        m.put("config hash", manifest.configHash());
        m.put("seed", Long.toString(manifest.seed()));
        m.put("samples", Long.toString(records.stream().map(ResultRecord::sampleId).distinct().count()));
        m.put("records", records.size() + " (" + records.stream().filter(r -> !r.isOk()).count() + " failed)");
        m.putAll(manifest.environment());
        m.put("config", manifest.config());
        return m;
    }
}
