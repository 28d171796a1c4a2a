package org.vitbench.methods.attention;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.vitbench.api.ConfigurationException;
import org.vitbench.api.contract.FakeVitModel;
import org.vitbench.models.TinyVit;
import org.vitbench.models.VisionTransformer;

/**
 * Chefer's relprop rules ({@link CheferRelevance}) on hand-checked cases, and the sweep's batch
 * behaviour and model check. The full sweep is checked against an independent float64 PyTorch
 * implementation in {@code ReferenceFixturesTest} (specs {@code transformer-attribution} and
 * {@code transformer-attribution:startLayer=1}).
 *
 * <p>Tolerance 1e-6 on the hand cases: float32 arithmetic on values of order 1 (relative 6e-8 per
 * operation) plus the 1e-9 stabiliser, which changes results of order 1 by about 1e-9.
 */
class CheferRelevanceTest {

    private static final double TOL = 1e-6;

    @Test
    void sdivAddsTheStabiliserAndGivesZeroForAZeroDenominator() {
        try (NDManager m = NDManager.newBaseManager()) {
            NDArray a = m.create(new float[] {2f, 1f, 1f, -3f});
            NDArray b = m.create(new float[] {4f, 0f, -1e-9f, -2f});
            float[] got = CheferRelevance.sdiv(a, b).toFloatArray();
            assertEquals(0.5, got[0], TOL, "2 / (4 + 1e-9)");
            assertEquals(0.0, got[1], 0.0, "a zero denominator gives exactly 0");
            // b = -1e-9 makes b + 1e-9 exactly 0 in float32; the reference then divides by 1e-9.
            // 1e3 is far below 1e9 and far above float32's spacing there (64).
            assertEquals(1e9, got[2], 1e3, "a denominator landing on 0 gets 1e-9");
            assertEquals(1.5, got[3], TOL, "-3 / (-2 + 1e-9)");
        }
    }

    /**
     * x = [1, -2], W = [[1, -1], [2, 3]], R = [1, 0.5]: W⁺ = [[1, 0], [2, 3]], W⁻ = [[0, -1], [0, 0]];
     * Z = X⁺W⁺ᵀ + X⁻W⁻ᵀ = [1 + 2, 2 + 0] = [3, 2]; S = [1/3, 1/4]; S·W⁺ = [1/3 + 1/2, 3/4],
     * S·W⁻ = [0, -1/3]; R_in = [1 · 5/6, (-2) · (-1/3)] = [5/6, 2/3], which sums to ΣR = 1.5.
     */
    @Test
    void linearAlphaOneBetaZeroIgnoresTheBiasAndSplitsBySign() {
        try (NDManager m = NDManager.newBaseManager()) {
            NDArray x = m.create(new float[] {1f, -2f}, new Shape(1, 2));
            NDArray w = m.create(new float[] {1f, -1f, 2f, 3f}, new Shape(2, 2));
            NDArray r = m.create(new float[] {1f, 0.5f}, new Shape(1, 2));
            float[] got = CheferRelevance.linear(x, w, r).toFloatArray();
            assertArrayEquals(new double[] {5.0 / 6, 2.0 / 3}, toDoubles(got), TOL, "R_in");
            assertEquals(1.5, got[0] + got[1], TOL, "conservation");
        }
    }

    /**
     * Image 0: a = [1, 2], b = [3, -2], R = [2, 1]. a + b = [4, 0], so S = [1/2, 0] and the z-rule
     * gives Ra = [1/2, 0], Rb = [3/2, 0], which lose the relevance 1 of the zero-sum entry; the
     * renormalisation rescales them to |ΣRa| / (|ΣRa| + |ΣRb|) · ΣR = 1/4 · 3 and 3/4 · 3:
     * Ra = [3/4, 0], Rb = [9/4, 0]. Image 1 (its own sums): a = [1, 1], b = [1, -3], R = [1, 1];
     * S = [1/2, -1/2], Ra = [1/2, -1/2] sums to 0, so all of ΣR = 2 goes to b: Rb = [1/2, 3/2] and
     * Ra = [0, 0] (sdiv of a zero sum is 0).
     */
    @Test
    void addRenormalisesTheTwoSharesPerImage() {
        try (NDManager m = NDManager.newBaseManager()) {
            NDArray a = m.create(new float[] {1f, 2f, 1f, 1f}, new Shape(2, 1, 2));
            NDArray b = m.create(new float[] {3f, -2f, 1f, -3f}, new Shape(2, 1, 2));
            NDArray r = m.create(new float[] {2f, 1f, 1f, 1f}, new Shape(2, 1, 2));
            NDArray[] got = CheferRelevance.add(a, b, r);
            assertArrayEquals(new double[] {0.75, 0, 0, 0}, toDoubles(got[0].toFloatArray()), TOL, "Ra");
            assertArrayEquals(new double[] {2.25, 0, 0.5, 1.5}, toDoubles(got[1].toFloatArray()), TOL, "Rb");
        }
    }

    /** x = [1, 2], y = [3, 4]ᵀ, R = 22: Z = 11, S = 2, Rx = x ⊙ (S yᵀ) = [6, 16], Ry = y ⊙ (xᵀ S) = [6, 16]. */
    @Test
    void matMulUsesTheZRuleOnBothOperands() {
        try (NDManager m = NDManager.newBaseManager()) {
            NDArray x = m.create(new float[] {1f, 2f}, new Shape(1, 1, 2));
            NDArray y = m.create(new float[] {3f, 4f}, new Shape(1, 2, 1));
            NDArray r = m.create(new float[] {22f}, new Shape(1, 1, 1));
            NDArray[] got = CheferRelevance.matMul(x, y, r);
            assertArrayEquals(new double[] {6, 16}, toDoubles(got[0].toFloatArray()), TOL, "R of x");
            assertArrayEquals(new double[] {6, 16}, toDoubles(got[1].toFloatArray()), TOL, "R of y");
        }
    }

    @Test
    void eachImageIsSweptOnItsOwn() {
        try (VisionTransformer model = TinyVit.create(13); NDManager m = model.manager().newSubManager()) {
            NDArray images = TinyVit.images(m, TinyVit.CONFIG, 2, 7);
            int[] targets = {2, 0};
            List<NDArray> batch = CheferRelevance.attentionRelevance(model, images, targets, "test");
            assertEquals(TinyVit.CONFIG.depth(), batch.size());
            for (int i = 0; i < 2; i++) {
                NDArray one = images.get(i).expandDims(0); // [C, S, S] -> [1, C, S, S]
                List<NDArray> alone = CheferRelevance.attentionRelevance(model, one, new int[] {targets[i]}, "test");
                for (int l = 0; l < batch.size(); l++) {
                    assertEquals(new Shape(2, 2, 10, 10), batch.get(l).getShape(), "[B, H, N, N]");
                    float[] want = alone.get(l).toFloatArray();
                    float[] got = batch.get(l).get(i).toFloatArray();
                    double size = alone.get(l).abs().max().getFloat();
                    assertTrue(size > 1e-6, "block " + l + " has a relevance to compare");
                    // the same float32 ops on a batch of 1 or 2: differences are rounding only
                    assertArrayEquals(want, got, (float) (1e-5 * size), "image " + i + ", block " + l);
                }
            }
            // different targets give different relevance: the start vector is wired
            List<NDArray> other = CheferRelevance.attentionRelevance(model, images, new int[] {1, 1}, "test");
            assertTrue(other.get(0).sub(batch.get(0)).abs().max().getFloat()
                    > 1e-3 * batch.get(0).abs().max().getFloat(), "the target changes the relevance");
        }
    }

    @Test
    void anyOtherModelFailsNamingTheMethodAndTheFix() {
        try (FakeVitModel fake = FakeVitModel.of(FakeVitModel.info(2, 2, 1, 1, 2), keep -> new float[2]);
                NDManager m = NDManager.newBaseManager()) {
            NDArray images = m.zeros(new Shape(1, 1, 4, 4));
            ConfigurationException e = assertThrows(ConfigurationException.class,
                    () -> CheferRelevance.attentionRelevance(fake, images, new int[] {0}, "transformer-attribution"));
            assertTrue(e.getMessage().contains("transformer-attribution")
                    && e.getMessage().contains("relevance=gradient-rules"), e.getMessage());
        }
    }

    private static double[] toDoubles(float[] v) {
        double[] out = new double[v.length];
        for (int i = 0; i < v.length; i++) {
            out[i] = v[i];
        }
        return out;
    }
}
