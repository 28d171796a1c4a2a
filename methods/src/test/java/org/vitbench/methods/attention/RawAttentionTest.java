package org.vitbench.methods.attention;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDManager;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.vitbench.api.ConfigurationException;
import org.vitbench.api.Context;
import org.vitbench.api.Heatmaps;
import org.vitbench.api.Parameters;
import org.vitbench.api.Sample;
import org.vitbench.api.contract.FakeVitModel;
import org.vitbench.methods.attention.AttentionRollout.HeadFusion;
import org.vitbench.models.TinyVit;
import org.vitbench.models.VisionTransformer;
import org.vitbench.models.VitConfig;

/**
 * Raw attention against attention probabilities computed independently, loop by loop in double
 * precision, from the tiny ViT's fixed weights ({@link TinyVit#values}, seed 13): patch embedding,
 * positions, LayerNorm-1, qkv and softmax of block 0. Block 0 needs no earlier block, so the oracle
 * is short; the default layer is checked on a one-block ViT, where the last block is block 0.
 */
class RawAttentionTest {

    /** float32 forward against a double oracle on probabilities in [0, 1]: rounding is ~1e-7. */
    private static final double TOL = 1e-5;

    private static final long SEED = 13;

    @Test
    void layerZeroIsTheClsRowOfBlockZeroForEveryHeadFusion() {
        VitConfig config = TinyVit.CONFIG;
        try (VisionTransformer model = TinyVit.create(config, SEED, 0.5)) {
            List<Sample> samples = FakeVitModel.randomSamples(model.info(), 2, 7L);
            for (HeadFusion fusion : HeadFusion.values()) {
                Heatmaps maps = explain(new RawAttention(0, fusion), model, samples);
                for (int b = 0; b < samples.size(); b++) {
                    double[][] cls = oracleClsAttention(config, samples.get(b).image().pixels());
                    assertMap(fuse(cls, fusion), maps.target()[b], fusion + ", sample " + b);
                }
            }
        }
    }

    @Test
    void theDefaultIsTheLastBlockWithHeadsAveraged() {
        VitConfig oneBlock = VitConfig.of(12, 4, 1, 16, 1, 2, 2.0, 3);
        try (VisionTransformer model = TinyVit.create(oneBlock, SEED, 0.5)) {
            List<Sample> samples = FakeVitModel.randomSamples(model.info(), 2, 8L);
            Heatmaps maps = explain(new RawAttention(), model, samples);
            for (int b = 0; b < samples.size(); b++) {
                double[][] cls = oracleClsAttention(oneBlock, samples.get(b).image().pixels());
                assertMap(fuse(cls, HeadFusion.MEAN), maps.target()[b], "sample " + b);
            }
        }
    }

    @Test
    void negativeLayersCountFromTheEnd() {
        try (VisionTransformer model = TinyVit.create(SEED)) {
            List<Sample> samples = FakeVitModel.randomSamples(model.info(), 2, 9L);
            assertEquals(explain(new RawAttention(0, HeadFusion.MEAN), model, samples),
                    explain(new RawAttention(-2, HeadFusion.MEAN), model, samples));
            assertEquals(explain(new RawAttention(1, HeadFusion.MEAN), model, samples),
                    explain(new RawAttention(), model, samples));
            // Blocks differ, so the test above cannot pass by accident.
            assertTrue(!explain(new RawAttention(0, HeadFusion.MEAN), model, samples)
                    .equals(explain(new RawAttention(), model, samples)));
        }
    }

    @Test
    void aLayerOutsideTheModelFailsWithTheAllowedRange() {
        try (VisionTransformer model = TinyVit.create(SEED)) {
            List<Sample> samples = FakeVitModel.randomSamples(model.info(), 1, 9L);
            ConfigurationException e = assertThrows(ConfigurationException.class,
                    () -> explain(new RawAttention(2, HeadFusion.MEAN), model, samples));
            assertTrue(e.getMessage().contains("-2 to 1"), e.getMessage());
            assertThrows(ConfigurationException.class,
                    () -> explain(new RawAttention(-3, HeadFusion.MEAN), model, samples));
        }
    }

    @Test
    void parametersAreResolvedAndValidated() {
        assertEquals(Map.of("layer", "-1", "headFusion", "mean"), new RawAttention().parameters().asMap());
        RawAttention max = RawAttention.create(Parameters.of(RawAttention.ID, Map.of("headFusion", "max", "layer", "0")));
        assertEquals(Map.of("layer", "0", "headFusion", "max"), max.parameters().asMap());
        assertThrows(ConfigurationException.class,
                () -> RawAttention.create(Parameters.of(RawAttention.ID, Map.of("headFusion", "median"))));
        assertThrows(ConfigurationException.class,
                () -> RawAttention.create(Parameters.of(RawAttention.ID, Map.of("discardRatio", "0.5"))));
    }

    private static Heatmaps explain(RawAttention method, VisionTransformer model, List<Sample> samples) {
        try (NDManager m = model.manager().newSubManager()) {
            return method.explain(new Context(model, 1L, m), samples, new int[samples.size()]);
        }
    }

    private static void assertMap(double[] expected, float[] actual, String what) {
        assertEquals(expected.length, actual.length, what);
        for (int i = 0; i < expected.length; i++) {
            assertEquals(expected[i], actual[i], TOL, what + ", patch " + i);
        }
    }

    private static double[] fuse(double[][] perHead, HeadFusion fusion) {
        double[] out = new double[perHead[0].length];
        for (int i = 0; i < out.length; i++) {
            double mean = 0;
            double max = Double.NEGATIVE_INFINITY;
            double min = Double.POSITIVE_INFINITY;
            for (double[] head : perHead) {
                mean += head[i] / perHead.length;
                max = Math.max(max, head[i]);
                min = Math.min(min, head[i]);
            }
            out[i] = switch (fusion) {
                case MEAN -> mean;
                case MAX -> max;
                case MIN -> min;
            };
        }
        return out;
    }

    /**
     * Block 0's attention of the CLS query to each patch key, {@code [H][P]}, for a one-channel
     * image, in double precision from the weights as plain arrays.
     */
    static double[][] oracleClsAttention(VitConfig c, float[] image) {
        Map<String, float[]> w = TinyVit.values(c, SEED, 0.5);
        int g = c.grid();
        int p = c.patchSize();
        int d = c.dim();
        int n = c.numTokens();
        int s = c.imageSize();
        double mean = 0.25; // TinyVit.config's preprocessing
        double std = 0.5;
        double[][] z = new double[n][d];
        for (int e = 0; e < d; e++) {
            z[0][e] = w.get("cls_token")[e];
        }
        for (int r = 0; r < g; r++) {
            for (int col = 0; col < g; col++) {
                for (int o = 0; o < d; o++) {
                    double acc = w.get("patch_embed.proj.bias")[o];
                    for (int y = 0; y < p; y++) {
                        for (int x = 0; x < p; x++) {
                            double px = (image[(r * p + y) * s + col * p + x] - mean) / std;
                            acc += px * w.get("patch_embed.proj.weight")[(o * p + y) * p + x];
                        }
                    }
                    z[1 + r * g + col][o] = acc;
                }
            }
        }
        double[][] u = new double[n][d];
        for (int t = 0; t < n; t++) {
            double mu = 0;
            double var = 0;
            for (int e = 0; e < d; e++) {
                z[t][e] += w.get("pos_embed")[t * d + e];
                mu += z[t][e] / d;
            }
            for (int e = 0; e < d; e++) {
                var += (z[t][e] - mu) * (z[t][e] - mu) / d;
            }
            for (int e = 0; e < d; e++) {
                u[t][e] = (z[t][e] - mu) / Math.sqrt(var + c.layerNormEps()) * w.get("blocks.0.norm1.weight")[e]
                        + w.get("blocks.0.norm1.bias")[e];
            }
        }
        float[] qkvW = w.get("blocks.0.attn.qkv.weight"); // [3D, D], rows q | k | v
        float[] qkvB = w.get("blocks.0.attn.qkv.bias");
        int heads = c.heads();
        int dh = c.headDim();
        double[][] out = new double[heads][n - 1];
        for (int h = 0; h < heads; h++) {
            double[] q = new double[dh];
            for (int e = 0; e < dh; e++) {
                q[e] = dot(qkvW, (h * dh + e) * d, u[0]) + qkvB[h * dh + e];
            }
            double[] logits = new double[n];
            double max = Double.NEGATIVE_INFINITY;
            for (int j = 0; j < n; j++) {
                for (int e = 0; e < dh; e++) {
                    int row = d + h * dh + e;
                    logits[j] += q[e] * (dot(qkvW, row * d, u[j]) + qkvB[row]);
                }
                logits[j] /= Math.sqrt(dh);
                max = Math.max(max, logits[j]);
            }
            double sum = 0;
            for (int j = 0; j < n; j++) {
                sum += Math.exp(logits[j] - max);
            }
            for (int j = 1; j < n; j++) {
                out[h][j - 1] = Math.exp(logits[j] - max) / sum;
            }
        }
        return out;
    }

    private static double dot(float[] matrix, int offset, double[] v) {
        double acc = 0;
        for (int e = 0; e < v.length; e++) {
            acc += matrix[offset + e] * v[e];
        }
        return acc;
    }
}
