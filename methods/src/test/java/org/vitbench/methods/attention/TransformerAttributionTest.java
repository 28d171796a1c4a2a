package org.vitbench.methods.attention;

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
import org.vitbench.api.ModelInfo;
import org.vitbench.api.Parameters;
import org.vitbench.api.Sample;
import org.vitbench.api.TraceOptions;
import org.vitbench.api.contract.FakeVitModel;
import org.vitbench.models.TinyVit;
import org.vitbench.models.VisionTransformer;

/**
 * Where Transformer Attribution's relevance at the attention maps comes from. Tested: (1) the
 * parameters: {@code relevance=chefer} is the default, {@code gradient-rules} is accepted, anything
 * else fails, and a model other than {@link VisionTransformer} fails for chefer only; (2) the two
 * relevances give different maps, and the chefer map is the rollout of its sweep; (3) for
 * {@code gradient-rules}: with every switch off it is exactly ½ · A ⊙ dy/dA / y, plain gradient x
 * attention, against a gradient taken here independently; the LN and GELU switches change it in
 * every block, and the uniform split changes the lower block only (it scales q, k, v, below the
 * tap), so its relevance is produced by the modified backward and not by the plain gradient.
 */
class TransformerAttributionTest {

    private static final int[] TARGETS = {2, 0};

    @Test
    void cheferIsTheDefaultAndTheRelevanceParameterIsValidated() {
        TransformerAttribution byDefault = TransformerAttribution.create(Parameters.empty());
        assertEquals("chefer", byDefault.parameters().getString("relevance", "?"));
        assertEquals("0", byDefault.parameters().getString("startLayer", "?"));
        TransformerAttribution rules = TransformerAttribution.create(Parameters.of(TransformerAttribution.ID,
                Map.of("relevance", "gradient-rules", "startLayer", "1")));
        assertEquals("gradient-rules", rules.parameters().getString("relevance", "?"));
        assertEquals(rules.parameters(), TransformerAttribution.create(rules.parameters()).parameters(), "round trip");
        assertThrows(RuntimeException.class, () -> TransformerAttribution.create(Parameters.of(
                TransformerAttribution.ID, Map.of("relevance", "lrp"))), "an unknown relevance fails");
    }

    @Test
    void cheferNeedsAVisionTransformerAndGradientRulesDoesNot() {
        ModelInfo info = FakeVitModel.info(2, 2, 1, 1, 2);
        float[][][][] attention = {{{{0.5f, 0.25f, 0.125f, 0.125f}, {0.25f, 0.25f, 0.25f, 0.25f},
                {0.25f, 0.25f, 0.25f, 0.25f}, {0.25f, 0.25f, 0.25f, 0.25f}}}};
        try (FakeVitModel fake = FakeVitModel.of(info, keep -> new float[] {keep[0], keep[1]}, attention);
                NDManager m = fake.manager().newSubManager()) {
            List<Sample> samples = FakeVitModel.randomSamples(info, 1, 3L);
            Context context = new Context(fake, 0L, m);
            ConfigurationException e = assertThrows(ConfigurationException.class,
                    () -> new TransformerAttribution().explain(context, samples, new int[] {0}));
            assertTrue(e.getMessage().contains(TransformerAttribution.ID)
                    && e.getMessage().contains("relevance=gradient-rules"), e.getMessage());
        }
    }

    @Test
    void theCheferMapIsTheRolloutOfTheSweepAndDiffersFromGradientRules() {
        try (VisionTransformer model = TinyVit.create(13); NDManager m = model.manager().newSubManager()) {
            List<Sample> samples = FakeVitModel.randomSamples(model.info(), 2, 7L);
            Context context = new Context(model, 0L, m);
            float[][] chefer = new TransformerAttribution().explain(context, samples, TARGETS).target();
            float[][] rules = new TransformerAttribution(TransformerAttribution.Relevance.GRADIENT_RULES, 0)
                    .explain(context, samples, TARGETS).target();
            NDArray images = Batches.images(m, samples, model.info());
            List<NDArray> relevance = CheferRelevance.attentionRelevance(model, images, TARGETS, "test");
            AttentionGradients g = AttentionGradients.of(model, images, TARGETS, TraceOptions.NONE);
            List<NDArray> fused = new java.util.ArrayList<>();
            for (int l = 0; l < relevance.size(); l++) {
                fused.add(RelevanceRollout.positiveHeadMean(g.gradients().get(l), relevance.get(l)));
            }
            float[][] direct = RelevanceRollout.clsRow(RelevanceRollout.rollout(fused, 0));
            double largest = 0;
            double apart = 0;
            for (int b = 0; b < 2; b++) {
                // the same float32 computation twice: equal up to run-to-run rounding
                assertArrayEquals(direct[b], chefer[b], 1e-6f, "image " + b);
                for (int i = 0; i < chefer[b].length; i++) {
                    largest = Math.max(largest, Math.abs(chefer[b][i]));
                    apart = Math.max(apart, Math.abs(chefer[b][i] - rules[b][i]));
                }
            }
            assertTrue(largest > 1e-4, "a non-trivial chefer map: " + largest);
            assertTrue(apart > 1e-3, "chefer and gradient-rules must differ, max |diff| " + apart);
        }
    }

    @Test
    void withAllSwitchesOffTheRelevanceIsHalfGradientTimesAttentionOverTheLogit() {
        try (VisionTransformer model = TinyVit.create(13); NDManager m = model.manager().newSubManager()) {
            NDArray images = TinyVit.images(m, TinyVit.CONFIG, 2, 7);
            List<NDArray> relevance = TransformerAttribution.attentionRelevance(model, images, TARGETS,
                    TraceOptions.NONE);
            float[][][] direct = Gradients.compute(c -> {
                ForwardTrace t = model.trace(images, TraceOptions.NONE.withAttention(true).withAttentionGradTaps(true));
                c.backward(t.logits().get(":, 2").get(0).add(t.logits().get(":, 0").get(1)));
                float[] y = t.logits().toFloatArray();
                float[][][] out = new float[2][][];
                for (int l = 0; l < 2; l++) {
                    out[l] = new float[][] {t.attention().get(l).toFloatArray(),
                            t.attentionTaps().get(l).getGradient().toFloatArray(), y};
                }
                return out;
            });
            int perImage = 2 * 10 * 10; // H * N * N
            for (int l = 0; l < 2; l++) {
                float[] r = relevance.get(l).toFloatArray();
                double scale = 0;
                for (int i = 0; i < r.length; i++) {
                    int b = i / perImage;
                    double y = direct[l][2][b * 3 + TARGETS[b]];
                    double expected = 0.5 * direct[l][0][i] * direct[l][1][i] / y;
                    scale = Math.max(scale, Math.abs(expected));
                    // float32 products of the same tensors: agreement to ~1e-6 relative of the largest entry
                    assertEquals(expected, r[i], 1e-5 * Math.max(1e-3, Math.abs(expected)) + 1e-9, "block " + l + ", entry " + i);
                }
                assertTrue(scale > 1e-6, "block " + l + " has a non-trivial relevance to compare");
            }
        }
    }

    @Test
    void eachLrpSwitchChangesTheRelevanceInEveryBlock() {
        try (VisionTransformer model = TinyVit.create(13); NDManager m = model.manager().newSubManager()) {
            NDArray images = TinyVit.images(m, TinyVit.CONFIG, 2, 7);
            TraceOptions all = TransformerAttribution.LRP_SWITCHES;
            assertTrue(all.detachLayerNormStd() && all.geluIdentity() && all.attentionUniformSplit()
                    && !all.detachSoftmax() && !all.detachLayerNormMean(), "the documented switch set");
            List<NDArray> lrp = TransformerAttribution.attentionRelevance(model, images, TARGETS, all);
            List<TraceOptions> withoutOne = List.of(all.withDetachLayerNormStd(false), all.withGeluIdentity(false),
                    TraceOptions.NONE);
            for (TraceOptions fewer : withoutOne) {
                List<NDArray> other = TransformerAttribution.attentionRelevance(model, images, TARGETS, fewer);
                for (int l = 0; l < 2; l++) {
                    assertTrue(relativeChange(lrp.get(l), other.get(l)) > 1e-3, "block " + l + ": " + fewer
                            + " left the relevance unchanged");
                }
            }
            // The uniform split scales q, k and v, all below the tap on A: it leaves the last block's own
            // relevance exactly as it is and changes only what reaches the block below.
            List<NDArray> noSplit = TransformerAttribution.attentionRelevance(model, images, TARGETS,
                    all.withAttentionUniformSplit(false));
            assertTrue(relativeChange(lrp.get(0), noSplit.get(0)) > 1e-3, "block 0: the split is not wired");
            assertTrue(relativeChange(lrp.get(1), noSplit.get(1)) < 1e-6, "last block: the split must act below A");
        }
    }

    /** max |a - b| / max |a|; a wired switch moves the backward by far more than float noise (1e-6). */
    private static double relativeChange(NDArray a, NDArray b) {
        double size = a.abs().max().getFloat();
        assertTrue(size > 1e-9, "a non-trivial relevance to compare");
        return a.sub(b).abs().max().getFloat() / size;
    }
}
