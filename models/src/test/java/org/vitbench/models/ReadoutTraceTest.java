package org.vitbench.models;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.vitbench.api.ForwardTrace;
import org.vitbench.api.Gradients;
import org.vitbench.api.TraceOptions;
import org.vitbench.api.TraceOptions.Readout;

/** Per-block readouts {@code head(norm(pool(z_out^l)))} of the traced forward (whitebox brief §2.2 S10). */
class ReadoutTraceTest {

    // The oracle below is float64 over 16-wide LayerNorm and dot products; float32 in the model
    // leaves ~1e-6 relative error on logits of size ~1, while a wrong pooling moves them by > 1e-2.
    private static final double ORACLE_TOL = 1e-4;

    @Test
    void readoutsAreEmptyUnlessAskedAndOnePerBlockOtherwise() {
        try (VisionTransformer model = TinyVit.create(2); NDManager m = NDManager.newBaseManager()) {
            NDArray images = TinyVit.images(m, TinyVit.CONFIG, 2, 3);
            assertEquals(0, model.trace(images, TraceOptions.NONE).readouts().size());
            for (Readout r : new Readout[] {Readout.CLS, Readout.TOKEN_MEAN}) {
                ForwardTrace t = model.trace(images, TraceOptions.NONE.withReadout(r));
                assertEquals(TinyVit.CONFIG.depth(), t.readouts().size(), r.name());
                for (NDArray readout : t.readouts()) {
                    assertEquals(new Shape(2, TinyVit.CONFIG.numClasses()), readout.getShape(), r.name());
                }
            }
        }
    }

    @Test
    void theLastBlocksClsReadoutIsTheModelsLogitsExactly() {
        try (VisionTransformer model = TinyVit.create(2); NDManager m = NDManager.newBaseManager()) {
            NDArray images = TinyVit.images(m, TinyVit.CONFIG, 3, 4);
            ForwardTrace t = model.trace(images, TraceOptions.NONE.withReadout(Readout.CLS));
            float[] logits = model.logits(images).toFloatArray();
            assertArrayEquals(logits, t.readouts().get(TinyVit.CONFIG.depth() - 1).toFloatArray(), 0f);
            assertArrayEquals(logits, t.logits().toFloatArray(), 0f, "readouts leave the logits unchanged");
            float[] tokenMean = model.trace(images, TraceOptions.NONE.withReadout(Readout.TOKEN_MEAN))
                    .readouts().get(TinyVit.CONFIG.depth() - 1).toFloatArray();
            assertTrue(maxAbsDiff(logits, tokenMean) > 1e-2, "token-mean pooling is a different readout");
        }
    }

    @Test
    void readoutsMatchAFloat64OracleOnTheTracedTokenStates() {
        try (VisionTransformer model = TinyVit.create(2); NDManager m = NDManager.newBaseManager()) {
            NDArray images = TinyVit.images(m, TinyVit.CONFIG, 2, 5);
            TraceOptions tokens = TraceOptions.NONE.withTokens(true);
            ForwardTrace cls = model.trace(images, tokens.withReadout(Readout.CLS));
            ForwardTrace mean = model.trace(images, tokens.withReadout(Readout.TOKEN_MEAN));
            for (int l = 0; l < TinyVit.CONFIG.depth(); l++) {
                float[] out = cls.tokens().get(l + 1).toFloatArray(); // z_out^l, [B, N, D]
                assertArrayEquals(oracle(model, out, 2, false), cls.readouts().get(l).toFloatArray(),
                        (float) ORACLE_TOL, "CLS readout of block " + l);
                assertArrayEquals(oracle(model, out, 2, true), mean.readouts().get(l).toFloatArray(),
                        (float) ORACLE_TOL, "token-mean readout of block " + l);
                double patchesOnly = maxAbsDiff(oraclePatchMean(model, out, 2), mean.readouts().get(l).toFloatArray());
                assertTrue(patchesOnly > 1e-2, "the token mean includes CLS (block " + l + ")");
            }
        }
    }

    @Test
    void aBlocksReadoutDoesNotDependOnLaterBlocks() {
        Map<String, float[]> values = TinyVit.values(TinyVit.CONFIG, 2, 0.5);
        Map<String, float[]> changed = new LinkedHashMap<>(values);
        changed.replaceAll((k, v) -> k.startsWith("blocks.1.") ? scaled(v, -1.5f) : v);
        try (VisionTransformer model = TinyVit.create(2); VisionTransformer other = build(changed);
                NDManager m = NDManager.newBaseManager()) {
            NDArray images = TinyVit.images(m, TinyVit.CONFIG, 2, 6);
            for (Readout r : new Readout[] {Readout.CLS, Readout.TOKEN_MEAN}) {
                ForwardTrace a = model.trace(images, TraceOptions.NONE.withReadout(r));
                ForwardTrace b = other.trace(images, TraceOptions.NONE.withReadout(r));
                assertArrayEquals(a.readouts().get(0).toFloatArray(), b.readouts().get(0).toFloatArray(), 0f,
                        r + ": block 0's readout ignores block 1's weights");
                assertTrue(maxAbsDiff(a.readouts().get(1).toFloatArray(), b.readouts().get(1).toFloatArray()) > 1e-2,
                        r + ": block 1's readout does use them");
            }
        }
    }

    @Test
    void aBlocksReadoutHasNoGradientAtLaterAttentionTaps() {
        try (VisionTransformer model = TinyVit.create(2); NDManager m = NDManager.newBaseManager()) {
            NDArray images = TinyVit.images(m, TinyVit.CONFIG, 2, 7);
            for (Readout r : new Readout[] {Readout.CLS, Readout.TOKEN_MEAN}) {
                for (int l = 0; l < TinyVit.CONFIG.depth(); l++) {
                    int block = l;
                    float[][] taps = Gradients.compute(c -> {
                        ForwardTrace t = model.trace(images,
                                TraceOptions.NONE.withAttentionGradTaps(true).withReadout(r));
                        c.backward(t.readouts().get(block).get(":, 1").sum());
                        return new float[][] {t.attentionTaps().get(0).getGradient().toFloatArray(),
                                t.attentionTaps().get(1).getGradient().toFloatArray()};
                    });
                    for (int j = 0; j <= block; j++) {
                        assertTrue(maxAbs(taps[j]) > 1e-4, r + ": readout " + block + " reaches tap " + j);
                    }
                    for (int j = block + 1; j < taps.length; j++) {
                        assertEquals(0.0, maxAbs(taps[j]), 0.0, r + ": readout " + block + " must not reach tap " + j);
                    }
                }
            }
        }
    }

    /** head(norm(pool(z))) in float64 from the model's weights; z is [B, N, D] flattened. */
    private static float[] oracle(VisionTransformer model, float[] z, int b, boolean tokenMean) {
        int n = TinyVit.CONFIG.numTokens();
        int d = TinyVit.CONFIG.dim();
        double[][] pooled = new double[b][d];
        for (int i = 0; i < b; i++) {
            for (int t = 0; t < (tokenMean ? n : 1); t++) {
                for (int e = 0; e < d; e++) {
                    pooled[i][e] += z[(i * n + t) * d + e] / (tokenMean ? (double) n : 1.0);
                }
            }
        }
        return head(model, pooled);
    }

    /** The wrong pooling the reference warns about: the mean over patch tokens only. */
    private static float[] oraclePatchMean(VisionTransformer model, float[] z, int b) {
        int n = TinyVit.CONFIG.numTokens();
        int d = TinyVit.CONFIG.dim();
        double[][] pooled = new double[b][d];
        for (int i = 0; i < b; i++) {
            for (int t = 1; t < n; t++) {
                for (int e = 0; e < d; e++) {
                    pooled[i][e] += z[(i * n + t) * d + e] / (n - 1.0);
                }
            }
        }
        return head(model, pooled);
    }

    private static float[] head(VisionTransformer model, double[][] pooled) {
        int d = TinyVit.CONFIG.dim();
        int k = TinyVit.CONFIG.numClasses();
        float[] gamma = model.weights().get("norm.weight").toFloatArray();
        float[] beta = model.weights().get("norm.bias").toFloatArray();
        float[] w = model.weights().get("head.weight").toFloatArray(); // [K, D]
        float[] bias = model.weights().get("head.bias").toFloatArray();
        float[] out = new float[pooled.length * k];
        for (int i = 0; i < pooled.length; i++) {
            double mu = 0;
            for (double v : pooled[i]) {
                mu += v / d;
            }
            double var = 0;
            for (double v : pooled[i]) {
                var += (v - mu) * (v - mu) / d;
            }
            double sd = Math.sqrt(var + TinyVit.CONFIG.layerNormEps());
            for (int c = 0; c < k; c++) {
                double s = bias[c];
                for (int e = 0; e < d; e++) {
                    s += w[c * d + e] * ((pooled[i][e] - mu) / sd * gamma[e] + beta[e]);
                }
                out[i * k + c] = (float) s;
            }
        }
        return out;
    }

    private static VisionTransformer build(Map<String, float[]> values) {
        NDManager manager = NDManager.newBaseManager();
        Map<String, long[]> shapes = ParameterKeys.of(TinyVit.CONFIG);
        Map<String, NDArray> weights = new LinkedHashMap<>();
        values.forEach((k, v) -> weights.put(k, manager.create(v, new Shape(shapes.get(k)))));
        return new VisionTransformer(TinyVit.config(TinyVit.CONFIG), manager, weights);
    }

    private static float[] scaled(float[] v, float f) {
        float[] out = v.clone();
        for (int i = 0; i < out.length; i++) {
            out[i] *= f;
        }
        return out;
    }

    private static double maxAbs(float[] v) {
        double max = 0;
        for (float x : v) {
            max = Math.max(max, Math.abs(x));
        }
        return max;
    }

    private static double maxAbsDiff(float[] a, float[] b) {
        assertEquals(a.length, b.length);
        double max = 0;
        for (int i = 0; i < a.length; i++) {
            max = Math.max(max, Math.abs(a[i] - b[i]));
        }
        return max;
    }
}
