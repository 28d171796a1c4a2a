package org.vitbench.metrics.shapley;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDManager;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.vitbench.api.ConfigurationException;
import org.vitbench.api.Context;
import org.vitbench.api.Direction;
import org.vitbench.api.Heatmaps;
import org.vitbench.api.Metric;
import org.vitbench.api.MetricResult;
import org.vitbench.api.ModelInfo;
import org.vitbench.api.Parameters;
import org.vitbench.api.Removal;
import org.vitbench.api.Requirement;
import org.vitbench.api.Sample;
import org.vitbench.api.VitModel;
import org.vitbench.api.contract.FakeVitModel;

/**
 * The estimation error on an additive toy game, whose Shapley values are known in closed form and
 * which KernelSHAP recovers exactly at any budget (the regression has zero residual): scores of
 * hand-built maps, the truth computed once per sample for every method, seeding and parameters.
 */
class ShapleyErrorTest {

    /** 4x4 grid, P = 16, two classes. */
    private static final ModelInfo TOY = FakeVitModel.info(4, 2, 1, 1, 2);

    /**
     * Float logits {@code log p} carry a relative error of about 1e-7 into the probabilities; the
     * truth of an additive game inherits it, times a few for the regression.
     */
    private static final double FLOAT_ROUNDING = 1e-5;

    /** Truth evaluations per sample at the defaults: 2 + 15 iterations of 128 pairs. */
    private static final long DEFAULT_EVALUATIONS = 2 + 15 * 256;

    /** Dyadic weights (i + 1) / 256, summing to 136 / 256 < 1. */
    private static final float[] W = new float[16];

    /** The Shapley values of class 0: {@code 0.9 * W}. */
    private static final float[] PHI = new float[16];

    static {
        for (int i = 0; i < W.length; i++) {
            W[i] = (i + 1) / 256f;
            PHI[i] = 0.9f * W[i];
        }
    }

    /**
     * {@code p(class 0 | kept S) = 0.05 + 0.9 * sum of W over S}, {@code p(class 1) = 1 - p(class 0)},
     * as logits {@code log p}; the Shapley values are {@code 0.9 W} and {@code -0.9 W}.
     */
    private static FakeVitModel additive() {
        return FakeVitModel.of(TOY, keep -> {
            double p = 0.05;
            for (int i = 0; i < W.length; i++) {
                p += 0.9 * W[i] * keep[i];
            }
            return new float[] {(float) Math.log(p), (float) Math.log(1 - p)};
        });
    }

    private static MetricResult run(Metric metric, VitModel model, List<Sample> samples, int[] targets,
            Heatmaps maps, long seed) {
        try (NDManager manager = model.manager().newSubManager()) {
            return metric.evaluate(new Context(model, seed, manager), samples, targets, maps);
        }
    }

    private static float[] scaled(float[] map, float factor) {
        float[] out = new float[map.length];
        for (int i = 0; i < map.length; i++) {
            out[i] = factor * map[i];
        }
        return out;
    }

    private static double norm(float[] map) {
        double sum = 0;
        for (float v : map) {
            sum += (double) v * v;
        }
        return Math.sqrt(sum);
    }

    @Test
    void mapsOfKnownDistanceFromTheExactValuesScoreThatDistance() {
        List<Sample> samples = FakeVitModel.randomSamples(TOY, 1, 1L);
        try (FakeVitModel model = additive()) {
            ShapleyError metric = new ShapleyError();
            float[][] maps = {PHI, new float[16], scaled(PHI, 2), scaled(PHI, -1), scaled(PHI, 0.25f)};
            double[] expected = {0, norm(PHI), norm(PHI), 2 * norm(PHI), 0.75 * norm(PHI)};
            for (int m = 0; m < maps.length; m++) {
                double score = run(metric, model, samples, new int[1], Heatmaps.of(4, new float[][] {maps[m]}), 3L)
                        .scores()[0];
                assertEquals(expected[m], score, FLOAT_ROUNDING, "map " + m);
            }
            // Class 1's values are -0.9 W: the map of class 0 is at twice their norm.
            double other = run(metric, model, samples, new int[] {1}, Heatmaps.of(4, new float[][] {PHI}), 3L)
                    .scores()[0];
            assertEquals(2 * norm(PHI), other, FLOAT_ROUNDING);
        }
    }

    @Test
    void nonTargetScoresAverageTheOtherClassesEachWithItsOwnMap() {
        List<Sample> samples = FakeVitModel.randomSamples(TOY, 1, 1L);
        ShapleyError metric = ShapleyError.create(Parameters.of(ShapleyError.ID, Map.of("classes", "non-target")));
        assertTrue(metric.info().requirements().containsAll(Set.of(Requirement.MASKING, Requirement.ALL_CLASSES)));
        assertFalse(new ShapleyError().info().requirements().contains(Requirement.ALL_CLASSES));
        try (FakeVitModel model = additive()) {
            float[][][] exact = {{PHI, scaled(PHI, -1)}};
            assertEquals(0, run(metric, model, samples, new int[] {0}, Heatmaps.ofAllClasses(4, exact, new int[] {0}),
                    3L).scores()[0], FLOAT_ROUNDING);
            // Target 0: only class 1 counts, and its map is at distance |3 * 0.9 W|.
            float[][][] off = {{new float[16], scaled(PHI, 2)}};
            assertEquals(3 * norm(PHI), run(metric, model, samples, new int[] {0},
                    Heatmaps.ofAllClasses(4, off, new int[] {0}), 3L).scores()[0], FLOAT_ROUNDING);
            // Target 1: only class 0 counts, and its map is zero.
            assertEquals(norm(PHI), run(metric, model, samples, new int[] {1},
                    Heatmaps.ofAllClasses(4, off, new int[] {1}), 3L).scores()[0], FLOAT_ROUNDING);
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> run(metric, model, samples, new int[1], Heatmaps.of(4, new float[][] {PHI}), 3L));
            assertTrue(e.getMessage().contains("ALL_CLASSES"), e.getMessage());
        }
    }

    @Test
    void theTruthIsComputedOncePerSampleAndSharedByEveryMethod() {
        List<Sample> samples = FakeVitModel.randomSamples(TOY, 2, 1L);
        try (FakeVitModel model = additive()) {
            ShapleyError metric = new ShapleyError();
            MetricResult first = run(metric, model, samples, new int[2], Heatmaps.of(4, new float[][] {PHI, PHI}), 7L);
            assertEquals(2 * DEFAULT_EVALUATIONS, model.evaluations());
            assertEquals(Removal.TOKEN_DROP, model.lastRemoval());
            MetricResult second = run(metric, model, samples, new int[2],
                    Heatmaps.of(4, new float[][] {new float[16], scaled(PHI, 2)}), 7L);
            assertEquals(2 * DEFAULT_EVALUATIONS, model.evaluations(), "a second method reuses the cached truths");
            assertEquals(2, metric.truthComputations());
            assertEquals(0, first.scores()[0], FLOAT_ROUNDING);
            assertEquals(norm(PHI), second.scores()[0], FLOAT_ROUNDING);
            assertEquals(norm(PHI), second.scores()[1], FLOAT_ROUNDING);
            run(metric, model, samples.subList(0, 1), new int[1], Heatmaps.of(4, new float[][] {PHI}), 8L);
            assertEquals(3 * DEFAULT_EVALUATIONS, model.evaluations(), "another run seed is another truth");
            ShapleyError another = new ShapleyError();
            run(another, model, samples.subList(0, 1), new int[1], Heatmaps.of(4, new float[][] {PHI}), 7L);
            assertEquals(3 * DEFAULT_EVALUATIONS, model.evaluations(), "instances with the same settings share truths");
            assertEquals(0, another.truthComputations());
            ShapleyCorrelation correlation = ShapleyCorrelation.create(Parameters.of("shapley-correlation", Map.of()));
            MetricResult r = run(correlation, model, samples, new int[2],
                    Heatmaps.of(4, new float[][] {scaled(PHI, 2), scaled(PHI, -1)}), 7L);
            assertEquals(3 * DEFAULT_EVALUATIONS, model.evaluations(), "shapley-correlation shares them too");
            // the truth is PHI up to KernelSHAP's sampling error: correlations of about 1 and -1
            assertEquals(1, r.scores()[0], 1e-3);
            assertEquals(-1, r.scores()[1], 1e-3);
            run(new ShapleyError(2048, 128, 0, Removal.TOKEN_DROP, false, 64), model, samples.subList(0, 1), new int[1],
                    Heatmaps.of(4, new float[][] {PHI}), 7L);
            assertEquals(3 * DEFAULT_EVALUATIONS + 1794, model.evaluations(), "other settings are another truth");
        }
    }

    @Test
    void aBudgetAndThresholdBoundTheTruthsEvaluations() {
        List<Sample> samples = FakeVitModel.randomSamples(TOY, 1, 1L);
        try (FakeVitModel model = additive(); NDManager manager = model.manager().newSubManager()) {
            ShapleyError small = new ShapleyError(1000, 16, 0, Removal.ATTENTION_MASK, false, 8);
            ShapleyError.Truth truth = small.truth(new Context(model, 1L, manager), samples.get(0), 0);
            assertEquals(2 + 31 * 32, truth.evaluations());
            assertEquals(truth.evaluations(), model.evaluations());
            assertEquals(Removal.ATTENTION_MASK, model.lastRemoval());
            assertEquals(8, model.largestBatch());
            assertNull(truth.values()[1], "the target row only is kept for classes=target");
            // An additive game has no sampling error: the blocks agree, so the ratio is 0 and any
            // positive threshold stops at the first point where five block estimates exist.
            ShapleyError early = new ShapleyError(1 << 20, 16, 0.1, Removal.TOKEN_DROP, false, 64);
            ShapleyError.Truth stopped = early.truth(new Context(model, 1L, manager), samples.get(0), 0);
            assertTrue(stopped.ratio() < 0.1, "ratio " + stopped.ratio());
            assertTrue(stopped.evaluations() < 10_000, stopped.evaluations() + " evaluations");
            for (int i = 0; i < 16; i++) {
                assertEquals(PHI[i], stopped.values()[0][i], FLOAT_ROUNDING);
            }
        }
    }

    @Test
    void theSpecHoldsTheTruthSettingsButNotBatchSize() {
        ShapleyError metric = new ShapleyError();
        assertEquals(Direction.LOWER_IS_BETTER, metric.info().direction());
        assertEquals("shapley-error@kernel-shap{budget=4096;classes=target;removal=token-drop;subsets=128;"
                + "threshold=0.0;}v1", metric.spec().canonical());
        ShapleyError custom = ShapleyError.create(Parameters.of(ShapleyError.ID, Map.of("budget", "200000",
                "subsets", "64", "threshold", "0.1", "removal", "attention-mask", "classes", "non-target",
                "batchSize", "16")));
        assertEquals("shapley-error@kernel-shap{budget=200000;classes=non-target;removal=attention-mask;subsets=64;"
                + "threshold=0.1;}v1", custom.spec().canonical());
        assertEquals(custom.spec(), ShapleyError.create(Parameters.of(ShapleyError.ID,
                Map.of("budget", "200000", "subsets", "64", "threshold", "0.1", "removal", "attention-mask",
                        "classes", "non-target"))).spec());
        assertNotEquals(metric.spec().hash(), custom.spec().hash());
    }

    @Test
    void badParametersAndInputsFailNamingTheProblem() {
        for (Map<String, String> bad : List.of(Map.of("preset", "exact"), Map.of("budget", "257"),
                Map.of("budget", "lots"), Map.of("subsets", "0"), Map.of("threshold", "-0.1"),
                Map.of("removal", "pixel-zero"), Map.of("classes", "all"), Map.of("batchSize", "0"),
                Map.of("statistic", "pearson"))) {
            ConfigurationException e = assertThrows(ConfigurationException.class,
                    () -> ShapleyError.create(Parameters.of(ShapleyError.ID, bad)), bad.toString());
            assertTrue(e.getMessage().contains(bad.keySet().iterator().next()), e.getMessage());
        }
        assertThrows(ConfigurationException.class,
                () -> new ShapleyError(4096, 128, 0, Removal.pixel(Removal.PixelBaseline.MEAN), false, 64));
        try (FakeVitModel model = additive()) {
            List<Sample> one = FakeVitModel.randomSamples(TOY, 1, 1L);
            float[] nan = PHI.clone();
            nan[3] = Float.NaN;
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> run(new ShapleyError(), model, one, new int[1], Heatmaps.of(4, new float[][] {nan}), 1L));
            assertTrue(e.getMessage().contains("s0") && e.getMessage().contains("index 3"), e.getMessage());
            assertEquals(0, model.evaluations(), "inputs are checked before the truth is computed");
        }
    }

    @Test
    void truthsRoundTripThroughTheirPackedForm() {
        double[][] values = {{1, 2, 3}, {4, 5, 6}};
        ShapleyError.Truth truth = new ShapleyError.Truth(1, values, 42, 0.5, 0.25);
        ShapleyError.Truth all = ShapleyError.Truth.unpack(truth.pack(true));
        assertArrayEquals(values[0], all.values()[0]);
        assertArrayEquals(values[1], all.values()[1]);
        assertEquals(List.of(1, 42L, 0.5, 0.25), List.of(all.target(), all.evaluations(), all.ratio(), all.l2Std()));
        ShapleyError.Truth one = ShapleyError.Truth.unpack(truth.pack(false));
        assertNull(one.values()[0]);
        assertArrayEquals(values[1], one.values()[1]);
    }
}
