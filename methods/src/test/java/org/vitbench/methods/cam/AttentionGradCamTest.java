package org.vitbench.methods.cam;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.vitbench.api.Batches;
import org.vitbench.api.ConfigurationException;
import org.vitbench.api.Context;
import org.vitbench.api.ForwardTrace;
import org.vitbench.api.Gradients;
import org.vitbench.api.Heatmaps;
import org.vitbench.api.Parameters;
import org.vitbench.api.Sample;
import org.vitbench.api.TraceOptions;
import org.vitbench.api.contract.FakeVitModel;
import org.vitbench.models.TinyVit;
import org.vitbench.models.VisionTransformer;

/** Attention GradCAM's head weights, ReLU-after-mean and min-max on hand-made values, and its wiring. */
class AttentionGradCamTest {

    private static final float[][] ATTENTION = {{0.2f, 0.3f, 0.1f}, {0.1f, 0.1f, 0.6f}};
    private static final float[][] GRADIENT = {{1, 2, 3}, {-3, 0, 0}}; // w = (2, -1)

    @Test
    void headWeightsAreGradientMeansAndTheReluFollowsTheHeadMean() {
        // (2 a0 - a1) / 2 = 0.15, 0.25, -0.2 -> ReLU -> 0.15, 0.25, 0. A ReLU per head before the
        // mean would give 0.2, 0.3, 0.1 instead.
        assertArrayEquals(new float[] {0.15f, 0.25f, 0f}, AttentionGradCam.cam(ATTENTION, GRADIENT, false), 1e-7f,
                "float rounding of values computed in double");
        assertArrayEquals(new float[] {0.6f, 1f, 0f}, AttentionGradCam.cam(ATTENTION, GRADIENT, true), 1e-6f,
                "min-max of 0.15, 0.25, 0; float rounding");
    }

    @Test
    void aConstantMapScalesToZerosInsteadOfNaN() {
        float[][] gradient = {{-1, -1, -1}, {0, 0, 0}}; // all evidence negative: ReLU gives zeros
        assertArrayEquals(new float[3], AttentionGradCam.cam(ATTENTION, gradient, true), 0f);
    }

    @Test
    void onTheTinyVitTheRawMapUsesTheLastBlockClsRowAndEachTargetsLogit() {
        try (VisionTransformer model = TinyVit.create(13); NDManager m = model.manager().newSubManager()) {
            List<Sample> samples = FakeVitModel.randomSamples(model.info(), 2, 32L);
            int[] targets = {0, 2};
            Heatmaps maps = new AttentionGradCam(false).explain(new Context(model, 1L, m), samples, targets);
            int h = model.info().heads();
            int n = model.info().numTokens();
            assertTrue(GradCamTest.positive(maps), "some patch has positive evidence, so the comparison is not 0 = 0");
            for (int b = 0; b < samples.size(); b++) {
                NDArray image = Batches.images(m, List.of(samples.get(b)), model.info());
                int target = targets[b];
                float[][] ag = Gradients.compute(c -> {
                    ForwardTrace t = model.trace(image,
                            TraceOptions.NONE.withAttention(true).withAttentionGradTaps(true));
                    c.backward(t.logits().get(0, target));
                    return new float[][] {t.attention().get(1).stopGradient().toFloatArray(),
                            t.attentionTaps().get(1).getGradient().toFloatArray()};
                });
                float[] expected = AttentionGradCam.cam(AttentionGradCam.clsRows(ag[0], 0, h, n),
                        AttentionGradCam.clsRows(ag[1], 0, h, n), false);
                assertArrayEquals(expected, maps.target()[b], 1e-6f,
                        "batched vs single backward, float32 rounding; sample " + b);
            }
        }
    }

    @Test
    void parametersAreResolvedAndValidated() {
        assertEquals(Map.of("scale", "true"), new AttentionGradCam().parameters().asMap());
        assertThrows(ConfigurationException.class,
                () -> AttentionGradCam.create(Parameters.of(AttentionGradCam.ID, Map.of("scale", "yes"))));
    }
}
