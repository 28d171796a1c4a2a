package org.vitbench.methods.perturbation;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDManager;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.apache.commons.rng.simple.RandomSource;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.vitbench.api.ConfigurationException;
import org.vitbench.api.Context;
import org.vitbench.api.Heatmaps;
import org.vitbench.api.ModelInfo;
import org.vitbench.api.Parameters;
import org.vitbench.api.Sample;
import org.vitbench.api.contract.FakeVitModel;

class HsicAttributionTest {

    private static HsicAttribution hsic(Map<String, String> values) {
        return HsicAttribution.create(Parameters.of(HsicAttribution.ID, values));
    }

    /**
     * xplique's estimator written out: trace(K^i H L H) / n with K^i_ab = 1.5 when X_ai = X_bi
     * and 0.5 otherwise, H = I - 11^T / n and L the RBF kernel of bandwidth {@code w}.
     */
    private static double[] directTrace(boolean[][] design, double[] y, double w) {
        int n = y.length;
        int d = design[0].length;
        double[][] l = new double[n][n];
        for (int a = 0; a < n; a++) {
            for (int b = 0; b < n; b++) {
                l[a][b] = Math.exp(-(y[a] - y[b]) * (y[a] - y[b]) / (2 * w * w));
            }
        }
        double[][] hlh = centre(l);
        double[] scores = new double[d];
        for (int i = 0; i < d; i++) {
            double trace = 0;
            for (int a = 0; a < n; a++) {
                for (int b = 0; b < n; b++) {
                    trace += (design[a][i] == design[b][i] ? 1.5 : 0.5) * hlh[b][a];
                }
            }
            scores[i] = trace / n;
        }
        return scores;
    }

    /** H M H as explicit matrix products. */
    private static double[][] centre(double[][] m) {
        int n = m.length;
        double[][] h = new double[n][n];
        for (int a = 0; a < n; a++) {
            for (int b = 0; b < n; b++) {
                h[a][b] = (a == b ? 1.0 : 0.0) - 1.0 / n;
            }
        }
        return multiply(multiply(h, m), h);
    }

    private static double[][] multiply(double[][] x, double[][] y) {
        int n = x.length;
        double[][] out = new double[n][n];
        for (int a = 0; a < n; a++) {
            for (int k = 0; k < n; k++) {
                for (int b = 0; b < n; b++) {
                    out[a][b] += x[a][k] * y[k][b];
                }
            }
        }
        return out;
    }

    /** The median with linear interpolation, numpy's default percentile. */
    private static double median(double[] y) {
        double[] sorted = y.clone();
        Arrays.sort(sorted);
        int n = sorted.length;
        return n % 2 == 1 ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2;
    }

    /**
     * Closed form and trace agree to rounding: 1e-10 relative to the largest score, as both are
     * O(1) sums of n^2 double terms (n at most 41, so rounding is about 1e-13).
     */
    @ParameterizedTest
    @ValueSource(ints = {2, 7, 40, 41})
    void theClosedFormEqualsTheTraceFormula(int n) {
        SplittableRandom random = new SplittableRandom(n);
        boolean[][] design = new boolean[n][6];
        double[] y = new double[n];
        for (int a = 0; a < n; a++) {
            for (int i = 0; i < 6; i++) {
                design[a][i] = random.nextBoolean();
            }
            y[a] = 2 + random.nextGaussian() + (design[a][0] ? 1.5 : 0);
        }
        double[] expected = directTrace(design, y, median(y));
        double[] actual = HsicAttribution.scores(HsicAttribution.centredColumns(design), y);
        double scale = Arrays.stream(expected).map(Math::abs).max().orElseThrow();
        assertTrue(scale > 0, "a non-trivial case");
        assertArrayEquals(expected, actual, 1e-10 * scale);
    }

    /**
     * Outputs alternating -1 and 1 have median 0, where the reference divides by zero: the
     * bandwidth falls back to their standard deviation, 1, and the scores stay finite, with the
     * cell that decides the sign first. Constant outputs score 0 everywhere.
     */
    @Test
    void aZeroMedianFallsBackToTheStandardDeviation() {
        int n = 32;
        boolean[][] design = HsicAttribution.lhsDesign(n, 4, RandomSource.XO_RO_SHI_RO_128_PP.create(5L));
        double[] y = new double[n];
        for (int a = 0; a < n; a++) {
            y[a] = design[a][2] ? 1 : -1;
        }
        double kept = Arrays.stream(y).filter(v -> v > 0).count();
        assertEquals(n / 2.0, kept, "a Latin hypercube column is balanced, so the median is 0");
        assertEquals(1.0, HsicAttribution.bandwidth(y), 1e-15);
        double[] scores = HsicAttribution.scores(HsicAttribution.centredColumns(design), y);
        for (double v : scores) {
            assertTrue(Double.isFinite(v), Arrays.toString(scores));
        }
        assertArrayEquals(directTrace(design, y, 1.0), scores, 1e-10);
        for (int i = 0; i < 4; i++) {
            assertTrue(i == 2 || scores[i] < scores[2], Arrays.toString(scores));
        }
        double[] constant = new double[n];
        Arrays.fill(constant, 0.0);
        assertEquals(0.0, HsicAttribution.bandwidth(constant));
        assertArrayEquals(new double[4], HsicAttribution.scores(HsicAttribution.centredColumns(design), constant), 0);
    }

    /** Even n: the median of 1, 2, 3, 10 is 2.5 by linear interpolation (the nearest rank would give 2 or 3). */
    @Test
    void theBandwidthIsTheInterpolatedMedian() {
        assertEquals(2.5, HsicAttribution.bandwidth(new double[] {10, 1, 3, 2}), 0.0);
        assertEquals(3.0, HsicAttribution.bandwidth(new double[] {-3, -1, -5}), 0.0, "its absolute value");
    }

    @Test
    void theSobolDesignIsXpliquesRoundedSequence() {
        boolean[][] design = HsicAttribution.sobolDesign(4, 3);
        // Points (0.5, ...), (0.75, 0.25, 0.25), (0.25, 0.75, 0.75), (0.375, 0.375, 0.625); 0.5 rounds to 0.
        assertArrayEquals(new boolean[] {false, false, false}, design[0]);
        assertArrayEquals(new boolean[] {true, false, false}, design[1]);
        assertArrayEquals(new boolean[] {false, true, true}, design[2]);
        assertArrayEquals(new boolean[] {false, false, true}, design[3]);
    }

    /**
     * n / 2 = 32 Latin hypercube points: every stratum is used once, so each cell is kept in exactly
     * half the masks.
     */
    @Test
    void theLatinHypercubeKeepsEveryCellInHalfTheMasks() {
        boolean[][] design = HsicAttribution.lhsDesign(64, 5, RandomSource.XO_RO_SHI_RO_128_PP.create(3L));
        assertEquals(64, design.length);
        for (int i = 0; i < 5; i++) {
            int kept = 0;
            for (boolean[] row : design) {
                kept += row[i] ? 1 : 0;
            }
            assertEquals(32, kept, "cell " + i);
        }
        assertTrue(Arrays.deepEquals(design,
                HsicAttribution.lhsDesign(64, 5, RandomSource.XO_RO_SHI_RO_128_PP.create(3L))), "seeded");
        assertFalse(Arrays.deepEquals(design,
                HsicAttribution.lhsDesign(64, 5, RandomSource.XO_RO_SHI_RO_128_PP.create(4L))), "another seed");
    }

    /**
     * The logit is 3 when patch 7 of a 6 x 6 grid is kept: with 3 x 3 cells (2 x 2 patches each),
     * patch 7 lies in cell 0, so patches 0, 1, 6 and 7 share the top score. A class with a constant
     * logit scores 0 everywhere.
     */
    @ParameterizedTest
    @ValueSource(strings = {"sobol", "lhs"})
    void aPatchThatDecidesTheOutputRanksFirst(String sampler) {
        ModelInfo info = FakeVitModel.info(6, 2, 1, 1, 2);
        try (FakeVitModel model = FakeVitModel.of(info, keep -> new float[] {3 * keep[7], 0f})) {
            float[][] maps = explain(model, hsic(Map.of("grid", "3", "designs", "128", "sampler", sampler)));
            float top = maps[0][7];
            for (int p = 0; p < 36; p++) {
                if (p == 0 || p == 1 || p == 6 || p == 7) {
                    assertEquals(top, maps[0][p], 0f, "patch " + p + " is in cell 0");
                } else {
                    assertTrue(maps[0][p] < top, "patch " + p + ": " + maps[0][p] + " against " + top);
                }
            }
            assertArrayEquals(new float[36], maps[1], "a constant logit");
            assertEquals(128, model.evaluations(), "n forwards, whatever the grid");
            assertEquals("pixel-mean", model.lastRemoval().id(), "the default removal");
        }
    }

    private static float[][] explain(FakeVitModel model, HsicAttribution method) {
        Sample sample = FakeVitModel.randomSamples(model.info(), 1, 9L).get(0);
        try (NDManager manager = model.manager().newSubManager()) {
            Heatmaps maps = method.explain(new Context(model, 7L, manager), List.of(sample), new int[] {0});
            return maps.perClass()[0];
        }
    }

    @Test
    void aGridThatDoesNotDivideThePatchGridNamesTheDivisors() {
        try (FakeVitModel model = FakeVitModel.of(FakeVitModel.info(6, 2, 1, 1, 2), keep -> new float[2])) {
            ConfigurationException e = assertThrows(ConfigurationException.class,
                    () -> explain(model, hsic(Map.of("grid", "4", "designs", "8"))));
            assertTrue(e.getMessage().contains("grid 4") && e.getMessage().contains("2, 3, 6"), e.getMessage());
        }
    }

    @Test
    void defaultsAreComplete() {
        assertEquals(Map.of("grid", "0", "designs", "500", "sampler", "sobol", "removal", "pixel-mean",
                "output", "logit", "batchSize", "0"), hsic(Map.of()).parameters().asMap());
        assertFalse(hsic(Map.of()).isRandomised());
        assertTrue(hsic(Map.of("sampler", "lhs")).isRandomised());
    }

    @Test
    void badParametersAreNamed() {
        ConfigurationException odd = assertThrows(ConfigurationException.class,
                () -> hsic(Map.of("sampler", "lhs", "designs", "501")));
        assertTrue(odd.getMessage().contains("'designs'") && odd.getMessage().contains("even"), odd.getMessage());
        ConfigurationException grid = assertThrows(ConfigurationException.class, () -> hsic(Map.of("grid", "32")));
        assertTrue(grid.getMessage().contains("'grid'") && grid.getMessage().contains("2 to 31"), grid.getMessage());
        assertEquals("32", hsic(Map.of("grid", "32", "sampler", "lhs")).parameters().asMap().get("grid"));
        ConfigurationException designs = assertThrows(ConfigurationException.class,
                () -> hsic(Map.of("designs", "1")));
        assertTrue(designs.getMessage().contains("'designs'"), designs.getMessage());
        ConfigurationException removal = assertThrows(ConfigurationException.class,
                () -> hsic(Map.of("removal", "inpainting")));
        assertTrue(removal.getMessage().contains("pixel-mean"), removal.getMessage());
        ConfigurationException key = assertThrows(ConfigurationException.class, () -> hsic(Map.of("nb_design", "8")));
        assertTrue(key.getMessage().contains("'nb_design'") && key.getMessage().contains("designs"),
                key.getMessage());
    }
}
