package org.vitbench.metrics.faithfulness;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.commons.rng.simple.RandomSource;
import org.junit.jupiter.api.Test;
import org.vitbench.api.ConfigurationException;
import org.vitbench.api.Direction;
import org.vitbench.api.Heatmaps;
import org.vitbench.api.Metric;
import org.vitbench.api.MetricResult;
import org.vitbench.api.ModelInfo;
import org.vitbench.api.Parameters;
import org.vitbench.api.Removal;
import org.vitbench.api.Requirement;
import org.vitbench.api.Sample;
import org.vitbench.api.Seeds;
import org.vitbench.api.VitModel;
import org.vitbench.api.contract.FakeVitModel;
import org.vitbench.api.contract.MetricContract;
import org.vitbench.metrics.internal.Ranking;

/**
 * Insertion (preset vit-shapley) against curves worked out by hand on an additive toy model, plus
 * the shared metric contract on a fake model whose logits depend on the image.
 */
class InsertionTest extends MetricContract {

    /** Float32 logits of log-probabilities reproduce the probabilities to about 1e-7. */
    private static final double EXACT = 1e-6;

    // ---------------------------------------------------------------- contract on a fake model

    private static final ModelInfo CONTRACT_INFO = FakeVitModel.info(3, 2, 1, 1, 3);

    @Override
    protected Metric metric() {
        return new Insertion(Removal.ATTENTION_MASK, 4);
    }

    @Override
    protected VitModel createModel() {
        return new FakeVitModel(CONTRACT_INFO, (image, keep) -> {
            float[] means = FakeVitModel.patchMeans(CONTRACT_INFO, image);
            float[] logits = new float[CONTRACT_INFO.numClasses()];
            for (int k = 0; k < logits.length; k++) {
                for (int i = 0; i < means.length; i++) {
                    logits[k] += 3 * keep[i] * means[i] * ((k * 7 + i * 3) % 5 - 2);
                }
            }
            return logits;
        }, null);
    }

    @Override
    protected List<Sample> samples(VitModel model) {
        return FakeVitModel.randomSamples(model.info(), 3, 13L);
    }

    // ---------------------------------------------------------------- oracle: an additive toy model

    /** 2x2 grid, two classes. */
    static final ModelInfo TOY = FakeVitModel.info(2, 2, 1, 1, 2);

    /** Patch weights; p(class 0 | kept set S) = 0.05 + 0.9 * sum of w over S. */
    static final float[] W = {0.3f, 0.1f, 0.4f, 0.2f};

    static FakeVitModel toyModel() {
        return ToyModels.additive(TOY, W);
    }

    static MetricResult run(Metric metric, VitModel model, List<Sample> samples, int[] targets, Heatmaps maps,
            long seed) {
        return ToyModels.run(metric, model, samples, targets, maps, seed);
    }

    private static MetricResult toyResult(Metric metric, FakeVitModel model, List<Sample> samples, int[] targets,
            float[][] maps, long seed) {
        return run(metric, model, samples, targets, Heatmaps.of(2, maps), seed);
    }

    @Test
    void theHeatmapOrderGivesTheExpectedCurveAndAuc() {
        // The map equals W, so patches come in as 2 (.4), 0 (.3), 3 (.2), 1 (.1); the kept weight grows 0, .4, .7, .9, 1.
        try (FakeVitModel model = toyModel()) {
            List<Sample> samples = FakeVitModel.randomSamples(TOY, 2, 1L);
            MetricResult result = toyResult(new Insertion(), model, samples, new int[] {0, 1},
                    new float[][] {W, W}, 5L);
            assertArrayEquals(new double[] {0.05, 0.41, 0.68, 0.86, 0.95}, result.curves()[0], EXACT);
            assertEquals(2.95 / 5, result.scores()[0], EXACT);
            // Target class 1 has probability 1 - p.
            assertArrayEquals(new double[] {0.95, 0.59, 0.32, 0.14, 0.05}, result.curves()[1], EXACT);
            assertEquals(2.05 / 5, result.scores()[1], EXACT);
            assertArrayEquals(new double[] {0, 0.25, 0.5, 0.75, 1}, result.curveX(), 0);
            assertEquals(Removal.ATTENTION_MASK, model.lastRemoval());
        }
    }

    @Test
    void theBestOrderingBeatsTheReversedOne() {
        // Reversed order 1, 3, 0, 2: kept weight 0, .1, .3, .6, 1 -> curve .05 .14 .32 .59 .95.
        float[] reversed = {-W[0], -W[1], -W[2], -W[3]};
        try (FakeVitModel model = toyModel()) {
            List<Sample> samples = FakeVitModel.randomSamples(TOY, 2, 1L);
            MetricResult result = toyResult(new Insertion(), model, samples, new int[] {0, 0},
                    new float[][] {W, reversed}, 5L);
            assertArrayEquals(new double[] {0.05, 0.14, 0.32, 0.59, 0.95}, result.curves()[1], EXACT);
            assertEquals(2.05 / 5, result.scores()[1], EXACT);
            assertTrue(Direction.HIGHER_IS_BETTER.better(result.scores()[0], result.scores()[1]));
            assertEquals(Direction.HIGHER_IS_BETTER, new Insertion().info().direction());
        }
    }

    @Test
    void scoresDoNotDependOnTheChunkSizeAndChunksAreRespected() {
        List<Sample> samples = FakeVitModel.randomSamples(TOY, 3, 2L);
        float[][] maps = {W, {0.5f, 0.5f, 0.1f, 0.9f}, {0f, 0f, 0f, 0f}};
        MetricResult reference = null;
        for (int batchSize : new int[] {1, 2, 3, 5, 64}) {
            try (FakeVitModel model = toyModel()) {
                MetricResult result = toyResult(new Insertion(Removal.ATTENTION_MASK, batchSize), model, samples,
                        new int[] {0, 1, 0}, maps, 9L);
                assertEquals(Math.min(batchSize, 5), model.largestBatch(), "largest chunk, batchSize " + batchSize);
                assertEquals(3 * 5, model.evaluations(), "one evaluation per point and sample");
                if (reference == null) {
                    reference = result;
                } else {
                    assertEquals(reference, result, "batchSize " + batchSize);
                }
            }
        }
    }

    @Test
    void tiesAreBrokenBySeededRandomOrder() {
        // Patches 0 and 1 tie at the top: after one step either .3 or .1 is in (p = .32 or .14);
        // after two steps both are, whatever the order (p = .41).
        float[] tied = {1f, 1f, 0f, 0.5f};
        List<Sample> samples = FakeVitModel.randomSamples(TOY, 20, 3L);
        float[][] maps = samples.stream().map(s -> tied).toArray(float[][]::new);
        try (FakeVitModel model = toyModel()) {
            MetricResult result = toyResult(new Insertion(), model, samples, new int[20], maps, 21L);
            Set<Long> firstSteps = new HashSet<>();
            for (int b = 0; b < samples.size(); b++) {
                int first = Ranking.descendingOrder(tied, RandomSource.XO_RO_SHI_RO_128_PP
                        .create(Seeds.of(21L, samples.get(b).id(), "insertion")))[0];
                assertEquals(first == 0 ? 0.32 : 0.14, result.curves()[b][1], EXACT,
                        "sample " + b + " inserts patch " + first);
                assertEquals(0.41, result.curves()[b][2], EXACT);
                firstSteps.add(Math.round(result.curves()[b][1] * 100));
            }
            assertEquals(Set.of(32L, 14L), firstSteps, "both tie orders occur over 20 samples");
        }
    }

    @Test
    void nonTargetClassesAverageTheCurvesOfEveryOtherClass() {
        // Three classes: p0 = .05 + .9 s, p1 = p2 = (1 - p0) / 2, with s the kept weight.
        ModelInfo three = FakeVitModel.info(2, 2, 1, 1, 3);
        Insertion metric = Insertion.create(Parameters.of(Insertion.ID, Map.of("classes", "non-target")));
        assertTrue(metric.info().requirements().contains(Requirement.ALL_CLASSES));
        assertTrue(!new Insertion().info().requirements().contains(Requirement.ALL_CLASSES));
        assertEquals("insertion@vit-shapley{classes=non-target;removal=attention-mask;}v1",
                metric.spec().canonical());
        float[] reversed = {-W[0], -W[1], -W[2], -W[3]};
        try (FakeVitModel model = FakeVitModel.of(three, keep -> {
            double p = 0.05;
            for (int i = 0; i < W.length; i++) {
                p += 0.9 * W[i] * keep[i];
            }
            float rest = (float) Math.log((1 - p) / 2);
            return new float[] {(float) Math.log(p), rest, rest};
        })) {
            List<Sample> samples = FakeVitModel.randomSamples(three, 1, 4L);
            // Class 1 ranked by W: s = 0 .4 .7 .9 1 -> p1 = .475 .295 .16 .07 .025;
            // class 2 ranked by -W: s = 0 .1 .3 .6 1 -> p2 = .475 .43 .34 .205 .025; class 0 (the target) is not scored.
            Heatmaps maps = Heatmaps.ofAllClasses(2, new float[][][] {{{9f, 9f, 9f, 9f}, W, reversed}}, new int[] {0});
            MetricResult result = run(metric, model, samples, new int[] {0}, maps, 3L);
            assertArrayEquals(new double[] {0.475, 0.3625, 0.25, 0.1375, 0.025}, result.curves()[0], EXACT);
            assertEquals(1.25 / 5, result.scores()[0], EXACT);
            assertEquals(2 * 5, model.evaluations(), "one curve per non-target class");
            IllegalArgumentException targetOnly = assertThrows(IllegalArgumentException.class,
                    () -> run(metric, model, samples, new int[] {0}, Heatmaps.of(2, new float[][] {W}), 3L));
            assertTrue(targetOnly.getMessage().contains("every class"), targetOnly.getMessage());
        }
    }

    @Test
    void theSpecHoldsPresetAndRemovalButNotBatchSize() {
        assertEquals("insertion@vit-shapley{removal=attention-mask;}v1", new Insertion().spec().canonical());
        assertEquals(new Insertion(Removal.ATTENTION_MASK, 1).spec(), new Insertion(Removal.ATTENTION_MASK, 64).spec());
        Insertion pixel = Insertion.create(Parameters.of(Insertion.ID,
                Map.of("preset", "vit-shapley", "removal", "pixel-mean", "batchSize", "8")));
        assertEquals("insertion@vit-shapley{removal=pixel-mean;}v1", pixel.spec().canonical());
        try (FakeVitModel model = toyModel()) {
            toyResult(pixel, model, FakeVitModel.randomSamples(TOY, 1, 1L), new int[1], new float[][] {W}, 1L);
            assertEquals(Removal.pixel(Removal.PixelBaseline.MEAN), model.lastRemoval());
        }
    }

    @Test
    void badParametersAndInputsFailNamingTheProblem() {
        assertThrows(ConfigurationException.class,
                () -> Insertion.create(Parameters.of(Insertion.ID, Map.of("preset", "no-such-preset"))));
        assertThrows(ConfigurationException.class,
                () -> Insertion.create(Parameters.of(Insertion.ID, Map.of("batchSize", "0"))));
        assertThrows(ConfigurationException.class,
                () -> Insertion.create(Parameters.of(Insertion.ID, Map.of("steps", "10"))));
        assertThrows(ConfigurationException.class,
                () -> Insertion.create(Parameters.of(Insertion.ID, Map.of("classes", "all"))));
        try (FakeVitModel model = toyModel()) {
            List<Sample> one = FakeVitModel.randomSamples(TOY, 1, 1L);
            IllegalArgumentException nan = assertThrows(IllegalArgumentException.class, () -> toyResult(
                    new Insertion(), model, one, new int[1], new float[][] {{0f, Float.NaN, 0f, 0f}}, 1L));
            assertTrue(nan.getMessage().contains("s0") && nan.getMessage().contains("index 1"), nan.getMessage());
            assertThrows(IllegalArgumentException.class,
                    () -> toyResult(new Insertion(), model, one, new int[] {2}, new float[][] {W}, 1L));
        }
    }
}
