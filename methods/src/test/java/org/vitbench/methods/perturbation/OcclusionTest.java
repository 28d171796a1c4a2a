package org.vitbench.methods.perturbation;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDManager;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.vitbench.api.ConfigurationException;
import org.vitbench.api.Context;
import org.vitbench.api.Explainer;
import org.vitbench.api.Heatmaps;
import org.vitbench.api.ModelInfo;
import org.vitbench.api.Parameters;
import org.vitbench.api.Removal;
import org.vitbench.api.Sample;
import org.vitbench.api.VitModel;
import org.vitbench.api.contract.FakeVitModel;
import org.vitbench.models.TinyVit;
import org.vitbench.models.VisionTransformer;
import org.vitbench.models.masking.MaskedEvaluator.Output;

class OcclusionTest {

    /** Weights of the additive fake, exact in float so that sums and differences are exact. */
    private static final float[] W = {1f, -2f, 3f, 0.5f, 4f, -1.5f, 2f, 0.25f, -3f};

    private static VisionTransformer tiny;
    private static List<Sample> samples;

    @BeforeAll
    static void setUp() {
        tiny = TinyVit.create(13);
        samples = FakeVitModel.randomSamples(tiny.info(), 2, 9L);
    }

    @AfterAll
    static void tearDown() {
        tiny.close();
    }

    /** logit 0 = sum of w_i over kept patches, logit 1 = 10 minus that sum. */
    private static FakeVitModel additive(float[] w) {
        ModelInfo info = FakeVitModel.info(3, 4, 1, 1, 2);
        return FakeVitModel.of(info, keep -> {
            float sum = 0f;
            for (int i = 0; i < w.length; i++) {
                sum += w[i] * keep[i];
            }
            return new float[] {sum, 10f - sum};
        });
    }

    private static Heatmaps explain(VitModel model, Explainer method, List<Sample> batch) {
        try (NDManager manager = model.manager().newSubManager()) {
            return method.explain(new Context(model, 1L, manager), batch, new int[batch.size()]);
        }
    }

    private static float[] negate(float[] w) {
        float[] out = new float[w.length];
        for (int i = 0; i < w.length; i++) {
            out[i] = -w[i];
        }
        return out;
    }

    @Test
    void leaveOneOutOfAnAdditiveModelIsItsWeights() {
        try (FakeVitModel model = additive(W)) {
            Heatmaps maps = explain(model, Occlusion.leaveOneOut(Removal.TOKEN_DROP, Output.LOGITS, 0),
                    FakeVitModel.randomSamples(model.info(), 1, 1L));
            assertArrayEquals(W, maps.perClass()[0][0], 0f);
            assertArrayEquals(negate(W), maps.perClass()[0][1], 0f);
            assertEquals(10, model.evaluations(), "P + 1 evaluations");
        }
    }

    /**
     * 3 x 3 grid, window 2, stride 1: anchors {0, 1}, four windows with weights 1 .. 9 summing to
     * 12 (top-left), 16 (top-right), 24 (bottom-left), 28 (bottom-right). A corner is covered by
     * one window, an edge patch by two, the centre by four: centre = (12 + 16 + 24 + 28) / 4 = 20.
     */
    @Test
    void occlusionAveragesTheWindowsCoveringAPatch() {
        float[] w = {1, 2, 3, 4, 5, 6, 7, 8, 9};
        try (FakeVitModel model = additive(w)) {
            Heatmaps maps = explain(model, Occlusion.occlusion(2, 1, Removal.TOKEN_DROP, Output.LOGITS, 0),
                    FakeVitModel.randomSamples(model.info(), 1, 1L));
            assertArrayEquals(new float[] {12, 14, 16, 18, 20, 22, 24, 26, 28}, maps.perClass()[0][0], 0f);
            assertEquals(5, model.evaluations(), "1 + 4 windows");
        }
    }

    @Test
    void anchorsCoverTheWholeGrid() {
        assertArrayEquals(new int[] {0, 1}, Occlusion.anchors(3, 2, 1));
        assertArrayEquals(new int[] {0, 2, 3}, Occlusion.anchors(5, 2, 2));
        assertArrayEquals(new int[] {0, 1}, Occlusion.anchors(3, 2, 5));
        assertArrayEquals(new int[] {0}, Occlusion.anchors(3, 3, 1));
        assertArrayEquals(new int[] {0, 1, 2}, Occlusion.anchors(3, 1, 1));
    }

    @Test
    void occlusionWithAOnePatchWindowIsLeaveOneOut() {
        Heatmaps loo = explain(tiny, Occlusion.leaveOneOut(Removal.pixel(Removal.PixelBaseline.MEAN),
                Output.PROBABILITIES, 0), samples);
        Heatmaps window = explain(tiny, Occlusion.occlusion(1, 1, Removal.pixel(Removal.PixelBaseline.MEAN),
                Output.PROBABILITIES, 0), samples);
        assertEquals(loo, window);
    }

    /** Token dropping equals attention masking for a CLS-pooled ViT with absolute positions. */
    @Test
    void tamIsLeaveOneOutWithAttentionMaskingOnLogits() {
        Heatmaps tam = explain(tiny, Occlusion.tam(0), samples);
        Heatmaps loo = explain(tiny, Occlusion.leaveOneOut(Removal.ATTENTION_MASK, Output.LOGITS, 0), samples);
        double largest = 0;
        for (int b = 0; b < samples.size(); b++) {
            for (int k = 0; k < 3; k++) {
                for (int i = 0; i < 9; i++) {
                    largest = Math.max(largest, Math.abs(tam.perClass()[b][k][i]));
                    assertEquals(loo.perClass()[b][k][i], tam.perClass()[b][k][i], 1e-5,
                            "sample " + b + ", class " + k + ", patch " + i);
                }
            }
        }
        assertTrue(largest > 1e-3, "the maps must not be trivially zero: " + largest);
    }

    @Test
    void eachVariantReportsItsResolvedParameters() {
        assertEquals(Map.of("removal", "pixel-mean", "output", "probability", "batchSize", "0"),
                Occlusion.create(Occlusion.Variant.LEAVE_ONE_OUT, Parameters.of("leave-one-out", Map.of()))
                        .parameters().asMap());
        assertEquals(Map.of("window", "2", "stride", "1", "removal", "pixel-mean", "output", "probability",
                "batchSize", "0"),
                Occlusion.create(Occlusion.Variant.OCCLUSION, Parameters.of("occlusion", Map.of()))
                        .parameters().asMap());
        assertEquals(Map.of("batchSize", "8"),
                Occlusion.create(Occlusion.Variant.TAM, Parameters.of("tam", Map.of("batchSize", "8")))
                        .parameters().asMap());
        assertEquals("tam", Occlusion.tam(0).info().id());
    }

    @Test
    void badParametersAreNamed() {
        ConfigurationException tam = assertThrows(ConfigurationException.class,
                () -> Occlusion.create(Occlusion.Variant.TAM, Parameters.of("tam", Map.of("removal", "token-drop"))));
        assertTrue(tam.getMessage().contains("'removal'") && tam.getMessage().contains("batchSize"), tam.getMessage());
        ConfigurationException loo = assertThrows(ConfigurationException.class, () -> Occlusion.create(
                Occlusion.Variant.LEAVE_ONE_OUT, Parameters.of("leave-one-out", Map.of("window", "2"))));
        assertTrue(loo.getMessage().contains("'window'"), loo.getMessage());
        ConfigurationException stride = assertThrows(ConfigurationException.class, () -> Occlusion.create(
                Occlusion.Variant.OCCLUSION, Parameters.of("occlusion", Map.of("stride", "0"))));
        assertTrue(stride.getMessage().contains("'stride'"), stride.getMessage());
        try (FakeVitModel model = additive(W)) {
            Occlusion tooWide = Occlusion.occlusion(4, 1, Removal.TOKEN_DROP, Output.LOGITS, 0);
            ConfigurationException window = assertThrows(ConfigurationException.class,
                    () -> explain(model, tooWide, FakeVitModel.randomSamples(model.info(), 1, 1L)));
            assertTrue(window.getMessage().contains("window 4") && window.getMessage().contains("3 x 3"),
                    window.getMessage());
        }
    }
}
