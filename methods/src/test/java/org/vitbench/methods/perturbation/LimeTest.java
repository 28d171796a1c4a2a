package org.vitbench.methods.perturbation;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDManager;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.vitbench.api.ConfigurationException;
import org.vitbench.api.Context;
import org.vitbench.api.Heatmaps;
import org.vitbench.api.ModelInfo;
import org.vitbench.api.Parameters;
import org.vitbench.api.Sample;
import org.vitbench.api.contract.FakeVitModel;

class LimeTest {

    private static final ModelInfo INFO = FakeVitModel.info(3, 4, 1, 1, 3);

    private static Lime lime(Map<String, String> values) {
        return Lime.create(Parameters.of(Lime.ID, values));
    }

    private static Heatmaps explain(FakeVitModel model, Lime method, long seed) {
        List<Sample> samples = FakeVitModel.randomSamples(model.info(), 2, 1L);
        try (NDManager manager = model.manager().newSubManager()) {
            return method.explain(new Context(model, seed, manager), samples, new int[] {0, 1});
        }
    }

    /** logit 0 = sum_i w_i z_i + 2, logit 1 = -3 sum_i w_i z_i, logit 2 = 5: integer weights, exact in float. */
    @Test
    void anAdditiveGameIsRecoveredExactlyWithoutPenalty() {
        int[] w = {1, -2, 3, 0, 4, -1, 2, 5, -3};
        try (FakeVitModel model = FakeVitModel.of(INFO, keep -> {
            float sum = 0;
            for (int i = 0; i < w.length; i++) {
                sum += w[i] * keep[i];
            }
            return new float[] {sum + 2, -3 * sum, 5};
        })) {
            Heatmaps maps = explain(model, lime(Map.of("samples", "200", "alpha", "0", "output", "logit")), 3L);
            for (int b = 0; b < 2; b++) {
                for (int i = 0; i < w.length; i++) {
                    assertEquals(w[i], maps.perClass()[b][0][i], 1e-6, "class 0, patch " + i);
                    assertEquals(-3 * w[i], maps.perClass()[b][1][i], 1e-6, "class 1, patch " + i);
                    assertEquals(0, maps.perClass()[b][2][i], 1e-6, "class 2, patch " + i);
                }
            }
        }
    }

    /**
     * With alpha 1 and a non-additive model, LIME's map equals an independent solve of the
     * weighted normal equations with an explicit intercept column (unpenalised), over the masks and
     * logits the fake recorded, with weights exp(-8 d^2) written out.
     */
    @Test
    void theRidgeSolutionMatchesTheNormalEquationsWithAnInterceptColumn() {
        List<float[]> masks = new ArrayList<>();
        List<float[]> outputs = new ArrayList<>();
        try (FakeVitModel model = FakeVitModel.of(INFO, keep -> {
            float[] logits = {keep[0] * keep[1] + 0.5f * keep[4] - keep[8], (float) Math.sin(keep[2] + 2 * keep[3]),
                keep[5] + keep[6] + keep[7] * keep[5]};
            masks.add(keep.clone());
            outputs.add(logits.clone());
            return logits;
        })) {
            List<Sample> one = FakeVitModel.randomSamples(INFO, 1, 1L);
            Heatmaps maps;
            try (NDManager manager = model.manager().newSubManager()) {
                maps = lime(Map.of("samples", "150", "output", "logit"))
                        .explain(new Context(model, 11L, manager), one, new int[] {0});
            }
            assertEquals(150, masks.size());
            for (int c = 0; c < 3; c++) {
                double[] expected = normalEquations(masks, outputs, c, 1.0);
                for (int i = 0; i < 9; i++) {
                    assertEquals(expected[i], maps.perClass()[0][c][i], 1e-6, "class " + c + ", patch " + i);
                }
            }
        }
    }

    /** Solves (Z^T W Z + diag(alpha, ..., alpha, 0)) theta = Z^T W y with Z = [z, 1] by Gauss-Jordan. */
    private static double[] normalEquations(List<float[]> masks, List<float[]> outputs, int c, double alpha) {
        int m = masks.get(0).length;
        int d = m + 1;
        double[][] a = new double[d][d + 1];
        for (int j = 0; j < masks.size(); j++) {
            double[] z = new double[d];
            int kept = 0;
            for (int i = 0; i < m; i++) {
                z[i] = masks.get(j)[i];
                kept += (int) masks.get(j)[i];
            }
            z[m] = 1;
            double distance = 1 - Math.sqrt(kept / (double) m);
            double weight = Math.exp(-8 * distance * distance); // sqrt(exp(-d^2 / 0.25^2))
            for (int r = 0; r < d; r++) {
                for (int s = 0; s < d; s++) {
                    a[r][s] += weight * z[r] * z[s];
                }
                a[r][d] += weight * z[r] * outputs.get(j)[c];
            }
        }
        for (int r = 0; r < m; r++) {
            a[r][r] += alpha;
        }
        for (int col = 0; col < d; col++) {
            int pivot = col;
            for (int r = col + 1; r < d; r++) {
                pivot = Math.abs(a[r][col]) > Math.abs(a[pivot][col]) ? r : pivot;
            }
            double[] swap = a[col];
            a[col] = a[pivot];
            a[pivot] = swap;
            for (int r = 0; r < d; r++) {
                if (r != col) {
                    double f = a[r][col] / a[col][col];
                    for (int s = col; s <= d; s++) {
                        a[r][s] -= f * a[col][s];
                    }
                }
            }
        }
        double[] theta = new double[m];
        for (int i = 0; i < m; i++) {
            theta[i] = a[i][d] / a[i][i];
        }
        return theta;
    }

    @Test
    void ridgeFallsBackToLeastSquaresWhenTheDesignIsSingular() {
        // Column 1 is constant, so with alpha 0 the centred normal matrix is singular; the
        // minimum-norm solution gives it 0 and still fits y = 2 x0 exactly.
        double[][] x = {{0, 1}, {1, 1}, {0, 1}, {1, 1}};
        double[][] y = {{0}, {2}, {0}, {2}};
        double[][] beta = WeightedRidge.coefficients(x, y, new double[] {1, 2, 3, 4}, 0);
        assertArrayEquals(new double[] {2, 0}, beta[0], 1e-9);
        // A single sample: nothing to regress on, every coefficient is 0.
        try (FakeVitModel model = FakeVitModel.of(INFO, keep -> new float[] {keep[0], 1, 2})) {
            Heatmaps maps = explain(model, lime(Map.of("samples", "1", "alpha", "0")), 1L);
            assertArrayEquals(new float[9], maps.perClass()[0][0], 0f);
        }
    }

    @Test
    void ridgeShrinksTowardsZeroAsAlphaGrows() {
        SplittableRandom random = new SplittableRandom(4);
        double[][] x = new double[40][3];
        double[][] y = new double[40][1];
        double[] w = new double[40];
        for (int j = 0; j < 40; j++) {
            for (int i = 0; i < 3; i++) {
                x[j][i] = random.nextInt(2);
            }
            y[j][0] = 3 * x[j][0] - x[j][2] + random.nextDouble();
            w[j] = 0.5 + random.nextDouble();
        }
        double previous = Double.POSITIVE_INFINITY;
        for (double alpha : new double[] {0, 1, 10, 1000}) {
            double[] beta = WeightedRidge.coefficients(x, y, w, alpha)[0];
            double norm = Math.sqrt(beta[0] * beta[0] + beta[1] * beta[1] + beta[2] * beta[2]);
            assertTrue(norm < previous, "alpha " + alpha + ": |beta| " + norm + " after " + previous);
            previous = norm;
        }
        assertTrue(previous < 0.1, "alpha 1000 leaves " + previous);
    }

    @Test
    void theKernelIsLimesCosineKernel() {
        assertEquals(1.0, Lime.weight(9, 9, 0.25), 0);
        assertEquals(Math.exp(-8), Lime.weight(0, 9, 0.25), 1e-15);
        double d = 1 - Math.sqrt(4.0 / 9);
        assertEquals(Math.exp(-8 * d * d), Lime.weight(4, 9, 0.25), 1e-15);
    }

    @Test
    void theSameSeedGivesTheSameMapAndAnotherSeedAnother() {
        try (FakeVitModel model = FakeVitModel.of(INFO, keep -> new float[] {keep[0] * keep[1], keep[2], 0})) {
            Lime method = lime(Map.of("samples", "50"));
            assertEquals(explain(model, method, 5L), explain(model, method, 5L));
            assertNotEquals(explain(model, method, 5L), explain(model, method, 6L));
        }
    }

    @Test
    void parametersAreCompleteAndBadOnesNamed() {
        assertEquals(Map.of("samples", "1000", "kernelWidth", "0.25", "alpha", "1.0", "removal", "token-drop",
                "output", "probability", "batchSize", "0"), lime(Map.of()).parameters().asMap());
        ConfigurationException width = assertThrows(ConfigurationException.class,
                () -> lime(Map.of("kernelWidth", "0")));
        assertTrue(width.getMessage().contains("kernelWidth"), width.getMessage());
        ConfigurationException key = assertThrows(ConfigurationException.class,
                () -> lime(Map.of("num_samples", "10")));
        assertTrue(key.getMessage().contains("num_samples"), key.getMessage());
        ConfigurationException alpha = assertThrows(ConfigurationException.class, () -> lime(Map.of("alpha", "-1")));
        assertTrue(alpha.getMessage().contains("'alpha'"), alpha.getMessage());
    }
}
