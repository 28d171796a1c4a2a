package org.vitbench.metrics.faithfulness;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.vitbench.metrics.faithfulness.InsertionTest.W;
import static org.vitbench.metrics.faithfulness.InsertionTest.run;

import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.vitbench.api.ConfigurationException;
import org.vitbench.api.Heatmaps;
import org.vitbench.api.Image;
import org.vitbench.api.Metric;
import org.vitbench.api.MetricResult;
import org.vitbench.api.MetricSpec;
import org.vitbench.api.ModelInfo;
import org.vitbench.api.Parameters;
import org.vitbench.api.Removal;
import org.vitbench.api.Sample;
import org.vitbench.api.contract.FakeVitModel;

/**
 * The presets of {@link Deletion} and {@link Insertion}: how they resolve, that each has its own
 * spec hash, and their curves and areas on toy models worked out by hand.
 */
class PerturbationCurveTest {

    private static final double EXACT = 1e-6;

    private static Deletion deletion(Map<String, String> values) {
        return Deletion.create(Parameters.of(Deletion.ID, values));
    }

    private static Insertion insertion(Map<String, String> values) {
        return Insertion.create(Parameters.of(Insertion.ID, values));
    }

    @Test
    void presetsResolveToTheirDocumentedDefaults() {
        assertEquals(List.of("vit-shapley", "rise", "chefer"), new Insertion().info().presets());
        assertEquals(List.of("vit-shapley", "rise", "chefer"), new Deletion().info().presets());
        assertEquals("insertion@vit-shapley{removal=attention-mask;}v1", insertion(Map.of()).spec().canonical());
        assertEquals("deletion@vit-shapley{removal=attention-mask;}v1", deletion(Map.of()).spec().canonical());
        assertEquals("insertion@rise{removal=pixel-blur;}v1",
                insertion(Map.of("preset", "rise")).spec().canonical());
        assertEquals("deletion@rise{removal=pixel-mean;}v1", deletion(Map.of("preset", "rise")).spec().canonical());
        assertEquals("insertion@chefer{order=negative;reference=label;removal=pixel-zero;}v1",
                insertion(Map.of("preset", "chefer")).spec().canonical());
        assertEquals("deletion@chefer{order=positive;reference=label;removal=pixel-zero;}v1",
                deletion(Map.of("preset", "chefer")).spec().canonical());
        assertEquals("deletion@chefer{order=positive;reference=prediction;removal=pixel-zero;}v1",
                deletion(Map.of("preset", "chefer", "order", "positive", "reference", "prediction"))
                        .spec().canonical());
        assertEquals("deletion@vit-shapley{classes=non-target;removal=attention-mask;}v1",
                deletion(Map.of("classes", "non-target")).spec().canonical());
        // classes=target is the default and, like before the option existed, not in the spec.
        assertEquals(new Deletion().spec(), deletion(Map.of("classes", "target")).spec());
    }

    @Test
    void everyPresetHasItsOwnHash() {
        List<Metric> metrics = List.of(new Deletion(), new Insertion(),
                deletion(Map.of("preset", "rise")), insertion(Map.of("preset", "rise")),
                deletion(Map.of("preset", "chefer")), insertion(Map.of("preset", "chefer")),
                deletion(Map.of("preset", "chefer", "reference", "prediction")),
                deletion(Map.of("classes", "non-target")), insertion(Map.of("classes", "non-target")),
                // Same removal, different preset: the preset alone must change the hash.
                insertion(Map.of("preset", "vit-shapley", "removal", "pixel-blur")),
                deletion(Map.of("preset", "vit-shapley", "removal", "pixel-zero")));
        Set<String> hashes = new HashSet<>();
        for (Metric m : metrics) {
            MetricSpec spec = m.spec();
            assertTrue(hashes.add(spec.hash()), "duplicate hash for " + spec.canonical());
        }
        assertEquals(insertion(Map.of("preset", "rise")).spec().hash(),
                insertion(Map.of("preset", "rise", "removal", "pixel-blur", "batchSize", "3")).spec().hash());
    }

    @Test
    void inapplicableOrContradictoryParametersFail() {
        ConfigurationException negative = assertThrows(ConfigurationException.class,
                () -> deletion(Map.of("preset", "chefer", "order", "negative")));
        assertTrue(negative.getMessage().contains("insertion:preset=chefer"), negative.getMessage());
        ConfigurationException positive = assertThrows(ConfigurationException.class,
                () -> insertion(Map.of("preset", "chefer", "order", "positive")));
        assertTrue(positive.getMessage().contains("deletion:preset=chefer"), positive.getMessage());
        ConfigurationException classes = assertThrows(ConfigurationException.class,
                () -> insertion(Map.of("preset", "rise", "classes", "non-target")));
        assertTrue(classes.getMessage().contains("'classes'") && classes.getMessage().contains("vit-shapley"),
                classes.getMessage());
        assertThrows(ConfigurationException.class, () -> deletion(Map.of("order", "positive")));
        assertThrows(ConfigurationException.class, () -> insertion(Map.of("preset", "rise", "reference", "label")));
        assertThrows(ConfigurationException.class,
                () -> deletion(Map.of("preset", "chefer", "reference", "ground-truth")));
        assertThrows(ConfigurationException.class, () -> insertion(Map.of("preset", "rise", "removal", "blur")));
    }

    @Test
    void riseIntegratesWithTheTrapezoidRuleAndUsesPixelBaselines() {
        try (FakeVitModel model = InsertionTest.toyModel()) {
            List<Sample> one = FakeVitModel.randomSamples(InsertionTest.TOY, 1, 1L);
            Heatmaps maps = Heatmaps.of(2, new float[][] {W});
            // Insertion curve .05 .41 .68 .86 .95: trapezoid (2.95 - (.05 + .95) / 2) / 4.
            MetricResult in = run(insertion(Map.of("preset", "rise")), model, one, new int[1], maps, 2L);
            assertArrayEquals(new double[] {0.05, 0.41, 0.68, 0.86, 0.95}, in.curves()[0], EXACT);
            assertEquals(2.45 / 4, in.scores()[0], EXACT);
            assertEquals(Removal.pixel(Removal.PixelBaseline.BLUR), model.lastRemoval());
            // Deletion curve .95 .59 .32 .14 .05: trapezoid (2.05 - .5) / 4.
            MetricResult out = run(deletion(Map.of("preset", "rise")), model, one, new int[1], maps, 2L);
            assertArrayEquals(new double[] {0.95, 0.59, 0.32, 0.14, 0.05}, out.curves()[0], EXACT);
            assertEquals(1.55 / 4, out.scores()[0], EXACT);
            assertEquals(Removal.pixel(Removal.PixelBaseline.MEAN), model.lastRemoval());
            assertArrayEquals(new double[] {0, 0.25, 0.5, 0.75, 1}, out.curveX(), 0);
        }
    }

    // ---------------------------------------------------------------- chefer on a 3x3 threshold model

    /** 3x3 grid, three classes. */
    private static final ModelInfo GRID3 = FakeVitModel.info(3, 2, 1, 1, 3);

    /** Patch weights 9, 8, ..., 1; the heatmap equals them. */
    private static final float[] V = {9, 8, 7, 6, 5, 4, 3, 2, 1};

    /** Logits: class 0 = kept weight (45 in total), class 1 = 12, class 2 = -100. */
    private static FakeVitModel thresholdModel() {
        return FakeVitModel.of(GRID3, keep -> {
            float kept = 0;
            for (int i = 0; i < V.length; i++) {
                kept += V[i] * keep[i];
            }
            return new float[] {kept, 12f, -100f};
        });
    }

    private static Sample labelled(String id, int label) {
        return new Sample(id, label, new Image(1, 6, 6, new float[36]));
    }

    @Test
    void cheferCountsTop1HitsOnTheNominalFractions() {
        // P = 9: floor(9 f) for f = .1 .. .9 removes 0 1 2 3 4 5 6 7 8 patches.
        Heatmaps maps = Heatmaps.of(3, new float[][] {V, V});
        List<Sample> samples = List.of(labelled("a", 0), labelled("b", 1));
        try (FakeVitModel model = thresholdModel()) {
            // Positive (most relevant first): kept weight 45 45 36 28 21 15 10 6 3 1, class 0 wins while > 12.
            MetricResult positive = run(deletion(Map.of("preset", "chefer")), model, samples, new int[2], maps, 1L);
            assertArrayEquals(new double[] {0, .1, .2, .3, .4, .5, .6, .7, .8, .9}, positive.curveX(), 0);
            assertArrayEquals(new double[] {1, 1, 1, 1, 1, 1, 0, 0, 0, 0}, positive.curves()[0], 0);
            assertEquals(0.55, positive.scores()[0], 1e-12);
            // Label 1 is hit exactly where class 0 has lost.
            assertArrayEquals(new double[] {0, 0, 0, 0, 0, 0, 1, 1, 1, 1}, positive.curves()[1], 0);
            assertEquals(0.35, positive.scores()[1], 1e-12);
            assertEquals(Removal.pixel(Removal.PixelBaseline.ZERO), model.lastRemoval());
            // Negative (least relevant first): kept weight 45 45 44 42 39 35 30 24 17 9.
            MetricResult negative = run(insertion(Map.of("preset", "chefer")), model, samples, new int[2], maps, 1L);
            assertArrayEquals(new double[] {1, 1, 1, 1, 1, 1, 1, 1, 1, 0}, negative.curves()[0], 0);
            assertEquals(0.85, negative.scores()[0], 1e-12);
            // Against the clean prediction (class 0) the label no longer matters.
            MetricResult predicted = run(deletion(Map.of("preset", "chefer", "reference", "prediction")), model,
                    samples, new int[2], maps, 1L);
            assertArrayEquals(positive.curves()[0], predicted.curves()[1], 0);
            assertEquals(3 * 2 * 10, model.evaluations(), "ten points per sample in each of three runs");
        }
    }

    @Test
    void cheferWithLabelsNeedsLabelledSamples() {
        try (FakeVitModel model = thresholdModel()) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> run(deletion(Map.of("preset", "chefer")), model, List.of(labelled("u", -1)), new int[1],
                            Heatmaps.of(3, new float[][] {V}), 1L));
            assertTrue(e.getMessage().contains("u") && e.getMessage().contains("reference=prediction"),
                    e.getMessage());
        }
    }
}
