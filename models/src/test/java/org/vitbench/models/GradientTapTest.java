package org.vitbench.models;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.pytorch.jni.JniUtils;
import org.junit.jupiter.api.Test;
import org.vitbench.api.ForwardTrace;
import org.vitbench.api.Gradients;
import org.vitbench.api.TraceOptions;

class GradientTapTest {

    @Test
    void inputGradientMatchesCentralDifferences() {
        try (VisionTransformer model = TinyVit.create(2); NDManager m = NDManager.newBaseManager()) {
            NDArray images = TinyVit.images(m, TinyVit.CONFIG, 1, 3);
            float[] grad = Gradients.compute(c -> {
                ForwardTrace t = model.trace(images, TraceOptions.NONE.withInputGradient(true));
                c.backward(t.logits().get(":, 1").sum());
                return t.input().getGradient().toFloatArray();
            });
            float[] x = images.toFloatArray();
            double h = 1e-2;
            for (int i : new int[] {0, 17, 70, 143}) {
                float[] plus = x.clone();
                float[] minus = x.clone();
                plus[i] += (float) h;
                minus[i] -= (float) h;
                double fp = model.logits(m.create(plus, images.getShape())).getFloat(0, 1);
                double fm = model.logits(m.create(minus, images.getShape())).getFloat(0, 1);
                assertEquals((fp - fm) / (2 * h), grad[i], 2e-3, "pixel " + i);
            }
        }
    }

    @Test
    void lastLayerAttentionGradientLivesOnTheClsRowOnly() {
        try (VisionTransformer model = TinyVit.create(2); NDManager m = NDManager.newBaseManager()) {
            NDArray images = TinyVit.images(m, TinyVit.CONFIG, 2, 4);
            float[][] taps = Gradients.compute(c -> {
                ForwardTrace t = model.trace(images, TraceOptions.NONE.withAttentionGradTaps(true));
                c.backward(t.logits().get(":, 0").sum());
                return new float[][] {t.attentionTaps().get(1).getGradient().toFloatArray(),
                        t.attentionTaps().get(0).getGradient().toFloatArray()};
            });
            int n = TinyVit.CONFIG.numTokens();
            double clsRow = 0;
            for (int b = 0; b < 2; b++) {
                for (int h = 0; h < 2; h++) {
                    for (int q = 0; q < n; q++) {
                        for (int k = 0; k < n; k++) {
                            float g = taps[0][((b * 2 + h) * n + q) * n + k];
                            if (q == 0) {
                                clsRow += Math.abs(g);
                            } else {
                                assertEquals(0f, g, 0f, "only the CLS query reaches the head in the last block");
                            }
                        }
                    }
                }
            }
            assertTrue(clsRow > 1e-3, "the CLS row carries gradient");
            double firstLayer = 0;
            for (int i = n; i < taps[1].length; i++) {
                firstLayer += Math.abs(taps[1][i]);
            }
            assertTrue(firstLayer > 1e-3, "earlier blocks' patch queries do carry gradient");
        }
    }

    @Test
    void gradientModeIsOffAfterwardsEvenOnException() {
        assertThrows(IllegalStateException.class, () -> Gradients.compute(c -> {
            assertTrue(JniUtils.isGradMode());
            throw new IllegalStateException("boom");
        }));
        assertFalse(JniUtils.isGradMode());
    }
}
