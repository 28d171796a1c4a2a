package org.vitbench.runner.summary;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.vitbench.api.Direction;
import org.vitbench.api.MethodSpec;
import org.vitbench.api.MetricSpec;
import org.vitbench.api.ResultRecord;
import org.vitbench.reports.ReportData;
import org.vitbench.runner.store.RunManifest;

class AggregatorTest {

    private static final MetricSpec DEL = MetricSpec.of("deletion", "vit-shapley", Map.of());
    private static final MetricSpec DEL_RISE = MetricSpec.of("deletion", "rise", Map.of());
    private static final MetricSpec INS = MetricSpec.of("insertion", "vit-shapley", Map.of());

    @Test
    void metricLabelsAreTheShortestUniqueForm() {
        MetricSpec delRiseOther = MetricSpec.of("deletion", "rise", Map.of("steps", "10"));
        List<ResultRecord> records = List.of(ok("s", "a", DEL, 1), ok("s", "a", DEL_RISE, 1), ok("s", "a", INS, 1),
                ok("s", "a", delRiseOther, 1));

        Map<String, String> labels = Aggregator.metricLabels(records);

        assertEquals("deletion@vit-shapley", labels.get(DEL.hash()));
        assertEquals("deletion@rise #" + DEL_RISE.hash(), labels.get(DEL_RISE.hash()));
        assertEquals("insertion", labels.get(INS.hash()));
    }

    @Test
    void aStoredSpecInAnotherFormIsLabelledByItsWholeText() {
        ResultRecord written = ok("s", "a", INS, 1);
        String older = "insertion@vit-shapley{}v0";
        ResultRecord old = new ResultRecord(written.configHash(), "t", 0, 0, "a", written.methodParameters(),
                "insertion", older, "0123456789abcdef", ResultRecord.Status.OK, 1, null, null, null, 0, 0);

        Map<String, String> labels = Aggregator.metricLabels(List.of(written, old));

        assertEquals(older, labels.get("0123456789abcdef"));
        assertEquals("insertion", labels.get(INS.hash()), "counted once: the other spec does not parse");
    }

    @Test
    void methodLabelsDropParametersUnlessTwoConfigurationsShareAnId() {
        List<ResultRecord> records = List.of(
                ResultRecord.ok("h", "s", 0, 0, MethodSpec.of("rollout", Map.of("residual", "true")), DEL, 1, null, null, 0, 0),
                ResultRecord.ok("h", "s", 0, 0, MethodSpec.of("shap", Map.of("budget", "8")), DEL, 1, null, null, 0, 0),
                ResultRecord.ok("h", "s", 0, 0, MethodSpec.of("shap", Map.of("budget", "64")), DEL, 1, null, null, 0, 0));

        Map<MethodSpec, String> labels = Aggregator.methodLabels(records);

        assertEquals(Map.of(MethodSpec.parse("rollout:residual=true"), "rollout", MethodSpec.parse("shap:budget=8"),
                "shap:budget=8", MethodSpec.parse("shap:budget=64"), "shap:budget=64"), labels);
    }

    @Test
    void rowsHoldMeansFailuresAndRanks() {
        List<ResultRecord> records = List.of(ok("s1", "a", DEL, 0.2), ok("s2", "a", DEL, 0.4),
                ok("s1", "b", DEL, 0.1), failed("s2", "b", DEL, "boom"));
        RunManifest manifest = new RunManifest("h", "seed: 0\n", 0, Map.of(DEL.hash(), Direction.LOWER_IS_BETTER),
                List.of(new RunManifest.Skipped("c", "deletion", "why")), Map.of("Java", "17"));

        ReportData data = Aggregator.aggregate("t", records, manifest);

        ReportData.Row a = data.rows().get(0);
        assertEquals("a", a.method());
        assertEquals(0.3, a.mean(), 1e-12);
        assertEquals(2, a.n());
        assertEquals(2, a.rank());
        ReportData.Row b = data.rows().get(1);
        assertEquals(0.1, b.mean(), 0.0);
        assertEquals(1, b.failed());
        assertEquals(1, b.rank());
        assertEquals(List.of(new ReportData.Failure("b", "deletion", 1, "boom", "s2")), data.failures(),
                "skipped pairs are not failures");
        assertEquals(List.of(new ReportData.Skip("c", "deletion", "why")), data.skipped());
        assertEquals("h", data.metadata().get("config hash"));
        assertEquals("2", data.metadata().get("samples"));
        assertEquals("17", data.metadata().get("Java"));
    }

    @Test
    void everyMethodIsComparedWithTheBestOnPairedSamples() {
        List<ResultRecord> records = new java.util.ArrayList<>();
        for (int i = 0; i < 20; i++) {
            double base = 0.1 + 0.01 * i;
            records.add(ok("s" + i, "best", DEL, base));
            records.add(ok("s" + i, "worse", DEL, base + 0.2 + 0.001 * i)); // worse on every sample
            records.add(ok("s" + i, "mixed", DEL, base + (i % 2 == 0 ? 0.05 : -0.04))); // no consistent difference
        }
        RunManifest manifest = new RunManifest("h", "", 0, Map.of(DEL.hash(), Direction.LOWER_IS_BETTER), List.of(),
                Map.of());

        ReportData data = Aggregator.aggregate("t", records, manifest);

        ReportData.Row best = data.rows().get(0);
        ReportData.Row worse = data.rows().get(1);
        ReportData.Row mixed = data.rows().get(2);
        assertEquals(1, best.rank());
        assertTrue(Double.isNaN(best.pVsBest()), "the best is not compared with itself");
        // 20 positive differences: exact two-sided p = 2 / 2^20, Holm over 2 tests doubles it
        assertEquals(2 * 2 / Math.pow(2, 20), worse.pVsBest(), 1e-12);
        assertTrue(worse.differsFromBest());
        assertEquals(1.0, worse.effectVsBest(), 1e-12, "rank-biserial of all-positive differences");
        assertTrue(mixed.pVsBest() > 0.05, "p " + mixed.pVsBest());
    }

    @Test
    void methodsAreRankedAcrossMetricsInEachMetricsDirection() {
        MetricSpec ins = MetricSpec.of("insertion", "vit-shapley", Map.of());
        List<ResultRecord> records = List.of(
                ok("s", "a", DEL, 0.1), ok("s", "b", DEL, 0.2), ok("s", "c", DEL, 0.3), // lower is better: a, b, c
                ok("s", "a", ins, 0.9), ok("s", "b", ins, 0.5), ok("s", "c", ins, 0.7)); // higher is better: a, c, b
        RunManifest manifest = new RunManifest("h", "", 0,
                Map.of(DEL.hash(), Direction.LOWER_IS_BETTER, ins.hash(), Direction.HIGHER_IS_BETTER), List.of(),
                Map.of());

        ReportData.Agreement a = Aggregator.aggregate("t", records, manifest).agreement();

        assertEquals(List.of("a", "b", "c"), a.methods());
        assertEquals(2, a.metrics().size());
        org.junit.jupiter.api.Assertions.assertArrayEquals(new double[] {1, 2.5, 2.5}, a.averageRanks(), 1e-12);
        // Kendall's W of the rankings (1,2,3) and (1,3,2): rank sums 2, 5, 5 around their mean 4 give S = 6,
        // W = 12 S / (m^2 (n^3 - n)) = 72 / (4 * 24) = 0.75
        assertEquals(0.75, a.kendallW(), 1e-12);
        assertEquals(org.vitbench.metrics.statistics.Nemenyi.criticalDifference(3, 2, 0.05), a.criticalDifference());
    }

    @Test
    void curvesAreAveragedPointwise() {
        double[] x = {0, 0.5, 1};
        List<ResultRecord> records = List.of(
                ResultRecord.ok("h", "s1", 0, 0, MethodSpec.of("a", Map.of()), DEL, 0.5, new double[] {1, 0.5, 0}, x, 0, 0),
                ResultRecord.ok("h", "s2", 0, 0, MethodSpec.of("a", Map.of()), DEL, 0.3, new double[] {1, 0.1, 0}, x, 0, 0));
        RunManifest manifest = new RunManifest("h", "", 0, Map.of(DEL.hash(), Direction.LOWER_IS_BETTER), List.of(),
                Map.of());

        ReportData.Curve c = Aggregator.aggregate("t", records, manifest).curves().get(0);

        assertArrayEquals(new double[] {1, 0.3, 0}, c.mean(), 1e-12);
        assertArrayEquals(new double[] {1, 0.1, 0}, c.low(), 1e-12);
        assertArrayEquals(new double[] {1, 0.5, 0}, c.high(), 1e-12);
        assertEquals(2, c.n());
    }

    private static ResultRecord ok(String sample, String method, MetricSpec spec, double score) {
        return ResultRecord.ok("h", sample, 0, 0, MethodSpec.of(method, Map.of()), spec, score, null, null, 0.1, 0.2);
    }

    private static ResultRecord failed(String sample, String method, MetricSpec spec, String error) {
        return ResultRecord.failed("h", sample, 0, 0, MethodSpec.of(method, Map.of()), spec, error, 0.1, 0);
    }
}
