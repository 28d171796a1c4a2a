package org.vitbench.metrics.shapley;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.vitbench.api.Batches;
import org.vitbench.api.Context;
import org.vitbench.api.Heatmaps;
import org.vitbench.api.MetricResult;
import org.vitbench.api.Removal;
import org.vitbench.api.Sample;
import org.vitbench.api.contract.FakeVitModel;
import org.vitbench.models.TinyVit;
import org.vitbench.models.VisionTransformer;
import org.vitbench.models.masking.ExactShapley;
import org.vitbench.models.masking.MaskedEvaluator;

/**
 * The estimation error on the tiny ViT (3x3 grid, 9 players, 3 classes) against the exact Shapley
 * values by enumeration of all 512 coalitions: the metric's KernelSHAP truth is within its own
 * standard error of them, so maps at a known distance from the exact values score that distance.
 * The exact values use attention masking and the metric token dropping, which also checks that the
 * two removals give one game for a CLS ViT.
 */
class ShapleyErrorExactOnTinyVitTest {

    private static final long SEED = 20240611L;

    /**
     * How many of the truth's own standard errors ({@code l2Std}) it may be from the exact values:
     * its squared error has expectation {@code l2Std^2}, so 4 leaves ample room for a noisy std.
     */
    private static final double STD_ERRORS = 4;

    /** Float32 logits and the two removals' different kernels move probabilities by about 1e-7. */
    private static final double FLOAT_ROUNDING = 1e-5;

    /**
     * A longer truth than the default (16,130 instead of 3,842 evaluations; about half the error),
     * shared by the oracle tests so that each sample's truth is computed once.
     */
    private static final ShapleyError ORACLE = new ShapleyError(16384, 128, 0, Removal.TOKEN_DROP, false, 64);

    private static VisionTransformer model;
    private static List<Sample> samples;
    /** {@code [sample][K][P]} exact Shapley values of the softmax probabilities. */
    private static double[][][] exact;
    private static int[] targets;

    @BeforeAll
    static void exactValues() {
        model = TinyVit.create(13);
        samples = FakeVitModel.randomSamples(model.info(), 3, 5L);
        exact = new double[samples.size()][][];
        targets = new int[samples.size()];
        for (int s = 0; s < samples.size(); s++) {
            try (NDManager scope = model.manager().newSubManager()) {
                NDArray image = Batches.images(scope, List.of(samples.get(s)), model.info()); // [1, C, S, S]
                exact[s] = ExactShapley.of(new MaskedEvaluator(Removal.ATTENTION_MASK, 64), model, image,
                        MaskedEvaluator.Output.PROBABILITIES);
            }
            targets[s] = s % model.info().numClasses();
        }
    }

    @AfterAll
    static void closeModel() {
        model.close();
    }

    private static ShapleyError.Truth truth(ShapleyError metric, int s, long seed) {
        try (NDManager manager = model.manager().newSubManager()) {
            return metric.truth(new Context(model, seed, manager), samples.get(s), targets[s]);
        }
    }

    private static MetricResult run(ShapleyError metric, Heatmaps maps, long seed) {
        try (NDManager manager = model.manager().newSubManager()) {
            return metric.evaluate(new Context(model, seed, manager), samples, targets, maps);
        }
    }

    /** {@code factor * exact[s][class]} for every sample, in float. */
    private static float[][] scaledTargetMaps(double factor) {
        float[][] maps = new float[samples.size()][];
        for (int s = 0; s < samples.size(); s++) {
            maps[s] = scaled(exact[s][targets[s]], factor);
        }
        return maps;
    }

    private static float[] scaled(double[] values, double factor) {
        float[] map = new float[values.length];
        for (int i = 0; i < map.length; i++) {
            map[i] = (float) (factor * values[i]);
        }
        return map;
    }

    private static double distance(double[] a, double[] b) {
        double sum = 0;
        for (int i = 0; i < a.length; i++) {
            sum += (a[i] - b[i]) * (a[i] - b[i]);
        }
        return Math.sqrt(sum);
    }

    private static double norm(double[] a) {
        return distance(a, new double[a.length]);
    }

    @Test
    void theTruthIsWithinItsOwnStandardErrorOfTheExactValues() {
        for (int s = 0; s < samples.size(); s++) {
            ShapleyError.Truth truth = truth(ORACLE, s, SEED);
            assertEquals(2 + 63 * 256, truth.evaluations());
            assertTrue(truth.l2Std() > 0 && Double.isFinite(truth.l2Std()), "l2Std " + truth.l2Std());
            double error = distance(truth.values()[targets[s]], exact[s][targets[s]]);
            double bound = STD_ERRORS * truth.l2Std() + FLOAT_ROUNDING;
            assertTrue(error <= bound, "sample " + s + ": truth is " + error + " from the exact values, l2Std "
                    + truth.l2Std());
            // The checks below have power: the exact values are far from zero compared with the bound.
            assertTrue(norm(exact[s][targets[s]]) > 3 * bound,
                    "exact values of sample " + s + " are too small to test against: " + norm(exact[s][targets[s]]));
        }
    }

    @Test
    void mapsAtAKnownDistanceFromTheExactValuesScoreThatDistance() {
        double[] bound = new double[samples.size()];
        for (int s = 0; s < samples.size(); s++) {
            // |score - expected| <= ||truth - exact|| by the triangle inequality.
            bound[s] = STD_ERRORS * truth(ORACLE, s, SEED).l2Std() + FLOAT_ROUNDING;
        }
        double[] factors = {1, 0, 2, -1, 0.5};
        for (double factor : factors) {
            MetricResult result = run(ORACLE, Heatmaps.of(model.info().grid(), scaledTargetMaps(factor)), SEED);
            for (int s = 0; s < samples.size(); s++) {
                double expected = Math.abs(1 - factor) * norm(exact[s][targets[s]]);
                assertEquals(expected, result.scores()[s], bound[s], "factor " + factor + ", sample " + s);
            }
            if (factor == 0) {
                for (int s = 0; s < samples.size(); s++) { // exactly the norm of the truth
                    assertEquals(norm(truth(ORACLE, s, SEED).values()[targets[s]]), result.scores()[s], 1e-12);
                }
            }
        }
        // Both tests, five maps each, share one truth per sample.
        assertEquals(samples.size(), ORACLE.truthComputations());
    }

    @Test
    void nonTargetScoresAverageTheOtherClassesAgainstTheExactValues() {
        ShapleyError metric = new ShapleyError(16384, 128, 0, Removal.TOKEN_DROP, true, 64);
        int k = model.info().numClasses();
        float[][][] exactMaps = new float[samples.size()][k][];
        float[][][] zeroMaps = new float[samples.size()][k][model.info().numPatches()];
        for (int s = 0; s < samples.size(); s++) {
            for (int c = 0; c < k; c++) {
                exactMaps[s][c] = scaled(exact[s][c], 1);
            }
        }
        MetricResult atExact = run(metric, Heatmaps.ofAllClasses(model.info().grid(), exactMaps, targets), SEED);
        MetricResult atZero = run(metric, Heatmaps.ofAllClasses(model.info().grid(), zeroMaps, targets), SEED);
        for (int s = 0; s < samples.size(); s++) {
            ShapleyError.Truth truth = truth(metric, s, SEED);
            double zero = 0;
            double error = 0;
            double exactNorms = 0;
            for (int c = 0; c < k; c++) {
                if (c != targets[s]) {
                    zero += norm(truth.values()[c]) / (k - 1);
                    error += distance(truth.values()[c], exact[s][c]) / (k - 1);
                    exactNorms += norm(exact[s][c]) / (k - 1);
                }
            }
            // Exactly the mean of the other classes' distances, here to the zero map.
            assertEquals(zero, atZero.scores()[s], 1e-12, "zero maps, sample " + s);
            assertEquals(error, atExact.scores()[s], FLOAT_ROUNDING, "exact maps, sample " + s);
            // The non-target rows' own error is not reported; it is small compared with their size.
            assertTrue(atExact.scores()[s] < 0.2 * exactNorms, "sample " + s + ": " + atExact.scores()[s]
                    + " against values of mean norm " + exactNorms);
        }
    }

    @Test
    void theSameSeedGivesTheSameTruthAndAnotherSeedAnother() {
        long start = System.nanoTime();
        ShapleyError.Truth first = truth(new ShapleyError(), 0, SEED);
        System.out.printf("shapley-error default truth on the tiny ViT: %d evaluations in %.0f ms%n",
                first.evaluations(), (System.nanoTime() - start) / 1e6);
        ShapleyError.Truth again = truth(new ShapleyError(), 0, SEED);
        ShapleyError.Truth other = truth(new ShapleyError(), 0, SEED + 1);
        assertArrayEquals(first.values()[targets[0]], again.values()[targets[0]], 0.0);
        assertEquals(first.l2Std(), again.l2Std(), 0.0);
        boolean differs = false;
        for (int i = 0; i < model.info().numPatches(); i++) {
            differs |= first.values()[targets[0]][i] != other.values()[targets[0]][i];
        }
        assertTrue(differs, "another run seed draws other coalitions");
        MetricResult a = run(new ShapleyError(), Heatmaps.of(model.info().grid(), scaledTargetMaps(0.5)), SEED);
        MetricResult b = run(new ShapleyError(), Heatmaps.of(model.info().grid(), scaledTargetMaps(0.5)), SEED);
        assertEquals(a, b);
    }

    @Test
    void batchSizeAndRemovalChangeTheTruthOnlyByRounding() {
        List<ShapleyError> variants = List.of(new ShapleyError(4096, 128, 0, Removal.TOKEN_DROP, false, 7),
                new ShapleyError(4096, 128, 0, Removal.ATTENTION_MASK, false, 64));
        ShapleyError.Truth reference = truth(new ShapleyError(), 1, SEED);
        for (ShapleyError variant : variants) {
            ShapleyError.Truth truth = truth(variant, 1, SEED);
            for (int i = 0; i < model.info().numPatches(); i++) {
                double d = Math.abs(truth.values()[targets[1]][i] - reference.values()[targets[1]][i]);
                if (d > FLOAT_ROUNDING) {
                    fail(variant + " moves patch " + i + " by " + d);
                }
            }
        }
    }
}
