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
import java.util.function.ToDoubleFunction;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.vitbench.api.ConfigurationException;
import org.vitbench.api.Context;
import org.vitbench.api.Heatmaps;
import org.vitbench.api.Image;
import org.vitbench.api.ModelInfo;
import org.vitbench.api.Parameters;
import org.vitbench.api.Sample;
import org.vitbench.api.contract.FakeVitModel;
import org.vitbench.methods.perturbation.SobolAttribution.Estimator;

class SobolAttributionTest {

    private static final double[] C = {1, 2, 3, 0.5};

    /**
     * Unscrambled QMC error decays about as 1 / N: at N = 4096 every estimator is within 1.8e-3 of
     * both oracles below; 5e-3 leaves a margin of about 3, while first-order indices instead of
     * total ones (0.47 against 0.70 for the largest multiplicative term) or a missing factor 2 fail.
     */
    private static final double ORACLE_TOLERANCE = 5e-3;

    private static SobolAttribution sobol(Map<String, String> values) {
        return SobolAttribution.create(Parameters.of(SobolAttribution.ID, values));
    }

    /** Total indices of {@code f} on the design's masks, estimated from f(A) and f(C_i). */
    private static double[] indices(Estimator estimator, int d, int n, ToDoubleFunction<double[]> f) {
        double[][] points = SobolDesign.unscrambled(2 * d, true).points(n);
        double[] yA = new double[n];
        double[][] yC = new double[d][n];
        for (int r = 0; r < n * (d + 1); r++) {
            double y = f.applyAsDouble(SobolAttribution.designRow(points, d, r));
            if (r < n) {
                yA[r] = y;
            } else {
                yC[(r - n) / n][(r - n) % n] = y;
            }
        }
        return estimator.totalIndices(yA, yC);
    }

    /** Additive f = sum c_i m_i, m uniform: ST_i = c_i^2 / sum c_j^2. */
    @ParameterizedTest
    @EnumSource(Estimator.class)
    void anAdditiveFunctionHasIndicesProportionalToSquaredCoefficients(Estimator estimator) {
        double[] st = indices(estimator, C.length, 4096, m -> {
            double sum = 0;
            for (int i = 0; i < C.length; i++) {
                sum += C[i] * m[i];
            }
            return sum;
        });
        double total = Arrays.stream(C).map(c -> c * c).sum();
        for (int i = 0; i < C.length; i++) {
            assertEquals(C[i] * C[i] / total, st[i], ORACLE_TOLERANCE, estimator.id() + ", cell " + i);
        }
    }

    /**
     * Multiplicative f = prod (1 + c_i (m_i - 0.5)): the variance of each factor is v_i = c_i^2 / 12,
     * so ST_i = v_i prod_{j != i} (1 + v_j) / (prod_j (1 + v_j) - 1).
     */
    @ParameterizedTest
    @EnumSource(Estimator.class)
    void aMultiplicativeFunctionHasTheAnalyticTotalIndices(Estimator estimator) {
        double[] st = indices(estimator, C.length, 4096, m -> {
            double product = 1;
            for (int i = 0; i < C.length; i++) {
                product *= 1 + C[i] * (m[i] - 0.5);
            }
            return product;
        });
        double all = 1;
        for (double c : C) {
            all *= 1 + c * c / 12;
        }
        for (int i = 0; i < C.length; i++) {
            double v = C[i] * C[i] / 12;
            assertEquals(v * all / (1 + v) / (all - 1), st[i], ORACLE_TOLERANCE, estimator.id() + ", cell " + i);
        }
    }

    /** Homma's and Saltelli's estimators are one expression written two ways. */
    @Test
    void hommaAndSaltelliCoincide() {
        ToDoubleFunction<double[]> f = m -> Math.sin(3 * m[0]) * m[1] + m[2] * m[2];
        assertArrayEquals(indices(Estimator.HOMMA, 3, 64, f), indices(Estimator.SALTELLI, 3, 64, f), 1e-12,
                "rounding of the same sums only");
    }

    /** Jansen's estimator of a constant is exactly 0, not 0 / 0, thanks to the variance floor. */
    @Test
    void aConstantOutputHasFiniteIndices() {
        double[] yA = new double[8];
        Arrays.fill(yA, 2.5);
        double[][] yC = {yA.clone(), yA.clone()};
        assertArrayEquals(new double[2], Estimator.JANSEN.totalIndices(yA, yC), 0.0);
        for (Estimator estimator : Estimator.values()) {
            for (double v : estimator.totalIndices(yA, yC)) {
                assertTrue(Double.isFinite(v), estimator.id() + ": " + v);
            }
        }
    }

    @Test
    void theEvaluatedRowsAreAThenEachC() {
        double[][] points = {{0.1, 0.2, 0.7, 0.8}, {0.3, 0.4, 0.5, 0.6}};
        assertArrayEquals(new double[] {0.3, 0.4}, SobolAttribution.designRow(points, 2, 1), 0.0);
        assertArrayEquals(new double[] {0.7, 0.2}, SobolAttribution.designRow(points, 2, 2), 0.0, "C_0 row 0");
        assertArrayEquals(new double[] {0.3, 0.6}, SobolAttribution.designRow(points, 2, 5), 0.0, "C_1 row 1");
    }

    /**
     * The logit is 3 x the mean blended pixel of patch 4 of an all-ones image over a zero (mean)
     * baseline, i.e. 3 m_4 on the patch grid: C_i equals A for every other cell, so their Jansen
     * indices are exactly 0, and ST_4 = sum (a_4 - b_4)^2 / (2 N Var(a_4)), about 1 (N = 64
     * quasi-random points; 0.25 allows for the sample variance's error). A class with a constant
     * logit gets 0 everywhere. This checks the wiring of rows to cells and classes.
     */
    @Test
    void aLogitThatReadsOneCellIsAttributedToThatCellOnly() {
        ModelInfo info = FakeVitModel.info(3, 4, 1, 1, 2);
        try (FakeVitModel model = new FakeVitModel(info, (image, keep) -> {
            double sum = 0;
            for (int y = 4; y < 8; y++) {
                for (int x = 4; x < 8; x++) {
                    sum += image[y * 12 + x];
                }
            }
            return new float[] {(float) (3 * sum / 16), 1f};
        }, null)) {
            float[][] maps = explainOnes(model, sobol(Map.of("designs", "64")));
            for (int i = 0; i < 9; i++) {
                if (i == 4) {
                    assertEquals(1.0, maps[0][i], 0.25, "the read cell");
                } else {
                    assertEquals(0f, maps[0][i], "cell " + i);
                }
            }
            assertArrayEquals(new float[9], maps[1], "a constant logit");
        }
    }

    /** With a 2 x 2 grid on 3 x 3 patches, the centre patch averages four cells (area weights). */
    @Test
    void aCoarserGridIsResampledToThePatchGrid() {
        ModelInfo info = FakeVitModel.info(3, 4, 1, 1, 2);
        try (FakeVitModel model = new FakeVitModel(info, (image, keep) -> new float[] {image[0], image[143]}, null)) {
            float[][] maps = explainOnes(model, sobol(Map.of("designs", "32", "grid", "2")));
            // Pixel 0 lies in cell 0, pixel 143 in cell 3; the centre patch is 1/4 of each cell.
            assertTrue(maps[0][0] > 0.5 && maps[0][8] == 0f, Arrays.toString(maps[0]));
            assertEquals(maps[0][0] / 4, maps[0][4], 1e-6, "centre patch, float rounding");
            assertEquals(maps[1][8] / 4, maps[1][4], 1e-6, "centre patch, float rounding");
        }
    }

    private static float[][] explainOnes(FakeVitModel model, SobolAttribution method) {
        int s = model.info().imageSize();
        float[] ones = new float[model.info().channels() * s * s];
        Arrays.fill(ones, 1f);
        Sample sample = new Sample("ones", -1, new Image(model.info().channels(), s, s, ones));
        try (NDManager manager = model.manager().newSubManager()) {
            Heatmaps maps = method.explain(new Context(model, 7L, manager), List.of(sample), new int[] {0});
            return maps.perClass()[0];
        }
    }

    @Test
    void defaultsAreCompleteAndPresetsResolve() {
        assertEquals(Map.of("grid", "0", "designs", "16", "estimator", "jansen", "baseline", "mean",
                "output", "logit", "scramble", "false", "skipOrigin", "true", "batchSize", "0"),
                sobol(Map.of()).parameters().asMap());
        Map<String, String> fel = sobol(Map.of("preset", "fel2021")).parameters().asMap();
        assertEquals("8", fel.get("grid"));
        assertEquals("64", fel.get("designs"));
        assertFalse(fel.containsKey("preset"));
        assertEquals("32", sobol(Map.of("preset", "xplique")).parameters().asMap().get("designs"));
        assertEquals("128", sobol(Map.of("preset", "xplique", "designs", "128")).parameters().asMap().get("designs"));
        SobolAttribution again = sobol(sobol(Map.of("preset", "fel2021")).parameters().asMap());
        assertEquals(sobol(Map.of("preset", "fel2021")).parameters(), again.parameters());
        assertFalse(sobol(Map.of()).isRandomised());
        assertTrue(sobol(Map.of("scramble", "true")).isRandomised());
    }

    @Test
    void badParametersAreNamed() {
        ConfigurationException designs = assertThrows(ConfigurationException.class,
                () -> sobol(Map.of("designs", "24")));
        assertTrue(designs.getMessage().contains("'designs'") && designs.getMessage().contains("16")
                && designs.getMessage().contains("32"), designs.getMessage());
        ConfigurationException small = assertThrows(ConfigurationException.class, () -> sobol(Map.of("designs", "1")));
        assertTrue(small.getMessage().contains("'designs'"), small.getMessage());
        ConfigurationException grid = assertThrows(ConfigurationException.class, () -> sobol(Map.of("grid", "23")));
        assertTrue(grid.getMessage().contains("'grid'") && grid.getMessage().contains("2 to 22"), grid.getMessage());
        ConfigurationException one = assertThrows(ConfigurationException.class, () -> sobol(Map.of("grid", "1")));
        assertTrue(one.getMessage().contains("'grid'"), one.getMessage());
        ConfigurationException estimator = assertThrows(ConfigurationException.class,
                () -> sobol(Map.of("estimator", "sobol")));
        assertTrue(estimator.getMessage().contains("'estimator'") && estimator.getMessage().contains("jansen"),
                estimator.getMessage());
        ConfigurationException key = assertThrows(ConfigurationException.class, () -> sobol(Map.of("nb_design", "8")));
        assertTrue(key.getMessage().contains("'nb_design'") && key.getMessage().contains("designs"),
                key.getMessage());
        ConfigurationException preset = assertThrows(ConfigurationException.class,
                () -> sobol(Map.of("preset", "petsiuk2018")));
        assertTrue(preset.getMessage().contains("fel2021"), preset.getMessage());
    }
}
