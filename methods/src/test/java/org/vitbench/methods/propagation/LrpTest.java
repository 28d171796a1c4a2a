package org.vitbench.methods.propagation;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.vitbench.api.Batches;
import org.vitbench.api.ConfigurationException;
import org.vitbench.api.Context;
import org.vitbench.api.ForwardTrace;
import org.vitbench.api.Gradients;
import org.vitbench.api.Heatmaps;
import org.vitbench.api.ModelInfo;
import org.vitbench.api.Parameters;
import org.vitbench.api.Sample;
import org.vitbench.api.TraceOptions;
import org.vitbench.api.contract.FakeVitModel;
import org.vitbench.methods.propagation.Lrp.Rule;
import org.vitbench.models.ParameterKeys;
import org.vitbench.models.TinyVit;
import org.vitbench.models.VisionTransformer;

/**
 * LRP on the tiny ViT (12 x 12 x 1 image, 3 x 3 patches, D = 16, 2 blocks, 2 heads, 3 classes,
 * input mean 0.25 and std 0.5): conservation of the CP rule (exact with every bias-like parameter
 * zero, and exact up to the relevance those parameters absorb otherwise), the GELU identity rule
 * being needed for it, the switches changing gradients but not logits, and the patch aggregation
 * against a map summed by hand.
 */
class LrpTest {

    private static final long SEED = 7L;

    /** Float32 rounding over two blocks: sums of a few hundred terms of order 1 agree to ~1e-6 relative. */
    private static final double CONSERVATION = 1e-4;

    // ---------------------------------------------------------------- conservation

    @Test
    void cpRelevanceSumsToTheLogitWhenEveryBiasIsZero() {
        try (VisionTransformer model = tinyVit(11, true); NDManager m = NDManager.newBaseManager()) {
            List<Sample> samples = FakeVitModel.randomSamples(model.info(), 3, 21L);
            int[] targets = {0, 1, 2};
            Heatmaps maps = explain(new Lrp(), model, samples, targets);
            float[] logits = targetLogits(model, m, samples, targets);
            for (int b = 0; b < samples.size(); b++) {
                double sum = sum(maps.target()[b]);
                // Frozen A, σ and GELU slopes make the net linear in x' with no affine term: Σ R = y.
                assertEquals(logits[b], sum, CONSERVATION * scale(maps.target()[b], logits[b]),
                        "sample " + b + ": Σ relevance vs logit " + logits[b]);
            }
        }
    }

    @Test
    void cpRelevancePlusWhatBiasesAbsorbIsTheLogit() {
        try (VisionTransformer model = tinyVit(12, false); NDManager m = NDManager.newBaseManager()) {
            Lrp lrp = new Lrp();
            List<Sample> samples = FakeVitModel.randomSamples(model.info(), 1, 22L);
            int target = 2;
            float[] map = explain(lrp, model, samples, new int[] {target}).target()[0];
            // Relevance absorbed by each bias-like parameter p is p ⊙ ∂y/∂p under the same rule.
            List<NDArray> biasLike = new ArrayList<>();
            model.weights().forEach((key, w) -> {
                if (isBiasLike(key)) {
                    w.setRequiresGradient(true);
                    biasLike.add(w);
                }
            });
            NDArray images = Batches.images(m, samples, model.info());
            double[] logitAndAbsorbed = Gradients.compute(c -> {
                ForwardTrace t = model.trace(images, lrp.traceOptions());
                NDArray y = t.logits().get(0, target);
                c.backward(y);
                double absorbed = 0;
                for (NDArray p : biasLike) {
                    absorbed += p.mul(p.getGradient()).sum().getFloat();
                }
                return new double[] {y.getFloat(), absorbed};
            });
            double sum = sum(map);
            assertTrue(Math.abs(logitAndAbsorbed[1]) > 0.05 * Math.abs(logitAndAbsorbed[0]),
                    "the biases absorb a visible share, else this test would repeat the zero-bias one: "
                            + logitAndAbsorbed[1]);
            assertEquals(logitAndAbsorbed[0], sum + logitAndAbsorbed[1],
                    CONSERVATION * (scale(map, logitAndAbsorbed[0]) + Math.abs(logitAndAbsorbed[1])),
                    "Σ patches " + sum + " + absorbed " + logitAndAbsorbed[1] + " vs logit");
        }
    }

    @Test
    void plainGeluGradientBreaksConservation() {
        try (VisionTransformer model = tinyVit(11, true); NDManager m = NDManager.newBaseManager()) {
            List<Sample> samples = FakeVitModel.randomSamples(model.info(), 3, 21L);
            int[] targets = {0, 1, 2};
            Heatmaps maps = explain(new Lrp(Rule.CP, false, false), model, samples, targets);
            float[] logits = targetLogits(model, m, samples, targets);
            double worst = 0;
            for (int b = 0; b < samples.size(); b++) {
                worst = Math.max(worst, Math.abs(sum(maps.target()[b]) - logits[b])
                        / scale(maps.target()[b], logits[b]));
            }
            // GELU(h) != h·GELU'(h): without the identity rule the MLPs leak relevance, far above rounding.
            assertTrue(worst > 100 * CONSERVATION, "relative conservation gap " + worst);
        }
    }

    @Test
    void detachingTheLayerNormMeanBreaksConservation() {
        try (VisionTransformer model = tinyVit(11, true); NDManager m = NDManager.newBaseManager()) {
            List<Sample> samples = FakeVitModel.randomSamples(model.info(), 3, 21L);
            int[] targets = {0, 1, 2};
            Heatmaps maps = explain(new Lrp(Rule.CP, true, true), model, samples, targets);
            float[] logits = targetLogits(model, m, samples, targets);
            double worst = 0;
            for (int b = 0; b < samples.size(); b++) {
                worst = Math.max(worst, Math.abs(sum(maps.target()[b]) - logits[b])
                        / scale(maps.target()[b], logits[b]));
            }
            // A frozen mean acts as a bias inside every LayerNorm and absorbs relevance.
            assertTrue(worst > 100 * CONSERVATION, "relative conservation gap " + worst);
        }
    }

    @Test
    void attnLrpLosesRelevanceAtTheSoftmaxEvenWithZeroBiases() {
        try (VisionTransformer model = tinyVit(11, true); NDManager m = NDManager.newBaseManager()) {
            List<Sample> samples = FakeVitModel.randomSamples(model.info(), 3, 21L);
            int[] targets = {0, 1, 2};
            Heatmaps maps = explain(new Lrp(Rule.ATTNLRP, true, false), model, samples, targets);
            float[] logits = targetLogits(model, m, samples, targets);
            for (int b = 0; b < samples.size(); b++) {
                double gap = Math.abs(sum(maps.target()[b]) - logits[b]) / scale(maps.target()[b], logits[b]);
                // The Deep-Taylor softmax rule drops the softmax's bias term (about half the logit here).
                assertTrue(gap > 100 * CONSERVATION, "sample " + b + ": relative gap " + gap);
            }
        }
    }

    // ---------------------------------------------------------------- switches

    @Test
    void theRulesChangeInputGradientsButNotLogits() {
        try (VisionTransformer model = TinyVit.create(13); NDManager m = NDManager.newBaseManager()) {
            NDArray images = TinyVit.images(m, TinyVit.CONFIG, 2, 5);
            TraceOptions plain = TraceOptions.NONE.withInputGradient(true);
            float[][] base = logitsAndGradient(model, images, plain);
            for (Rule rule : Rule.values()) {
                float[][] switched = logitsAndGradient(model, images, new Lrp(rule, true, false).traceOptions());
                // stopGradient is exact; the written-out LayerNorm and scaleGradient differ by rounding only.
                double logitTol = 1e-5 * maxAbs(base[0]);
                for (int i = 0; i < base[0].length; i++) {
                    assertEquals(base[0][i], switched[0][i], logitTol, rule + " logit " + i);
                }
                double diff = 0;
                for (int i = 0; i < base[1].length; i++) {
                    diff = Math.max(diff, Math.abs(base[1][i] - switched[1][i]));
                }
                assertTrue(diff > 0.05 * maxAbs(base[1]), rule + " leaves the input gradient as it was: " + diff);
            }
        }
    }

    @Test
    void cpDiffersFromPlainGradientTimesInput() {
        try (VisionTransformer model = TinyVit.create(13); NDManager m = NDManager.newBaseManager()) {
            List<Sample> samples = FakeVitModel.randomSamples(model.info(), 2, 23L);
            int[] targets = {1, 0};
            Heatmaps cp = explain(new Lrp(), model, samples, targets);
            float[][] plain = handMaps(model, m, samples, targets, TraceOptions.NONE.withInputGradient(true));
            for (int b = 0; b < samples.size(); b++) {
                double diff = 0;
                for (int i = 0; i < plain[b].length; i++) {
                    diff = Math.max(diff, Math.abs(plain[b][i] - cp.target()[b][i]));
                }
                assertTrue(diff > 0.05 * maxAbs(plain[b]), "sample " + b + ": cp equals grad x input, diff " + diff);
            }
        }
    }

    @Test
    void mapsArePatchSumsOfNormalisedInputTimesGradient() {
        try (VisionTransformer model = TinyVit.create(13); NDManager m = NDManager.newBaseManager()) {
            List<Sample> samples = FakeVitModel.randomSamples(model.info(), 2, 24L);
            int[] targets = {2, 1};
            for (Rule rule : Rule.values()) {
                Lrp lrp = new Lrp(rule, true, false);
                Heatmaps maps = explain(lrp, model, samples, targets);
                float[][] expected = handMaps(model, m, samples, targets, lrp.traceOptions());
                for (int b = 0; b < samples.size(); b++) {
                    // Same gradients, summed in another order: float32 rounding only.
                    double tol = 1e-5 * maxAbs(expected[b]);
                    for (int i = 0; i < expected[b].length; i++) {
                        assertEquals(expected[b][i], maps.target()[b][i], tol, rule + " sample " + b + " patch " + i);
                    }
                }
            }
        }
    }

    // ---------------------------------------------------------------- parameters

    @Test
    void defaultsAreCpAtTheInputWithTheGeluIdentityRule() {
        Lrp lrp = Lrp.create(Parameters.of(Lrp.ID, Map.of()));
        assertEquals(Map.of("rule", "cp", "at", "input", "gelu", "identity", "detachMean", "false"),
                lrp.parameters().asMap());
        TraceOptions o = lrp.traceOptions();
        assertTrue(o.inputGradient() && o.detachSoftmax() && o.detachLayerNormStd() && o.geluIdentity());
        assertTrue(!o.detachLayerNormMean() && !o.attentionUniformSplit() && !o.attentionGradTaps());
        TraceOptions a = Lrp.create(Parameters.of(Lrp.ID, Map.of("rule", "attnlrp"))).traceOptions();
        assertTrue(a.attentionUniformSplit() && a.detachLayerNormStd() && a.geluIdentity() && !a.detachSoftmax());
    }

    @Test
    void badParametersFailWithTheAllowedValues() {
        ConfigurationException tokens = assertThrows(ConfigurationException.class,
                () -> Lrp.create(Parameters.of(Lrp.ID, Map.of("at", "tokens"))));
        assertTrue(tokens.getMessage().contains("allowed: input"), tokens.getMessage());
        assertThrows(ConfigurationException.class, () -> Lrp.create(Parameters.of(Lrp.ID, Map.of("rule", "gamma"))));
        assertThrows(ConfigurationException.class, () -> Lrp.create(Parameters.of(Lrp.ID, Map.of("gamma", "0.25"))));
        assertThrows(ConfigurationException.class, () -> Lrp.create(Parameters.of(Lrp.ID, Map.of("gelu", "relu"))));
    }

    @Test
    void anOutOfRangeTargetFails() {
        try (VisionTransformer model = TinyVit.create(13)) {
            List<Sample> samples = FakeVitModel.randomSamples(model.info(), 1, 25L);
            assertThrows(IllegalArgumentException.class, () -> explain(new Lrp(), model, samples, new int[] {3}));
        }
    }

    // ---------------------------------------------------------------- helpers

    /** The tiny ViT's random weights; with {@code zeroBiases}, every bias-like parameter is 0. */
    private static VisionTransformer tinyVit(long seed, boolean zeroBiases) {
        NDManager manager = NDManager.newBaseManager();
        Map<String, long[]> shapes = ParameterKeys.of(TinyVit.CONFIG);
        Map<String, NDArray> weights = new LinkedHashMap<>();
        TinyVit.values(TinyVit.CONFIG, seed, 0.5).forEach((key, v) -> {
            if (zeroBiases && isBiasLike(key)) {
                v = new float[v.length];
            }
            weights.put(key, manager.create(v, new Shape(shapes.get(key))));
        });
        return new VisionTransformer(TinyVit.config(TinyVit.CONFIG), manager, weights);
    }

    /** Parameters that enter the network additively: biases (LayerNorm β included), CLS, positions. */
    private static boolean isBiasLike(String key) {
        return key.endsWith(".bias") || key.equals("cls_token") || key.equals("pos_embed");
    }

    private static Heatmaps explain(Lrp lrp, VisionTransformer model, List<Sample> samples, int[] targets) {
        try (NDManager manager = model.manager().newSubManager()) {
            return lrp.explain(new Context(model, SEED, manager), samples, targets);
        }
    }

    private static float[] targetLogits(VisionTransformer model, NDManager m, List<Sample> samples, int[] targets) {
        float[][] logits = Batches.rows(model.logits(Batches.images(m, samples, model.info())));
        float[] out = new float[targets.length];
        for (int b = 0; b < targets.length; b++) {
            out[b] = logits[b][targets[b]];
        }
        return out;
    }

    /** Logits and the input gradient of Σ_b logits[b, b mod K], flattened. */
    private static float[][] logitsAndGradient(VisionTransformer model, NDArray images, TraceOptions options) {
        return Gradients.compute(c -> {
            ForwardTrace t = model.trace(images, options);
            long n = images.getShape().get(0);
            float[] select = new float[(int) n * 3];
            for (int b = 0; b < n; b++) {
                select[b * 3 + b % 3] = 1f;
            }
            c.backward(t.logits().mul(images.getManager().create(select, new Shape(n, 3))).sum());
            return new float[][] {t.logits().toFloatArray(), t.input().getGradient().toFloatArray()};
        });
    }

    /** (x - mean) · ∂y/∂x summed per patch with Java loops, independently of the method's reshapes. */
    private static float[][] handMaps(VisionTransformer model, NDManager m, List<Sample> samples, int[] targets,
            TraceOptions options) {
        ModelInfo info = model.info();
        int s = info.imageSize();
        int p = info.patchSize();
        int g = info.grid();
        int c = info.channels();
        float[] mean = info.preprocessing().mean();
        NDArray images = Batches.images(m, samples, info);
        float[] x = images.toFloatArray();
        float[] grad = Gradients.compute(col -> {
            ForwardTrace t = model.trace(images, options);
            NDArray y = t.logits().get(0, targets[0]);
            for (int b = 1; b < targets.length; b++) {
                y = y.add(t.logits().get(b, targets[b]));
            }
            col.backward(y);
            return t.input().getGradient().toFloatArray();
        });
        float[][] maps = new float[samples.size()][g * g];
        for (int b = 0; b < samples.size(); b++) {
            for (int ch = 0; ch < c; ch++) {
                for (int row = 0; row < s; row++) {
                    for (int col = 0; col < s; col++) {
                        int i = ((b * c + ch) * s + row) * s + col;
                        maps[b][(row / p) * g + col / p] += (x[i] - mean[ch]) * grad[i];
                    }
                }
            }
        }
        return maps;
    }

    private static double sum(float[] v) {
        double s = 0;
        for (float f : v) {
            s += f;
        }
        return s;
    }

    private static double maxAbs(float[] v) {
        double s = 0;
        for (float f : v) {
            s = Math.max(s, Math.abs(f));
        }
        return s;
    }

    /** The magnitude the rounding error of Σ map scales with: Σ|map| + |logit|. */
    private static double scale(float[] map, double logit) {
        double s = Math.abs(logit);
        for (float f : map) {
            s += Math.abs(f);
        }
        return s;
    }
}
