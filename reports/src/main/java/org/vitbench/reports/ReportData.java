package org.vitbench.reports;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.vitbench.api.Direction;

/**
 * Everything a report shows, already aggregated: the renderers do no statistics. Methods and
 * metrics appear in the order of their first row.
 *
 * @param title the page title
 * @param metadata run provenance in display order (config and its hash, seed, versions, hardware,
 *     commit); values with line breaks are shown preformatted, and the entry {@code config hash},
 *     when present, is repeated in the page header
 * @param rows one row per method x metric
 * @param curves mean curves per method x metric, for metrics that report curves
 * @param failures failed units grouped by method, metric and reason
 * @param timings wall-clock time per sample of each method and metric
 * @param benchmarks JMH results imported into the runtime section (empty when none)
 * @param agreement ranks of the methods across metrics, or {@code null} when there are fewer than
 *     2 metrics or 2 methods scored on all of them
 * @param gallery heatmaps of the first samples by every method, {@link Gallery#EMPTY} when the run
 *     drew none
 * @param skipped method x metric pairs that do not apply (expected, not failures), with the reason
 * @param families each method label's family (e.g. {@code perturbation}); methods without an entry
 *     have none known
 */
public record ReportData(String title, Map<String, String> metadata, List<Row> rows, List<Curve> curves,
        List<Failure> failures, List<Timing> timings, List<JmhResults.Result> benchmarks, Agreement agreement,
        Gallery gallery, List<Skip> skipped, Map<String, String> families) {

    /** A report without JMH results or ranks across metrics. */
    public ReportData(String title, Map<String, String> metadata, List<Row> rows, List<Curve> curves,
            List<Failure> failures, List<Timing> timings) {
        this(title, metadata, rows, curves, failures, timings, List.of(), null);
    }

    /** A report without a heatmap gallery. */
    public ReportData(String title, Map<String, String> metadata, List<Row> rows, List<Curve> curves,
            List<Failure> failures, List<Timing> timings, List<JmhResults.Result> benchmarks, Agreement agreement) {
        this(title, metadata, rows, curves, failures, timings, benchmarks, agreement, Gallery.EMPTY, List.of(), Map.of());
    }

    /**
     * A method x metric pair that was not run because it does not apply.
     *
     * @param method method label
     * @param metric metric id
     * @param reason why
     */
    public record Skip(String method, String metric, String reason) {
    }

    /**
     * How the methods rank across metrics, each metric a block (Demsar 2006): average ranks
     * (1 = best), the Friedman test, the Nemenyi critical difference at 5% (NaN when it cannot be
     * computed), and Kendall's W for the agreement of the metrics' rankings.
     *
     * @param methods the methods scored under every metric used, in report order
     * @param metrics the metrics used as blocks
     * @param averageRanks one per method
     */
    public record Agreement(List<String> methods, List<String> metrics, double[] averageRanks, double friedmanChi2,
            double friedmanP, double criticalDifference, double kendallW, double kendallP) {

        public Agreement {
            methods = List.copyOf(methods);
            metrics = List.copyOf(metrics);
            averageRanks = averageRanks.clone();
        }

        @Override
        public double[] averageRanks() {
            return averageRanks.clone();
        }
    }

    public ReportData {
        Objects.requireNonNull(title, "title");
        metadata = Collections.unmodifiableMap(new LinkedHashMap<>(metadata));
        rows = List.copyOf(rows);
        curves = List.copyOf(curves);
        failures = List.copyOf(failures);
        timings = List.copyOf(timings);
        benchmarks = List.copyOf(benchmarks);
        Objects.requireNonNull(gallery, "gallery (Gallery.EMPTY for none)");
        skipped = List.copyOf(skipped);
        families = Map.copyOf(families);
    }

    /** This report with JMH results in its runtime section. */
    public ReportData withBenchmarks(List<JmhResults.Result> results) {
        return new ReportData(title, metadata, rows, curves, failures, timings, results, agreement, gallery, skipped,
                families);
    }

    /** This report with ranks across metrics. */
    public ReportData withAgreement(Agreement a) {
        return new ReportData(title, metadata, rows, curves, failures, timings, benchmarks, a, gallery, skipped,
                families);
    }

    /** This report with a heatmap gallery ({@link Gallery#EMPTY} leaves the section out). */
    public ReportData withGallery(Gallery g) {
        return new ReportData(title, metadata, rows, curves, failures, timings, benchmarks, agreement, g, skipped,
                families);
    }

    /** This report with the pairs that do not apply. */
    public ReportData withSkipped(List<Skip> pairs) {
        return new ReportData(title, metadata, rows, curves, failures, timings, benchmarks, agreement, gallery, pairs,
                families);
    }

    /** This report with the methods' families, by method label. */
    public ReportData withFamilies(Map<String, String> byMethod) {
        return new ReportData(title, metadata, rows, curves, failures, timings, benchmarks, agreement, gallery,
                skipped, byMethod);
    }

    /**
     * Method labels by average rank across metrics, best first, when the report has ranks across
     * metrics; with one metric by rank under it; otherwise, and for methods without a rank, in
     * order of first appearance (stable, last).
     */
    public List<String> methodsByRank() {
        Map<String, Double> key = averageRanks();
        if (key.isEmpty() && metricDirections().size() == 1) {
            rows.stream().filter(r -> r.rank() > 0).forEach(r -> key.put(r.method(), (double) r.rank()));
        }
        List<String> methods = new ArrayList<>(methods());
        methods.sort(Comparator.comparingDouble(m -> key.getOrDefault(m, Double.POSITIVE_INFINITY)));
        return methods;
    }

    /**
     * The mean curves per metric (metrics in order of first appearance), each metric's curves
     * ordered by the method's rank under it, best first (unranked last, in report order).
     */
    public Map<String, List<Curve>> curvesByMetric() {
        Map<String, List<Curve>> out = new LinkedHashMap<>();
        for (Curve c : curves) {
            out.computeIfAbsent(c.metric(), k -> new ArrayList<>()).add(c);
        }
        out.values().forEach(list -> list.sort(Comparator.comparingInt(c -> {
            Row r = row(c.method(), c.metric());
            return r == null || r.rank() <= 0 ? Integer.MAX_VALUE : r.rank();
        })));
        return out;
    }

    /** Each method label's average rank across metrics; empty without ranks across metrics. */
    public Map<String, Double> averageRanks() {
        Map<String, Double> out = new LinkedHashMap<>();
        if (agreement != null) {
            double[] ranks = agreement.averageRanks();
            for (int i = 0; i < ranks.length; i++) {
                out.put(agreement.methods().get(i), ranks[i]);
            }
        }
        return out;
    }

    /** Method labels in order of first appearance. */
    public List<String> methods() {
        LinkedHashSet<String> out = new LinkedHashSet<>();
        rows.forEach(r -> out.add(r.method()));
        return List.copyOf(out);
    }

    /** Each metric's score direction, metrics in order of first appearance. */
    public Map<String, Direction> metricDirections() {
        Map<String, Direction> out = new LinkedHashMap<>();
        rows.forEach(r -> out.putIfAbsent(r.metric(), r.direction()));
        return out;
    }

    /** The row of {@code method} under {@code metric}, or null when the run has none. */
    public Row row(String method, String metric) {
        for (Row r : rows) {
            if (r.method().equals(method) && r.metric().equals(metric)) {
                return r;
            }
        }
        return null;
    }

    /** Metric labels in order of first appearance. */
    public List<String> metrics() {
        LinkedHashSet<String> out = new LinkedHashSet<>();
        rows.forEach(r -> out.add(r.metric()));
        return List.copyOf(out);
    }

    /**
     * One leaderboard cell: the mean score of a method under a metric.
     *
     * @param method method label, e.g. {@code kernel-shap:budget=2048}
     * @param metric metric label, e.g. {@code deletion}
     * @param spec the metric's canonical spec
     * @param specHash the metric's spec hash
     * @param direction which scores are better
     * @param mean mean over scored samples; NaN when none was scored
     * @param low lower bound of the 95% interval
     * @param high upper bound of the 95% interval
     * @param n samples scored
     * @param failed samples that failed
     * @param rank 1 for the best method under this metric, equal means share a rank; 0 when
     *     unranked (nothing scored)
     * @param pVsBest Holm-adjusted p-value of the two-sided Wilcoxon signed-rank test of this
     *     method against the metric's best on the samples both scored; NaN for the best and when
     *     untested
     * @param effectVsBest matched-pairs rank-biserial correlation of (this - best), in [-1, 1];
     *     NaN when untested
     */
    public record Row(String method, String metric, String spec, String specHash, Direction direction,
            double mean, double low, double high, int n, int failed, int rank, double pVsBest, double effectVsBest) {

        /** A row without a paired comparison. */
        public Row(String method, String metric, String spec, String specHash, Direction direction, double mean,
                double low, double high, int n, int failed, int rank) {
            this(method, metric, spec, specHash, direction, mean, low, high, n, failed, rank, Double.NaN, Double.NaN);
        }

        public Row {
            Objects.requireNonNull(method, "method");
            Objects.requireNonNull(metric, "metric");
            Objects.requireNonNull(direction, "direction");
        }

        public Row withRank(int newRank) {
            return new Row(method, metric, spec, specHash, direction, mean, low, high, n, failed, newRank, pVsBest,
                    effectVsBest);
        }

        public Row withComparison(double p, double effect) {
            return new Row(method, metric, spec, specHash, direction, mean, low, high, n, failed, rank, p, effect);
        }

        /** Significantly different from the metric's best at the 5% level (Holm-adjusted). */
        public boolean differsFromBest() {
            return pVsBest < 0.05;
        }
    }

    /**
     * Assigns ranks per metric by mean in the metric's direction (standard competition ranking:
     * equal means share the better rank, the next rank skips). Rows with no scored sample get 0.
     * Row order is kept.
     */
    public static List<Row> ranked(List<Row> rows) {
        List<Row> out = new ArrayList<>(rows);
        LinkedHashSet<String> metrics = new LinkedHashSet<>();
        rows.forEach(r -> metrics.add(r.metric()));
        for (String metric : metrics) {
            List<Integer> idx = new ArrayList<>();
            for (int i = 0; i < rows.size(); i++) {
                Row r = rows.get(i);
                if (r.metric().equals(metric) && r.n() > 0 && !Double.isNaN(r.mean())) {
                    idx.add(i);
                }
            }
            Comparator<Integer> byMean = Comparator.comparingDouble(i -> rows.get(i).mean());
            if (!idx.isEmpty() && rows.get(idx.get(0)).direction() == Direction.HIGHER_IS_BETTER) {
                byMean = byMean.reversed();
            }
            idx.sort(byMean);
            for (int k = 0; k < idx.size(); k++) {
                int rank = k + 1;
                if (k > 0 && rows.get(idx.get(k)).mean() == rows.get(idx.get(k - 1)).mean()) {
                    rank = out.get(idx.get(k - 1)).rank();
                }
                out.set(idx.get(k), rows.get(idx.get(k)).withRank(rank));
            }
            for (int i = 0; i < rows.size(); i++) {
                Row r = rows.get(i);
                if (r.metric().equals(metric) && !idx.contains(i)) {
                    out.set(i, r.withRank(0));
                }
            }
        }
        return List.copyOf(out);
    }

    /**
     * A mean curve with a pointwise 95% band.
     *
     * @param method method label
     * @param metric metric label
     * @param x {@code [T]} the x-axis
     * @param mean {@code [T]} mean over samples
     * @param low {@code [T]} lower band
     * @param high {@code [T]} upper band
     * @param n samples averaged
     */
    public record Curve(String method, String metric, double[] x, double[] mean, double[] low, double[] high,
            int n) {

        public Curve {
            if (mean.length != x.length || low.length != x.length || high.length != x.length) {
                throw new IllegalArgumentException("curve " + method + " / " + metric + ": x, mean, low and high "
                        + "need equal lengths, got " + x.length + ", " + mean.length + ", " + low.length + ", "
                        + high.length);
            }
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof Curve c && method.equals(c.method) && metric.equals(c.metric) && n == c.n
                    && Arrays.equals(x, c.x) && Arrays.equals(mean, c.mean) && Arrays.equals(low, c.low)
                    && Arrays.equals(high, c.high);
        }

        @Override
        public int hashCode() {
            return Objects.hash(method, metric, n) * 31 + Arrays.hashCode(mean);
        }

        @Override
        public String toString() {
            return "Curve[" + method + ", " + metric + ", " + x.length + " points, n=" + n + "]";
        }
    }

    /**
     * Units of one method x metric that failed for one reason.
     *
     * @param method method label
     * @param metric metric label
     * @param count how many samples failed this way
     * @param reason the error message
     * @param exampleSample the id of one such sample
     */
    public record Failure(String method, String metric, int count, String reason, String exampleSample) {
    }

    /**
     * Wall-clock seconds per sample of one component.
     *
     * @param component method or metric label
     * @param stage {@code explain} or {@code metric}
     * @param meanSeconds mean seconds per sample
     * @param sdSeconds standard deviation of seconds per sample across units
     * @param n units timed
     */
    public record Timing(String component, String stage, double meanSeconds, double sdSeconds, int n) {
    }
}
