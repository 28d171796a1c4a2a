package org.vitbench.metrics.faithfulness;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.atomic.AtomicIntegerArray;
import org.junit.jupiter.api.Test;
import org.vitbench.api.ConfigurationException;
import org.vitbench.api.Direction;
import org.vitbench.api.Heatmaps;
import org.vitbench.api.MetricResult;
import org.vitbench.api.ModelInfo;
import org.vitbench.api.Parameters;
import org.vitbench.api.Removal;
import org.vitbench.api.Sample;
import org.vitbench.api.contract.FakeVitModel;

/**
 * ViT Shapley's faithfulness against an additive toy model: explained by its own weights, the
 * attribution sum over the kept patches is a strictly increasing function of the probability, so
 * the Spearman correlation is exactly 1.
 */
class FaithfulnessTest {

    /** Spearman of two identically ordered samples is 1 up to double rounding. */
    private static final double EXACT = 1e-12;

    /** 4x4 grid, P = 16, two classes. */
    private static final ModelInfo TOY = FakeVitModel.info(4, 2, 1, 1, 2);

    /**
     * Dyadic weights (i + 1) / 256: equal subset sums are equal in double on both sides, and
     * distinct sums differ by at least 1/256, far above float rounding of the logits.
     */
    private static final float[] W = new float[16];

    static {
        for (int i = 0; i < W.length; i++) {
            W[i] = (i + 1) / 256f;
        }
    }

    /** p(class 0 | kept set S) = 0.05 + 0.9 * sum of W over S. */
    private static FakeVitModel additive() {
        return ToyModels.additive(TOY, W);
    }

    private static MetricResult run(Faithfulness metric, FakeVitModel model, List<Sample> samples, int[] targets,
            float[][] maps, long seed) {
        return ToyModels.run(metric, model, samples, targets, Heatmaps.of(4, maps), seed);
    }

    private static float[] negated(float[] map) {
        float[] out = new float[map.length];
        for (int i = 0; i < map.length; i++) {
            out[i] = -map[i];
        }
        return out;
    }

    @Test
    void anAdditiveModelExplainedByItsWeightsScoresOne() {
        try (FakeVitModel model = additive()) {
            List<Sample> samples = FakeVitModel.randomSamples(TOY, 3, 1L);
            MetricResult r = run(new Faithfulness(), model, samples, new int[] {0, 1, 0},
                    new float[][] {W, W, negated(W)}, 11L);
            assertEquals(1, r.scores()[0], EXACT);
            // Class 1 has probability 1 - p: the same weights are exactly anti-monotone for it.
            assertEquals(-1, r.scores()[1], EXACT);
            assertEquals(-1, r.scores()[2], EXACT);
            assertNull(r.curves());
            assertEquals(Direction.HIGHER_IS_BETTER, new Faithfulness().info().direction());
        }
    }

    @Test
    void zeroMeanRandomMapsScoreNearZeroAndAZeroMapScoresZero() {
        List<Sample> one = FakeVitModel.randomSamples(TOY, 1, 2L);
        try (FakeVitModel model = additive()) {
            Faithfulness metric = new Faithfulness();
            double sum = 0;
            int maps = 30;
            for (int m = 0; m < maps; m++) {
                SplittableRandom random = new SplittableRandom(500 + m);
                float[] map = new float[16];
                double mean = 0;
                for (int i = 0; i < map.length; i++) {
                    map[i] = (float) random.nextDouble();
                    mean += map[i] / 16.0;
                }
                for (int i = 0; i < map.length; i++) { // exactly centred, so the sum does not track |S|
                    map[i] -= (float) mean;
                }
                double score = run(metric, model, one, new int[1], new float[][] {map}, 11L).scores()[0];
                assertTrue(score < 1 - 1e-3, "random map " + m + " scored " + score);
                sum += score;
            }
            // An unrelated centred map: r tracks sum_i W_i m_i, whose mean over maps is 0.
            assertEquals(0, sum / maps, 0.2, "mean score of zero-mean random maps");
            // The attribution sums are all 0: no correlation is defined, and the map scores 0.
            assertEquals(0, run(metric, model, one, new int[1], new float[][] {new float[16]}, 11L).scores()[0], 0);
        }
    }

    @Test
    void subsetSizesAreUniformFromZeroToP() {
        AtomicIntegerArray sizes = new AtomicIntegerArray(17);
        try (FakeVitModel model = FakeVitModel.of(TOY, keep -> {
            int kept = 0;
            for (float k : keep) {
                kept += (int) k;
            }
            sizes.incrementAndGet(kept);
            return new float[] {0f, 0f};
        })) {
            run(new Faithfulness(Removal.ATTENTION_MASK, 1700, 64), model, FakeVitModel.randomSamples(TOY, 1, 1L),
                    new int[1], new float[][] {W}, 3L);
            assertEquals(1700, model.evaluations(), "one model call per subset, none for the full image");
            // 100 expected per size; binomial SD about 10, so [60, 140] is a four-SD band.
            for (int k = 0; k <= 16; k++) {
                assertTrue(sizes.get(k) >= 60 && sizes.get(k) <= 140, "size " + k + " drawn " + sizes.get(k) + " times");
            }
        }
    }

    @Test
    void subsetEvaluationsAreComputedOncePerSampleAndSharedByEveryMethod() {
        List<Sample> samples = FakeVitModel.randomSamples(TOY, 2, 1L);
        try (FakeVitModel model = additive()) {
            Faithfulness metric = new Faithfulness();
            run(metric, model, samples, new int[2], new float[][] {W, W}, 11L);
            assertEquals(2000, model.evaluations());
            MetricResult second = run(metric, model, samples, new int[2], new float[][] {negated(W), W}, 11L);
            assertEquals(2000, model.evaluations(), "a second method reuses the cached probabilities");
            assertEquals(-1, second.scores()[0], EXACT);
            run(metric, model, samples.subList(1, 2), new int[] {1}, new float[][] {W}, 11L);
            assertEquals(3000, model.evaluations(), "another target is another entry");
        }
    }

    @Test
    void theSpecHoldsRemovalAndSubsetsButNotBatchSize() {
        assertEquals("faithfulness@vit-shapley{removal=attention-mask;subsets=1000;}v1",
                new Faithfulness().spec().canonical());
        Faithfulness custom = Faithfulness.create(Parameters.of(Faithfulness.ID,
                Map.of("removal", "token-drop", "subsets", "200", "batchSize", "16")));
        assertEquals("faithfulness@vit-shapley{removal=token-drop;subsets=200;}v1", custom.spec().canonical());
        try (FakeVitModel model = additive()) {
            run(custom, model, FakeVitModel.randomSamples(TOY, 1, 1L), new int[1], new float[][] {W}, 1L);
            assertEquals(Removal.TOKEN_DROP, model.lastRemoval());
            assertEquals(16, model.largestBatch());
        }
    }

    @Test
    void badParametersAndInputsFailNamingTheProblem() {
        for (Map<String, String> bad : List.of(Map.of("preset", "bhatt"), Map.of("subsets", "1"),
                Map.of("subsets", "many"), Map.of("batchSize", "0"), Map.of("removal", "blur"),
                Map.of("output", "logit"))) {
            ConfigurationException e = assertThrows(ConfigurationException.class,
                    () -> Faithfulness.create(Parameters.of(Faithfulness.ID, bad)), bad.toString());
            assertTrue(e.getMessage().contains(bad.keySet().iterator().next()), e.getMessage());
        }
        try (FakeVitModel model = additive()) {
            List<Sample> one = FakeVitModel.randomSamples(TOY, 1, 1L);
            float[] inf = W.clone();
            inf[5] = Float.POSITIVE_INFINITY;
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> run(new Faithfulness(), model, one, new int[1], new float[][] {inf}, 1L));
            assertTrue(e.getMessage().contains("s0") && e.getMessage().contains("index 5"), e.getMessage());
            assertThrows(IllegalArgumentException.class, () -> run(new Faithfulness(), model, one, new int[1],
                    new float[][] {W, W}, 1L));
            assertEquals(0, model.evaluations());
        }
    }
}
