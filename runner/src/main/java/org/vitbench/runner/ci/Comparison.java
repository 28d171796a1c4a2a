package org.vitbench.runner.ci;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;
import org.apache.commons.statistics.inference.AlternativeHypothesis;
import org.vitbench.api.Averages;
import org.vitbench.api.Direction;
import org.vitbench.api.MethodSpec;
import org.vitbench.api.ResultRecord;
import org.vitbench.metrics.statistics.Holm;
import org.vitbench.metrics.statistics.WilcoxonSignedRank;
import org.vitbench.runner.summary.Aggregator;

/**
 * A run's cells against a {@link Baseline}: which got worse beyond their tolerance. A baseline cell
 * that the run lacks, or whose run has more failed samples, is a regression too; cells only in the
 * run are listed as new. The paired rule's p-values are Holm-adjusted over the cells that use it,
 * so a baseline with many cells does not fail by chance.
 */
public final class Comparison {

    private Comparison() {
    }

    /** What became of one cell. */
    public enum Verdict {
        PASS("pass", false), IMPROVED("improved", false), NEW("new", false),
        WORSE("REGRESSION", true), MISSING("MISSING", true), FAILED("FAILED", true);

        public final String label;
        public final boolean regression;

        Verdict(String label, boolean regression) {
            this.label = label;
            this.regression = regression;
        }
    }

    /**
     * One cell's outcome.
     *
     * @param method the method's canonical spec
     * @param metric the metric's label
     * @param baseline the baseline mean, NaN for a new cell
     * @param now the run's mean, NaN when missing
     * @param worseBy how much worse the run is, in the metric's direction (negative: better)
     * @param p the Holm-adjusted one-sided p-value of the paired rule, NaN when not tested
     * @param tolerance the tolerance applied, as text
     * @param verdict the outcome
     * @param reason why, in words
     */
    public record Line(MethodSpec method, String metric, double baseline, double now, double worseBy, double p, String tolerance,
            Verdict verdict, String reason) {
    }

    /** All cells' outcomes, baseline cells first in baseline order, then new ones. */
    public record Result(List<Line> lines) {

        public Result {
            lines = List.copyOf(lines);
        }

        public boolean regressed() {
            return lines.stream().anyMatch(l -> l.verdict().regression);
        }

        long count(Verdict v) {
            return lines.stream().filter(l -> l.verdict() == v).count();
        }
    }

    /** Compares {@code records} (one run's) with {@code baseline}. */
    public static Result compare(Baseline baseline, List<ResultRecord> records) {
        Map<ResultRecord.Cell, List<ResultRecord>> run = new LinkedHashMap<>();
        for (ResultRecord r : records) {
            run.computeIfAbsent(r.cell(), k -> new ArrayList<>()).add(r);
        }
        Map<String, String> metricLabels = Aggregator.metricLabels(records);
        List<Baseline.Cell> cells = baseline.cells();
        double[] rawP = new double[cells.size()];
        java.util.Arrays.fill(rawP, Double.NaN);
        List<Integer> paired = new ArrayList<>();
        WilcoxonSignedRank[] tests = {
            WilcoxonSignedRank.withDefaults().with(AlternativeHypothesis.LESS_THAN),
            WilcoxonSignedRank.withDefaults().with(AlternativeHypothesis.GREATER_THAN)};
        for (int i = 0; i < cells.size(); i++) {
            Baseline.Cell c = cells.get(i);
            List<ResultRecord> now = run.get(c.key());
            if (now == null || c.tolerance().rule() != Baseline.Rule.PAIRED) {
                continue;
            }
            SortedMap<String, Double> scores = okScores(now);
            List<String> shared = scores.keySet().stream().filter(c.scores()::containsKey).toList();
            double[] x = shared.stream().mapToDouble(scores::get).toArray();
            double[] y = shared.stream().mapToDouble(c.scores()::get).toArray();
            boolean differs = false;
            for (int k = 0; k < x.length && !differs; k++) {
                differs = x[k] != y[k];
            }
            // worse means lower for higher-is-better metrics: test x < y; else x > y
            WilcoxonSignedRank test = tests[c.direction() == Direction.HIGHER_IS_BETTER ? 0 : 1];
            rawP[i] = x.length < 2 || !differs ? 1.0 : test.test(x, y).pValue();
            paired.add(i);
        }
        double[] adjusted = Holm.adjust(paired.stream().mapToDouble(i -> rawP[i]).toArray());
        double[] p = new double[cells.size()];
        java.util.Arrays.fill(p, Double.NaN);
        for (int k = 0; k < paired.size(); k++) {
            p[paired.get(k)] = adjusted[k];
        }
        List<Line> lines = new ArrayList<>();
        for (int i = 0; i < cells.size(); i++) {
            lines.add(line(cells.get(i), run.remove(cells.get(i).key()), p[i]));
        }
        for (List<ResultRecord> extra : run.values()) {
            ResultRecord first = extra.get(0);
            lines.add(new Line(first.method(), metricLabels.get(first.specHash()), Double.NaN,
                    Averages.mean(okScores(extra).values()), Double.NaN, Double.NaN, "-", Verdict.NEW,
                    "not in the baseline"));
        }
        return new Result(lines);
    }

    private static Line line(Baseline.Cell c, List<ResultRecord> now, double p) {
        String tol = c.tolerance().describe();
        if (now == null) {
            return new Line(c.method(), c.metric(), c.mean(), Double.NaN, Double.NaN, p, tol, Verdict.MISSING,
                    "the run has no results for this cell");
        }
        SortedMap<String, Double> scores = okScores(now);
        double mean = Averages.mean(scores.values());
        int failed = now.size() - scores.size();
        double worseBy = c.direction() == Direction.HIGHER_IS_BETTER ? c.mean() - mean : mean - c.mean();
        if (failed > c.failed()) {
            return new Line(c.method(), c.metric(), c.mean(), mean, worseBy, p, tol, Verdict.FAILED,
                    failed + " failed samples, baseline " + c.failed());
        }
        if (Double.isNaN(mean)) {
            return new Line(c.method(), c.metric(), c.mean(), mean, worseBy, p, tol, Verdict.FAILED,
                    "no sample scored");
        }
        boolean beyondMargin = worseBy > c.tolerance().margin();
        boolean significant = c.tolerance().rule() == Baseline.Rule.MARGIN || p < c.tolerance().alpha();
        if (beyondMargin && significant) {
            String why = "worse by " + format(worseBy) + " > " + format(c.tolerance().margin())
                    + (c.tolerance().rule() == Baseline.Rule.PAIRED ? ", paired p = " + format(p) : "");
            return new Line(c.method(), c.metric(), c.mean(), mean, worseBy, p, tol, Verdict.WORSE, why);
        }
        if (beyondMargin) {
            return new Line(c.method(), c.metric(), c.mean(), mean, worseBy, p, tol, Verdict.PASS,
                    "worse beyond the margin but not significantly (p = " + format(p) + ")");
        }
        if (-worseBy > c.tolerance().margin()) {
            return new Line(c.method(), c.metric(), c.mean(), mean, worseBy, p, tol, Verdict.IMPROVED,
                    "better by " + format(-worseBy) + "; refresh the baseline to keep the gain");
        }
        return new Line(c.method(), c.metric(), c.mean(), mean, worseBy, p, tol, Verdict.PASS, "within tolerance");
    }

    /** The readable diff: an aligned table and a verdict line. */
    public static String render(Result result) {
        List<String[]> rows = new ArrayList<>();
        rows.add(new String[] {"method", "metric", "baseline", "now", "worse by", "tolerance", "verdict", "why"});
        Map<String, Long> perId = new java.util.HashMap<>();
        result.lines().stream().map(Line::method).distinct().forEach(m -> perId.merge(m.methodId(), 1L, Long::sum));
        for (Line l : result.lines()) {
            // the id alone when one configuration of the method is compared, as in the report
            String method = perId.get(l.method().methodId()) == 1 ? l.method().methodId() : l.method().canonical();
            rows.add(new String[] {method, l.metric(), format(l.baseline()), format(l.now()), format(l.worseBy()),
                l.tolerance(), l.verdict().label, l.reason()});
        }
        int[] width = new int[rows.get(0).length];
        for (String[] r : rows) {
            for (int k = 0; k < r.length; k++) {
                width[k] = Math.max(width[k], r[k].length());
            }
        }
        StringBuilder sb = new StringBuilder();
        for (String[] r : rows) {
            StringBuilder line = new StringBuilder();
            for (int k = 0; k < r.length; k++) {
                line.append(k < 2 || k >= 5 ? pad(r[k], width[k], false) : pad(r[k], width[k], true));
                line.append(k < r.length - 1 ? "  " : "");
            }
            sb.append(line.toString().stripTrailing()).append('\n');
        }
        long regressions = result.lines().stream().filter(l -> l.verdict().regression).count();
        sb.append(regressions == 0
                ? "verdict: PASS (" + result.lines().size() + " cells; " + result.count(Verdict.IMPROVED)
                        + " improved, " + result.count(Verdict.NEW) + " new)"
                : "verdict: REGRESSION in " + regressions + " of " + result.lines().size() + " cells");
        return sb.append('\n').toString();
    }

    static SortedMap<String, Double> okScores(List<ResultRecord> cell) {
        SortedMap<String, Double> scores = new TreeMap<>();
        for (ResultRecord r : cell) {
            if (r.isOk() && Double.isFinite(r.score())) {
                scores.put(r.sampleId(), r.score());
            }
        }
        return scores;
    }

    public static String format(double v) {
        return Double.isNaN(v) ? "-" : String.format(Locale.ROOT, "%.4f", v);
    }

    private static String pad(String s, int width, boolean right) {
        String fill = " ".repeat(width - s.length());
        return right ? fill + s : s + fill;
    }
}
