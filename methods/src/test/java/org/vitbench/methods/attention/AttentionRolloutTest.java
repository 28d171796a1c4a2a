package org.vitbench.methods.attention;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.vitbench.api.ConfigurationException;
import org.vitbench.api.Context;
import org.vitbench.api.Explainer;
import org.vitbench.api.ModelInfo;
import org.vitbench.api.Parameters;
import org.vitbench.api.Sample;
import org.vitbench.api.VitModel;
import org.vitbench.api.contract.ExplainerContract;
import org.vitbench.api.contract.FakeVitModel;
import org.vitbench.methods.attention.AttentionRollout.HeadFusion;

/**
 * Attention rollout against maps worked out by hand on a 2x2 grid (N = 5 tokens, token 0 = CLS),
 * plus the shared explainer contract on a fake model whose attention depends on the image.
 */
class AttentionRolloutTest extends ExplainerContract {

    /** Hand-computed values are short decimals; float32 arithmetic stays well within this. */
    private static final float EXACT = 1e-6f;

    private static final int N = 5;

    // ---------------------------------------------------------------- contract on a fake model

    private static final ModelInfo CONTRACT_INFO = FakeVitModel.info(3, 2, 3, 2, 4);

    @Override
    protected Explainer explainer() {
        return new AttentionRollout(HeadFusion.MAX, 0.3, 1, true);
    }

    @Override
    protected VitModel createModel() {
        return new FakeVitModel(CONTRACT_INFO, AttentionRolloutTest::contractLogits, AttentionRolloutTest::contractAttention);
    }

    @Override
    protected List<Sample> samples(VitModel model) {
        return FakeVitModel.randomSamples(model.info(), 3, 11L);
    }

    /** Logit k = sum over kept patches of mean pixel * ((k + i) mod 3). */
    private static float[] contractLogits(float[] image, float[] keep) {
        float[] means = FakeVitModel.patchMeans(CONTRACT_INFO, image);
        float[] logits = new float[CONTRACT_INFO.numClasses()];
        for (int k = 0; k < logits.length; k++) {
            for (int i = 0; i < means.length; i++) {
                logits[k] += keep[i] * means[i] * ((k + i) % 3);
            }
        }
        return logits;
    }

    /** Softmax over keys of 3 (h + 1)(l + 1) t_q t_k, with t = 0.5 for CLS and patch means otherwise. */
    private static float[][][] contractAttention(float[] image, int block) {
        float[] means = FakeVitModel.patchMeans(CONTRACT_INFO, image);
        int n = CONTRACT_INFO.numTokens();
        float[] t = new float[n];
        t[0] = 0.5f;
        System.arraycopy(means, 0, t, 1, means.length);
        float[][][] a = new float[CONTRACT_INFO.heads()][n][n];
        for (int h = 0; h < a.length; h++) {
            for (int q = 0; q < n; q++) {
                double sum = 0;
                for (int k = 0; k < n; k++) {
                    sum += Math.exp(3.0 * (h + 1) * (block + 1) * t[q] * t[k]);
                }
                for (int k = 0; k < n; k++) {
                    a[h][q][k] = (float) (Math.exp(3.0 * (h + 1) * (block + 1) * t[q] * t[k]) / sum);
                }
            }
        }
        return a;
    }

    // ---------------------------------------------------------------- oracles

    @Test
    void uniformAttentionOverTwoBlocksGivesThreeTwentiethsPerPatch() {
        // U = J/5 is idempotent, so (U/2 + I/2)^2 = 3U/4 + I/4 and each CLS-to-patch entry is 0.75 * 0.2.
        float[][] uniform = filled(0.2f);
        float[] map = rollout(new AttentionRollout(), new float[][][][] {{uniform}, {uniform}});
        assertArrayEquals(new float[] {0.15f, 0.15f, 0.15f, 0.15f}, map, EXACT);
    }

    @Test
    void attentionFlowsThroughEarlierBlocksAndLaterBlocksMultiplyOnTheLeft() {
        // Block 0: CLS -> token 1, token 2 -> token 3. Block 1: CLS -> token 2. All else attends to itself.
        // Â0 row 0 = [.5 .5 0 0 0], row 2 = [0 0 .5 .5 0]; Â1 row 0 = [.5 0 .5 0 0].
        // R = Â1 Â0, row 0 = .5 Â0[0] + .5 Â0[2] = [.25 .25 .25 .25 0].
        // The wrong order Â0 Â1 would give row 0 = [.25 .5 .25 0 0].
        float[][][][] attention = {{pointer(new int[] {1, 1, 3, 3, 4})}, {pointer(new int[] {2, 1, 2, 3, 4})}};
        assertArrayEquals(new float[] {0.25f, 0.25f, 0.25f, 0f},
                rollout(new AttentionRollout(), attention), EXACT);
        // startLayer 1: R = Â1 alone.
        assertArrayEquals(new float[] {0f, 0.5f, 0f, 0f},
                rollout(new AttentionRollout(HeadFusion.MEAN, 0, 1, true), attention), EXACT);
        // Without the residual: R = A1 A0, row 0 = A0[2] = e3.
        assertArrayEquals(new float[] {0f, 0f, 1f, 0f},
                rollout(new AttentionRollout(HeadFusion.MEAN, 0, 0, false), attention), EXACT);
    }

    @Test
    void headFusionMeanMaxMinAsComputedByHand() {
        // One block, two heads that differ in the CLS row only; other rows attend to themselves.
        float[][] head0 = pointer(new int[] {0, 1, 2, 3, 4});
        float[][] head1 = pointer(new int[] {0, 1, 2, 3, 4});
        head0[0] = new float[] {0.4f, 0.3f, 0.1f, 0.1f, 0.1f};
        head1[0] = new float[] {0.2f, 0.1f, 0.5f, 0.1f, 0.1f};
        float[][][][] attention = {{head0, head1}};
        // mean: [.3 .2 .3 .1 .1] + e0 = [1.3 .2 .3 .1 .1], sum 2
        assertArrayEquals(new float[] {0.1f, 0.15f, 0.05f, 0.05f},
                rollout(new AttentionRollout(HeadFusion.MEAN, 0, 0, true), attention), EXACT);
        // max: [.4 .3 .5 .1 .1] + e0 = [1.4 .3 .5 .1 .1], sum 2.4
        assertArrayEquals(new float[] {0.3f / 2.4f, 0.5f / 2.4f, 0.1f / 2.4f, 0.1f / 2.4f},
                rollout(new AttentionRollout(HeadFusion.MAX, 0, 0, true), attention), EXACT);
        // min: [.2 .1 .1 .1 .1] + e0 = [1.2 .1 .1 .1 .1], sum 1.6
        assertArrayEquals(new float[] {0.0625f, 0.0625f, 0.0625f, 0.0625f},
                rollout(new AttentionRollout(HeadFusion.MIN, 0, 0, true), attention), EXACT);
    }

    @Test
    void discardZeroesTheSmallestEntriesOfTheWholeMatrixButSparesClsCls() {
        // All 25 entries distinct; the 5 smallest are .01 [CLS,CLS], .02 [2,4], .03 [3,4], .04 [0,4], .07 [1,4].
        float[][] a = {
            {0.01f, 0.50f, 0.30f, 0.15f, 0.04f},
            {0.10f, 0.60f, 0.12f, 0.11f, 0.07f},
            {0.13f, 0.14f, 0.55f, 0.16f, 0.02f},
            {0.17f, 0.18f, 0.19f, 0.43f, 0.03f},
            {0.21f, 0.22f, 0.23f, 0.09f, 0.25f},
        };
        // ratio .2: floor(25 * .2) = 5 chosen, [CLS,CLS] spared. CLS row [.01 .5 .3 .15 0] + e0, sum 1.96.
        // Per-row discarding would keep .04; dropping [CLS,CLS] would make the sum 1.95; jacobgil's
        // column-wise normalisation would divide by the row sums 1.93, 1.98, 1.97 of rows 1-3.
        assertArrayEquals(new float[] {0.5f / 1.96f, 0.3f / 1.96f, 0.15f / 1.96f, 0f},
                rollout(new AttentionRollout(HeadFusion.MEAN, 0.2, 0, true), new float[][][][] {{a}}), EXACT);
    }

    @Test
    void discardBreaksTiesInRowMajorOrder() {
        // Uniform 0.2 everywhere, ratio .5: floor(12.5) = 12 ties; flat indices 0..11 are chosen and
        // index 0 ([CLS,CLS]) is spared, so [0,1..4], [1,0..4] and [2,0..1] become 0.
        float[][] expected = {
            {1f, 0f, 0f, 0f, 0f},
            {0f, 1f, 0f, 0f, 0f},
            {0f, 0f, 0.75f, 0.125f, 0.125f},
            {0.1f, 0.1f, 0.1f, 0.6f, 0.1f},
            {0.1f, 0.1f, 0.1f, 0.1f, 0.6f},
        };
        assertMatrix(expected, adjusted(new AttentionRollout(HeadFusion.MEAN, 0.5, 0, true), filled(0.2f)));
        // Without the residual, row 1 is emptied and stays 0 instead of becoming NaN.
        float third = 1f / 3f;
        float[][] noResidual = {
            {1f, 0f, 0f, 0f, 0f},
            {0f, 0f, 0f, 0f, 0f},
            {0f, 0f, third, third, third},
            {0.2f, 0.2f, 0.2f, 0.2f, 0.2f},
            {0.2f, 0.2f, 0.2f, 0.2f, 0.2f},
        };
        assertMatrix(noResidual, adjusted(new AttentionRollout(HeadFusion.MEAN, 0.5, 0, false), filled(0.2f)));
    }

    @Test
    void everyAdjustedMatrixIsRowStochastic() {
        SplittableRandom random = new SplittableRandom(3L);
        try (NDManager manager = NDManager.newBaseManager()) {
            float[] data = new float[2 * 3 * N * N];
            for (int i = 0; i < data.length; i++) {
                data[i] = (float) random.nextDouble();
            }
            NDArray logits = manager.create(data, new Shape(2, 3, N, N));
            NDArray attention = logits.mul(4).softmax(3); // [B, H, N, N], rows sum to 1
            for (HeadFusion fusion : HeadFusion.values()) {
                for (double ratio : new double[] {0, 0.3, 0.9}) {
                    NDArray rows = new AttentionRollout(fusion, ratio, 0, true).adjusted(attention).sum(new int[] {2});
                    for (float sum : rows.toFloatArray()) {
                        assertEquals(1f, sum, EXACT, fusion + ", discard " + ratio);
                    }
                }
            }
        }
    }

    @Test
    void theMapDoesNotDependOnTheTarget() {
        List<Sample> samples = samples(model());
        try (NDManager m = model().manager().newSubManager()) {
            Context context = new Context(model(), SEED, m);
            assertEquals(explainer().explain(context, samples, new int[] {0, 0, 0}),
                    explainer().explain(context, samples, new int[] {1, 2, 3}));
        }
    }

    @Test
    void parametersAreValidatedAndResolved() {
        assertEquals(Map.of("headFusion", "mean", "discardRatio", "0.0", "startLayer", "0", "residual", "true"),
                AttentionRollout.create(Parameters.empty()).parameters().asMap());
        AttentionRollout custom = AttentionRollout.create(Parameters.of(AttentionRollout.ID,
                Map.of("headFusion", "min", "discardRatio", "0.9", "startLayer", "1", "residual", "false")));
        assertEquals(Map.of("headFusion", "min", "discardRatio", "0.9", "startLayer", "1", "residual", "false"),
                custom.parameters().asMap());
        assertThrows(ConfigurationException.class, () -> AttentionRollout.create(
                Parameters.of(AttentionRollout.ID, Map.of("headFusion", "median"))));
        assertThrows(ConfigurationException.class, () -> AttentionRollout.create(
                Parameters.of(AttentionRollout.ID, Map.of("discardRatio", "1.5"))));
        assertThrows(ConfigurationException.class, () -> AttentionRollout.create(
                Parameters.of(AttentionRollout.ID, Map.of("discard_ratio", "0.9"))));
        ConfigurationException beyond = assertThrows(ConfigurationException.class, () -> rollout(
                new AttentionRollout(HeadFusion.MEAN, 0, 2, true), new float[][][][] {{filled(0.2f)}, {filled(0.2f)}}));
        assertTrue(beyond.getMessage().contains("startLayer 2"), beyond.getMessage());
    }

    // ---------------------------------------------------------------- helpers

    /** The map of one random image on a 2x2 fake with the given attention {@code [L][H][N][N]}. */
    private static float[] rollout(AttentionRollout method, float[][][][] attention) {
        ModelInfo info = FakeVitModel.info(2, 2, attention.length, attention[0].length, 2);
        try (FakeVitModel model = FakeVitModel.of(info, keep -> new float[2], attention);
                NDManager manager = model.manager().newSubManager()) {
            List<Sample> samples = FakeVitModel.randomSamples(info, 1, 0L);
            return method.explain(new Context(model, 0L, manager), samples, new int[] {0}).target()[0];
        }
    }

    /** Â of a single-head block given as one N x N matrix. */
    private static float[] adjusted(AttentionRollout method, float[][] a) {
        try (NDManager manager = NDManager.newBaseManager()) {
            NDArray attention = manager.create(a).reshape(1, 1, N, N); // [N, N] -> [B=1, H=1, N, N]
            return method.adjusted(attention).toFloatArray();
        }
    }

    private static void assertMatrix(float[][] expected, float[] actual) {
        for (int q = 0; q < N; q++) {
            for (int k = 0; k < N; k++) {
                assertEquals(expected[q][k], actual[q * N + k], EXACT, "entry [" + q + ", " + k + "]");
            }
        }
    }

    private static float[][] filled(float value) {
        float[][] m = new float[N][N];
        for (float[] row : m) {
            java.util.Arrays.fill(row, value);
        }
        return m;
    }

    /** Row i attends fully to token {@code to[i]}. */
    private static float[][] pointer(int[] to) {
        float[][] m = new float[N][N];
        for (int i = 0; i < N; i++) {
            m[i][to[i]] = 1f;
        }
        return m;
    }
}
