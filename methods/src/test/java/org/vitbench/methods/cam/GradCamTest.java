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

/** GradCAM's weights, ReLU and scaling on hand-made activations, and its wiring on the tiny ViT. */
class GradCamTest {

    private static final float[][] GRADIENT = {{1, -2}, {3, 0}, {2, 1}}; // alpha = (2, -1/3)

    @Test
    void weightsAreChannelMeansOfTheGradientAndTheMapIsReluOfTheWeightedSum() {
        float[][] activation = {{1, 0}, {0.5f, 0.75f}, {-1, 0}};
        // 2*1 = 2; 2*0.5 - 0.75/3 = 0.75; 2*(-1) = -2 -> ReLU 0
        assertArrayEquals(new float[] {2f, 0.75f, 0f}, GradCam.cam(activation, GRADIENT, false), 1e-6f,
                "hand-computed in double, rounded to float");
        // min 0, max 2: divided by 2 + 1e-7 as pytorch-grad-cam's scale_cam_image
        assertArrayEquals(new float[] {(float) (2 / (2 + 1e-7)), (float) (0.75 / (2 + 1e-7)), 0f},
                GradCam.cam(activation, GRADIENT, true), 1e-7f, "float rounding of the scaled values");
    }

    @Test
    void scalingSubtractsTheMinimumAndAllNegativeEvidenceGivesZeros() {
        float[][] positive = {{1, 0}, {0.5f, 0}, {2, 0}}; // 2, 1, 4
        assertArrayEquals(new float[] {(float) (1 / (3 + 1e-7)), 0f, (float) (3 / (3 + 1e-7))},
                GradCam.cam(positive, GRADIENT, true), 1e-7f, "float rounding");
        float[][] negative = {{-1, 0}, {-0.5f, 0}, {-2, 0}};
        assertArrayEquals(new float[3], GradCam.cam(negative, GRADIENT, false), 0f);
        assertArrayEquals(new float[3], GradCam.cam(negative, GRADIENT, true), 0f, "0 / (0 + 1e-7) stays 0");
    }

    @Test
    void onTheTinyVitTheRawMapUsesTheLastNorm1PatchTokensAndEachTargetsLogit() {
        try (VisionTransformer model = TinyVit.create(13); NDManager m = model.manager().newSubManager()) {
            List<Sample> samples = FakeVitModel.randomSamples(model.info(), 2, 31L);
            int[] targets = {1, 2};
            Heatmaps maps = new GradCam(false).explain(new Context(model, 1L, m), samples, targets);
            int n = model.info().numTokens();
            int d = model.info().dim();
            assertTrue(positive(maps), "some patch has positive evidence, so the comparison is not 0 = 0");
            for (int b = 0; b < samples.size(); b++) {
                // One sample, one backward of its own logit: independent of the batched backward.
                NDArray image = Batches.images(m, List.of(samples.get(b)), model.info());
                int target = targets[b];
                float[][] ug = Gradients.compute(c -> {
                    ForwardTrace t = model.trace(image, TraceOptions.NONE.withTokens(true).withNorm1GradTaps(true));
                    c.backward(t.logits().get(0, target));
                    return new float[][] {t.norm1().get(1).stopGradient().toFloatArray(),
                            t.norm1Taps().get(1).getGradient().toFloatArray()};
                });
                float[][] u = GradCam.patchTokens(ug[0], 0, n, d);
                float[][] g = GradCam.patchTokens(ug[1], 0, n, d);
                assertArrayEquals(GradCam.cam(u, g, false), maps.target()[b], 1e-5f,
                        "batched vs single backward, float32 rounding; sample " + b);
            }
        }
    }

    @Test
    void parametersAreResolvedAndValidated() {
        assertEquals(Map.of("scale", "true"), new GradCam().parameters().asMap());
        assertEquals(Map.of("scale", "false"),
                GradCam.create(Parameters.of(GradCam.ID, Map.of("scale", "false"))).parameters().asMap());
        assertThrows(ConfigurationException.class,
                () -> GradCam.create(Parameters.of(GradCam.ID, Map.of("layer", "0"))));
    }

    static boolean positive(Heatmaps maps) {
        for (float[] map : maps.target()) {
            for (float v : map) {
                if (v > 1e-4f) {
                    return true;
                }
            }
        }
        return false;
    }
}
