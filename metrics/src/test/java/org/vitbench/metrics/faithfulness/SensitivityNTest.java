package org.vitbench.metrics.faithfulness;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.vitbench.api.ConfigurationException;
import org.vitbench.api.Heatmaps;
import org.vitbench.api.MetricResult;
import org.vitbench.api.ModelInfo;
import org.vitbench.api.Parameters;
import org.vitbench.api.Removal;
import org.vitbench.api.Sample;
import org.vitbench.api.contract.FakeVitModel;

/**
 * Sensitivity-n against an additive toy model whose probability drop is exactly proportional to
 * the removed weight, so the true weights correlate perfectly at every n.
 */
class SensitivityNTest {

    /** Float32 log-probabilities reproduce the probabilities to about 1e-7; r stays within 1e-9 of 1. */
    private static final double EXACT = 1e-6;

    /** 4x4 grid, P = 16, two classes. */
    private static final ModelInfo TOY = FakeVitModel.info(4, 2, 1, 1, 2);

    /** Dyadic patch weights (i + 1) / 256, summing to 136 / 256. */
    private static final float[] W = new float[16];

    static {
        for (int i = 0; i < W.length; i++) {
            W[i] = (i + 1) / 256f;
        }
    }

    /** p(class 0 | kept set S) = 0.05 + 0.9 * sum of W over S: removing S drops it by 0.9 * sum of W over S. */
    private static FakeVitModel additive() {
        return ToyModels.additive(TOY, W);
    }

    private static MetricResult run(SensitivityN metric, FakeVitModel model, List<Sample> samples, int[] targets,
            float[][] maps, long seed) {
        return ToyModels.run(metric, model, samples, targets, Heatmaps.of(4, maps), seed);
    }

    private static float[] scaled(float[] map, float factor) {
        float[] out = new float[map.length];
        for (int i = 0; i < map.length; i++) {
            out[i] = map[i] * factor;
        }
        return out;
    }

    private static float[] random(long seed, double shift) {
        SplittableRandom random = new SplittableRandom(seed);
        float[] map = new float[16];
        for (int i = 0; i < map.length; i++) {
            map[i] = (float) (random.nextDouble() - shift);
        }
        return map;
    }

    @Test
    void theGridIsEvenlySpacedUpToEightyPercent() {
        SensitivityN metric = new SensitivityN();
        // 16 * 0.1k = 1.6, 3.2, 4.8, 6.4, 8, 9.6, 11.2, 12.8, rounded.
        assertArrayEquals(new int[] {2, 3, 5, 6, 8, 10, 11, 13}, metric.grid(16));
        // For P = 4 the sizes 0.4 .. 3.2 round to 0, 1, 1, 2, 2, 2, 3, 3: clamped to >= 1 and deduplicated.
        assertArrayEquals(new int[] {1, 2, 3}, metric.grid(4));
        // maxFraction 1 would remove every patch; n stops at P - 1.
        assertArrayEquals(new int[] {2, 3}, new SensitivityN(Removal.ATTENTION_MASK, SensitivityN.Output.PROBABILITY,
                1.0, 2, 10, 8).grid(4));
        assertThrows(IllegalArgumentException.class, () -> metric.grid(1));
    }

    @Test
    void theTrueWeightsCorrelatePerfectlyAtEveryNAndTheirNegationAntiCorrelates() {
        try (FakeVitModel model = additive()) {
            List<Sample> samples = FakeVitModel.randomSamples(TOY, 3, 1L);
            MetricResult result = run(new SensitivityN(), model, samples, new int[] {0, 0, 0},
                    new float[][] {W, scaled(W, 5f), scaled(W, -1f)}, 7L);
            assertArrayEquals(new double[] {2 / 16.0, 3 / 16.0, 5 / 16.0, 6 / 16.0, 8 / 16.0, 10 / 16.0,
                    11 / 16.0, 13 / 16.0}, result.curveX(), 0);
            for (int g = 0; g < 8; g++) {
                assertEquals(1, result.curves()[0][g], EXACT, "true weights at n index " + g);
                assertEquals(1, result.curves()[1][g], EXACT, "scaled weights at n index " + g);
                assertEquals(-1, result.curves()[2][g], EXACT, "negated weights at n index " + g);
            }
            assertEquals(1, result.scores()[0], EXACT);
            assertEquals(-1, result.scores()[2], EXACT);
        }
    }

    @Test
    void randomMapsScoreNearZeroAndTheScoreIsTheMeanOfTheCurve() {
        List<Sample> one = FakeVitModel.randomSamples(TOY, 1, 1L);
        double sum = 0;
        int maps = 40;
        try (FakeVitModel model = additive()) {
            SensitivityN metric = new SensitivityN();
            for (int m = 0; m < maps; m++) {
                MetricResult r = run(metric, model, one, new int[1], new float[][] {random(100 + m, 0)}, 7L);
                double mean = 0;
                for (double c : r.curves()[0]) {
                    mean += c / r.curves()[0].length;
                }
                assertEquals(mean, r.scores()[0], 1e-15, "score is the plain mean of the per-n correlations");
                assertTrue(r.scores()[0] < 0.6, "random map " + m + " scored " + r.scores()[0]);
                sum += r.scores()[0];
            }
        }
        // Per n, r of an unrelated map has SD about 0.1 (100 sets); the mean over 8 n and 40 maps about 0.01.
        assertEquals(0, sum / maps, 0.05, "mean score of random maps");
    }

    @Test
    void eachSetRemovesExactlyNPatchesAndEachNHasItsSubsets() {
        Map<Integer, AtomicInteger> removedCounts = new ConcurrentHashMap<>();
        try (FakeVitModel model = FakeVitModel.of(TOY, keep -> {
            int removed = 0;
            for (float k : keep) {
                removed += k == 0 ? 1 : 0;
            }
            removedCounts.computeIfAbsent(removed, r -> new AtomicInteger()).incrementAndGet();
            return new float[] {0f, 0f};
        })) {
            SensitivityN metric = new SensitivityN(Removal.ATTENTION_MASK, SensitivityN.Output.PROBABILITY, 0.5, 4,
                    30, 7);
            MetricResult r = run(metric, model, FakeVitModel.randomSamples(TOY, 1, 1L), new int[1],
                    new float[][] {W}, 3L);
            Map<Integer, Integer> counts = new TreeMap<>();
            removedCounts.forEach((k, v) -> counts.put(k, v.get()));
            // n = round(16 * 0.5 * k / 4) = 2, 4, 6, 8, plus the full image.
            assertEquals(Map.of(0, 1, 2, 30, 4, 30, 6, 30, 8, 30), counts);
            assertEquals(7, model.largestBatch());
            // A model that ignores the input gives constant drops: r is undefined and counts as 0.
            assertArrayEquals(new double[] {0, 0, 0, 0}, r.curves()[0], 0);
        }
    }

    @Test
    void theLogitOutputIsExactlyAdditiveWhereTheProbabilityIsNot() {
        // logit_0 = 4 * sum of kept W, logit_1 = 0: the logit drop is 4 * removed W, the probability drop a
        // sigmoid of it.
        try (FakeVitModel model = FakeVitModel.of(TOY, keep -> {
            double s = 0;
            for (int i = 0; i < W.length; i++) {
                s += 4 * W[i] * keep[i];
            }
            return new float[] {(float) s, 0f};
        })) {
            List<Sample> one = FakeVitModel.randomSamples(TOY, 1, 1L);
            SensitivityN logit = SensitivityN.create(Parameters.of(SensitivityN.ID, Map.of("output", "logit")));
            assertEquals(1, run(logit, model, one, new int[1], new float[][] {W}, 7L).scores()[0], EXACT);
            double probability = run(new SensitivityN(), model, one, new int[1], new float[][] {W}, 7L).scores()[0];
            assertTrue(probability > 0.9 && probability < 1 - 1e-4, "probability output gave " + probability);
        }
    }

    @Test
    void subsetEvaluationsAreComputedOncePerSampleAndSharedByEveryMethod() {
        List<Sample> samples = FakeVitModel.randomSamples(TOY, 2, 1L);
        int perSample = 1 + 8 * 100;
        try (FakeVitModel model = additive()) {
            SensitivityN metric = new SensitivityN();
            MetricResult first = run(metric, model, samples, new int[2], new float[][] {W, W}, 7L);
            assertEquals(2 * perSample, model.evaluations());
            MetricResult second = run(metric, model, samples, new int[2],
                    new float[][] {random(1, 0.5), random(2, 0.5)}, 7L);
            assertEquals(2 * perSample, model.evaluations(), "a second method reuses the cached outputs");
            // Scores equal those of a fresh instance: the cache changes cost, not results.
            assertEquals(second, run(new SensitivityN(), model, samples, new int[2],
                    new float[][] {random(1, 0.5), random(2, 0.5)}, 7L));
            assertEquals(4 * perSample, model.evaluations(), "a fresh instance has its own cache");
            run(metric, model, samples.subList(0, 1), new int[] {1}, new float[][] {W}, 7L);
            assertEquals(5 * perSample, model.evaluations(), "another target is another entry");
            run(metric, model, samples.subList(0, 1), new int[1], new float[][] {W}, 8L);
            assertEquals(6 * perSample, model.evaluations(), "another run seed draws other sets");
            assertNotEquals(first, second);
        }
        // Another sample with the same id but other pixels is not served from the cache.
        try (FakeVitModel model = additive()) {
            SensitivityN metric = new SensitivityN();
            run(metric, model, FakeVitModel.randomSamples(TOY, 1, 1L), new int[1], new float[][] {W}, 7L);
            run(metric, model, FakeVitModel.randomSamples(TOY, 1, 2L), new int[1], new float[][] {W}, 7L);
            assertEquals(2 * perSample, model.evaluations());
        }
    }

    @Test
    void concurrentMethodsShareOneComputation() throws Exception {
        List<Sample> one = FakeVitModel.randomSamples(TOY, 1, 4L);
        float[][] maps = new float[8][];
        for (int m = 0; m < maps.length; m++) {
            maps[m] = random(40 + m, 0.5);
        }
        double[] sequential = new double[maps.length];
        try (FakeVitModel model = additive()) {
            SensitivityN reference = new SensitivityN();
            for (int m = 0; m < maps.length; m++) {
                sequential[m] = run(reference, model, one, new int[1], new float[][] {maps[m]}, 7L).scores()[0];
            }
        }
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try (FakeVitModel model = additive()) {
            SensitivityN shared = new SensitivityN();
            List<Future<Double>> futures = new ArrayList<>();
            for (float[] map : maps) {
                futures.add(pool.submit(() -> run(shared, model, one, new int[1], new float[][] {map}, 7L).scores()[0]));
            }
            for (int m = 0; m < maps.length; m++) {
                assertEquals(sequential[m], futures.get(m).get(), 0, "map " + m);
            }
            assertEquals(1 + 8 * 100, model.evaluations(), "eight concurrent methods, one set of evaluations");
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void theSpecHoldsEveryScoreChangingParameter() {
        assertEquals("sensitivity-n@ancona{maxFraction=0.8;output=probability;points=8;removal=attention-mask;"
                + "subsets=100;}v1", new SensitivityN().spec().canonical());
        SensitivityN custom = SensitivityN.create(Parameters.of(SensitivityN.ID, Map.of("removal", "pixel-zero",
                "output", "logit", "maxFraction", "0.5", "points", "4", "subsets", "30", "batchSize", "3")));
        assertEquals("sensitivity-n@ancona{maxFraction=0.5;output=logit;points=4;removal=pixel-zero;subsets=30;}v1",
                custom.spec().canonical());
        assertEquals(new SensitivityN().spec(),
                SensitivityN.create(Parameters.of(SensitivityN.ID, Map.of("batchSize", "5"))).spec());
    }

    @Test
    void badParametersAndInputsFailNamingTheProblem() {
        for (Map<String, String> bad : List.of(Map.of("preset", "quantus"), Map.of("maxFraction", "0"),
                Map.of("maxFraction", "1.5"), Map.of("maxFraction", "NaN"), Map.of("points", "0"),
                Map.of("subsets", "1"), Map.of("batchSize", "0"), Map.of("output", "softmax"),
                Map.of("removal", "blur"), Map.of("n", "10"))) {
            ConfigurationException e = assertThrows(ConfigurationException.class,
                    () -> SensitivityN.create(Parameters.of(SensitivityN.ID, bad)), bad.toString());
            String key = bad.keySet().iterator().next();
            assertTrue(e.getMessage().contains(key), e.getMessage());
        }
        try (FakeVitModel model = additive()) {
            List<Sample> one = FakeVitModel.randomSamples(TOY, 1, 1L);
            float[] nan = W.clone();
            nan[3] = Float.NaN;
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> run(new SensitivityN(), model, one, new int[1], new float[][] {nan}, 1L));
            assertTrue(e.getMessage().contains("s0") && e.getMessage().contains("index 3"), e.getMessage());
            assertThrows(IllegalArgumentException.class,
                    () -> run(new SensitivityN(), model, one, new int[] {2}, new float[][] {W}, 1L));
            assertEquals(0, model.evaluations(), "inputs are checked before any model call");
        }
    }
}
