package org.vitbench.runner.ci;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.SortedMap;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.vitbench.api.Direction;
import org.vitbench.api.MethodSpec;
import org.vitbench.api.MetricSpec;
import org.vitbench.api.ResultRecord;

/** The regression rules on hand-made scores whose outcome is known. */
class ComparisonTest {

    private static final String SPEC = MetricSpec.of("m", "default", Map.of()).canonical();

    @Test
    void theMarginRuleFollowsTheMetricsDirection() {
        Baseline.Tolerance t = new Baseline.Tolerance(Baseline.Rule.MARGIN, 0.02, 0.05);
        assertEquals(Comparison.Verdict.WORSE, verdict(Direction.HIGHER_IS_BETTER, t, 0.50, 0.47));
        assertEquals(Comparison.Verdict.PASS, verdict(Direction.HIGHER_IS_BETTER, t, 0.50, 0.49));
        assertEquals(Comparison.Verdict.IMPROVED, verdict(Direction.HIGHER_IS_BETTER, t, 0.50, 0.53));
        assertEquals(Comparison.Verdict.WORSE, verdict(Direction.LOWER_IS_BETTER, t, 0.50, 0.53));
        assertEquals(Comparison.Verdict.IMPROVED, verdict(Direction.LOWER_IS_BETTER, t, 0.50, 0.47));
    }

    @Test
    void thePairedRuleNeedsSignificanceAndTheMargin() {
        // all 10 samples worse, by distinct amounts (no ties): exact one-sided Wilcoxon p = 1 / 2^10
        double[] base = {0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9, 1.0};
        double[] worse = new double[10];
        for (int i = 0; i < 10; i++) {
            worse[i] = base[i] - 0.03 - 0.002 * i;
        }
        Comparison.Line line = compare(Direction.HIGHER_IS_BETTER,
                new Baseline.Tolerance(Baseline.Rule.PAIRED, 0.02, 0.05), base, worse).lines().get(0);
        assertEquals(Comparison.Verdict.WORSE, line.verdict());
        assertEquals(1.0 / 1024, line.p(), 1e-12);
        assertEquals(0.039, line.worseBy(), 1e-12);

        Comparison.Line small = compare(Direction.HIGHER_IS_BETTER,
                new Baseline.Tolerance(Baseline.Rule.PAIRED, 0.1, 0.05), base, worse).lines().get(0);
        assertEquals(Comparison.Verdict.PASS, small.verdict(), "significant but within the margin");

        // one sample much worse, the others slightly better: the mean drops by 0.03 but the test is not significant
        double[] mixed = base.clone();
        mixed[0] -= 0.39;
        for (int i = 1; i < 10; i++) {
            mixed[i] += 0.01;
        }
        Comparison.Line notSignificant = compare(Direction.HIGHER_IS_BETTER,
                new Baseline.Tolerance(Baseline.Rule.PAIRED, 0.02, 0.05), base, mixed).lines().get(0);
        assertEquals(0.03, notSignificant.worseBy(), 1e-12);
        assertTrue(notSignificant.p() > 0.05, "p " + notSignificant.p());
        assertEquals(Comparison.Verdict.PASS, notSignificant.verdict());
    }

    @Test
    void moreFailedSamplesThanTheBaselineIsARegression() {
        Baseline.Tolerance t = Baseline.Tolerance.DEFAULT;
        Baseline b = baseline(Direction.HIGHER_IS_BETTER, t, new double[] {0.5, 0.5});
        List<ResultRecord> run = List.of(record("s0", 0.5), failed("s1"));
        Comparison.Result r = Comparison.compare(b, run);
        assertEquals(Comparison.Verdict.FAILED, r.lines().get(0).verdict());
        assertTrue(r.regressed());
        assertTrue(Comparison.render(r).contains("1 failed samples, baseline 0"));
    }

    @Test
    void aCellOnlyInTheRunIsNewAndNoRegression() {
        Baseline b = new Baseline("h", Baseline.Tolerance.DEFAULT, List.of());
        Comparison.Result r = Comparison.compare(b, List.of(record("s0", 0.5), record("s1", 0.7)));
        assertEquals(Comparison.Verdict.NEW, r.lines().get(0).verdict());
        assertEquals(0.6, r.lines().get(0).now(), 1e-12);
        assertFalse(r.regressed());
    }

    private static Comparison.Verdict verdict(Direction d, Baseline.Tolerance t, double base, double now) {
        return compare(d, t, new double[] {base, base}, new double[] {now, now}).lines().get(0).verdict();
    }

    private static Comparison.Result compare(Direction d, Baseline.Tolerance t, double[] base, double[] now) {
        List<ResultRecord> run = new ArrayList<>();
        for (int i = 0; i < now.length; i++) {
            run.add(record("s" + i, now[i]));
        }
        return Comparison.compare(baseline(d, t, base), run);
    }

    private static Baseline baseline(Direction d, Baseline.Tolerance t, double[] base) {
        SortedMap<String, Double> scores = new TreeMap<>();
        double sum = 0;
        for (int i = 0; i < base.length; i++) {
            scores.put("s" + i, base[i]);
            sum += base[i];
        }
        return new Baseline("h", t, List.of(new Baseline.Cell(MethodSpec.parse("x"), "m", "hash", d, sum / base.length, 0, t, scores)));
    }

    private static ResultRecord record(String sample, double score) {
        return new ResultRecord("h", sample, 0, 0, "x", new TreeMap<>(), "m", SPEC, "hash", ResultRecord.Status.OK,
                score, null, null, null, 0, 0);
    }

    private static ResultRecord failed(String sample) {
        return new ResultRecord("h", sample, 0, 0, "x", new TreeMap<>(), "m", SPEC, "hash",
                ResultRecord.Status.FAILED, Double.NaN, null, null, "boom", 0, 0);
    }
}
