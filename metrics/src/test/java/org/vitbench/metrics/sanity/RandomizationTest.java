package org.vitbench.metrics.sanity;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.vitbench.api.ConfigurationException;
import org.vitbench.api.Context;
import org.vitbench.api.Explainer;
import org.vitbench.api.Heatmaps;
import org.vitbench.api.MetricResult;
import org.vitbench.api.Parameters;
import org.vitbench.api.Sample;
import org.vitbench.api.VitModel;
import org.vitbench.api.contract.FakeVitModel;
import org.vitbench.models.ParameterKeys;
import org.vitbench.models.RandomisedCascade;
import org.vitbench.models.TinyVit;
import org.vitbench.models.VisionTransformer;
import org.vitbench.models.VitConfig;

class RandomizationTest {

    /** 16 x 16 grey images, 2 x 2 patches (an 8 x 8 grid, so rank correlations have 64 values), 3 blocks. */
    static final VitConfig CONFIG = VitConfig.of(16, 2, 1, 16, 3, 2, 2.0, 3);

    private static final long SEED = 7L;
    private static final double EXACT = 1e-12;

    private VisionTransformer model;
    private List<Sample> samples;
    private int[] targets;

    @BeforeEach
    void open() {
        model = TinyVit.create(CONFIG, 11L, 0.5);
        samples = FakeVitModel.randomSamples(model.info(), 6, 5L);
        targets = new int[] {0, 1, 2, 0, 1, 2};
    }

    @AfterEach
    void close() {
        model.close();
    }

    @Test
    void similarityOfHandBuiltMaps() {
        float[] up = {1, 2, 3, 4};
        assertEquals(-1, Randomization.similarity(up, new float[] {4, 3, 2, 1}, false), EXACT);
        assertEquals(-1, Randomization.similarity(up, new float[] {4, 3, 2, 1}, true), EXACT);
        // ranks (2, 3, 1, 4) against (1, 2, 3, 4): covariance 2, variances 5 and 5, rho = 0.4
        float[] signs = {-1, 2, -3, 4};
        assertEquals(0.4, Randomization.similarity(signs, up, false), EXACT);
        assertEquals(1, Randomization.similarity(signs, up, true), EXACT);
        // ties share their average rank: (1.5, 1.5, 3, 4) against (1, 2, 3, 4), rho = 4.5 / sqrt(4.5 * 5)
        assertEquals(4.5 / Math.sqrt(4.5 * 5), Randomization.similarity(new float[] {0, 0, 5, 6}, up, false), EXACT);
        assertEquals(1, Randomization.similarity(new float[] {2, 2, 2}, new float[] {5, 5, 5}, false), EXACT);
        assertEquals(0, Randomization.similarity(new float[] {2, 2, 2}, new float[] {1, 2, 3}, false), EXACT);
        assertEquals(1, Randomization.similarity(new float[] {0, 0, 0}, new float[] {0, 0, 0}, true), EXACT);
    }

    @Test
    void stagesRunFromTheHeadDownAndCoverEveryParameterOnce() {
        assertEquals(List.of("head", "block-2", "block-1", "block-0", "embedding"),
                Randomization.stageNames(3, true));
        assertEquals(List.of("head", "block-0"), Randomization.stageNames(1, false));
        List<String> names = Randomization.stageNames(CONFIG.depth(), true);
        for (String key : ParameterKeys.of(CONFIG).keySet()) {
            assertTrue(names.contains(RandomisedCascade.stageOf(key)), key + " is in stage " + RandomisedCascade.stageOf(key));
        }
        assertEquals("head", RandomisedCascade.stageOf("norm.weight"));
        assertEquals("head", RandomisedCascade.stageOf("head.bias"));
        assertEquals("head", RandomisedCascade.stageOf("fc_norm.weight"), "average pooling's norm feeds the classifier");
        assertEquals("head", RandomisedCascade.stageOf("head_dist.weight"), "DeiT's distillation head");
        assertEquals("embedding", RandomisedCascade.stageOf("reg_token"));
        assertEquals("embedding", RandomisedCascade.stageOf("dist_token"));
        assertEquals("block-2", RandomisedCascade.stageOf("blocks.2.attn.qkv.weight"));
        assertEquals("embedding", RandomisedCascade.stageOf("pos_embed"));
        assertEquals("embedding", RandomisedCascade.stageOf("patch_embed.proj.weight"));
    }

    /** (a) Adebayo's edge detector ignores the model, so it keeps its map: similarity 1 everywhere. */
    @Test
    void aMapThatIgnoresTheModelStaysIdenticalAtEveryStage() {
        Explainer edges = new TestExplainers.EdgeMap();
        MetricResult result = run(new Randomization(), edges, explain(edges), SEED);
        assertArrayEquals(new double[] {1, 2, 3, 4, 5}, result.curveX(), 0);
        for (int b = 0; b < samples.size(); b++) {
            assertEquals(1, result.scores()[b], 0, "score of sample " + b);
            assertArrayEquals(new double[] {1, 1, 1, 1, 1}, result.curves()[b], 0, "curve of sample " + b);
        }
    }

    /**
     * (b) Input gradients depend on every weight: re-initialising the head already moves every
     * map, and the ranks end far from the original (observed with these seeds: mean score 0.36,
     * mean similarity 0.29 when fully randomised; random 64-patch maps give about 0 +- 0.13).
     */
    @Test
    void aMapThatDependsOnTheModelLosesItsSimilarity() {
        Explainer gradient = new TestExplainers.InputGradient();
        MetricResult result = run(new Randomization(), gradient, explain(gradient), SEED);
        double meanScore = 0;
        double meanLast = 0;
        for (int b = 0; b < samples.size(); b++) {
            double[] curve = result.curves()[b];
            assertTrue(curve[0] < 0.9, "head randomised, sample " + b + " still has similarity " + curve[0]);
            meanScore += result.scores()[b] / samples.size();
            meanLast += curve[curve.length - 1] / samples.size();
        }
        assertTrue(meanScore < 0.6, "mean score " + meanScore);
        assertTrue(meanLast < 0.5, "mean similarity when fully randomised " + meanLast);
    }

    /** (c) Seeded: the same run seed gives identical results, from a cache or from fresh instances. */
    @Test
    void theSameSeedGivesIdenticalResultsAndAnotherSeedOtherOnes() {
        Explainer gradient = new TestExplainers.InputGradient();
        Heatmaps maps = explain(gradient);
        Randomization metric = new Randomization();
        MetricResult first = run(metric, gradient, maps, SEED);
        assertEquals(first, run(metric, gradient, maps, SEED), "again with the cached models");
        assertEquals(first, run(new Randomization(), gradient, maps, SEED), "with a new instance");
        assertNotEquals(first, run(new Randomization(), gradient, maps, SEED + 1), "with another seed");
    }

    /** (d) Without the method behind the heatmaps there is nothing to explain again. */
    @Test
    void withoutTheExplainedMethodItFailsNamingWhatTheCallerMustPass() {
        Heatmaps maps = explain(new TestExplainers.EdgeMap());
        try (NDManager manager = model.manager().newSubManager()) {
            IllegalStateException e = assertThrows(IllegalStateException.class, () -> new Randomization()
                    .evaluate(new Context(model, SEED, manager), samples, targets, maps));
            assertTrue(e.getMessage().contains("withExplained"), e.getMessage());
        }
    }

    @Test
    void aModelWithoutRandomisedCopiesIsAConfigurationError() {
        FakeVitModel fake = FakeVitModel.of(model.info(), keep -> new float[] {0, 0, 0});
        Heatmaps maps = explain(new TestExplainers.EdgeMap());
        try (NDManager manager = model.manager().newSubManager()) {
            Context context = new Context(model, SEED, manager).withExplained(new TestExplainers.EdgeMap(), fake);
            ConfigurationException e = assertThrows(ConfigurationException.class,
                    () -> new Randomization().evaluate(context, samples, targets, maps));
            assertTrue(e.getMessage().contains("does not offer randomised copies (the Randomisable capability)"),
                    e.getMessage());
        } finally {
            fake.close();
        }
    }

    /**
     * The models are built once per (model, seed) and are cumulative: copy s re-initialises stages
     * 0 .. s and shares every other array with the original.
     */
    @Test
    void theRandomisedModelsAreCachedCumulativeAndShareTheUntouchedWeights() {
        TestExplainers.InputGradient gradient = new TestExplainers.InputGradient();
        Heatmaps maps = explain(gradient);
        Randomization metric = new Randomization();
        run(metric, gradient, maps, SEED);
        run(metric, gradient, maps, SEED);
        List<VitModel> seen = gradient.seen().subList(1, gradient.seen().size()); // after explain(...) above
        List<String> names = Randomization.stageNames(CONFIG.depth(), true);
        assertEquals(2 * names.size(), seen.size());
        for (int s = 0; s < names.size(); s++) {
            assertSame(seen.get(s), seen.get(s + names.size()), "stage " + s + " was rebuilt");
            VisionTransformer copy = (VisionTransformer) seen.get(s);
            for (Map.Entry<String, NDArray> e : model.weights().entrySet()) {
                NDArray w = copy.weights().get(e.getKey());
                int at = names.indexOf(RandomisedCascade.stageOf(e.getKey()));
                String where = e.getKey() + " at stage " + names.get(s);
                if (at > s) {
                    assertSame(e.getValue(), w, where + " is not the original's array");
                } else if (at == s) {
                    assertNotSame(e.getValue(), w, where + " was not re-initialised");
                } else {
                    assertSame(((VisionTransformer) seen.get(s - 1)).weights().get(e.getKey()), w,
                            where + " was drawn again instead of kept from the stage before");
                }
            }
        }
        assertFalse(((VisionTransformer) seen.get(0)).weights().get("head.weight").contentEquals(
                model.weights().get("head.weight")), "the head was not re-initialised");
    }

    @Test
    void closingTheMetricOrTheModelFreesTheRandomisedModels() {
        TestExplainers.InputGradient gradient = new TestExplainers.InputGradient();
        Heatmaps maps = explain(gradient);
        Randomization metric = new Randomization();
        run(metric, gradient, maps, SEED);
        VitModel stage = gradient.seen().get(1);
        assertTrue(stage.manager().isOpen());
        metric.close();
        assertFalse(stage.manager().isOpen(), "close() left a randomised model open");
        assertEquals(explain(gradient), maps, "closing the metric touched the original model");

        run(metric, gradient, maps, SEED); // rebuilt after close
        VitModel rebuilt = gradient.seen().get(gradient.seen().size() - 1);
        assertTrue(rebuilt.manager().isOpen());
        model.close();
        assertFalse(rebuilt.manager().isOpen(), "closing the model left a randomised model open");
    }

    @Test
    void noNativeArraysAreLeftInTheContextManager() {
        Explainer gradient = new TestExplainers.InputGradient();
        Heatmaps maps = explain(gradient);
        try (NDManager manager = model.manager().newSubManager()) {
            new Randomization().evaluate(new Context(model, SEED, manager).withExplained(gradient, model), samples,
                    targets, maps);
            assertTrue(manager.getManagedArrays().isEmpty(), manager.getManagedArrays().toString());
        }
    }

    @Test
    void parametersAreValidatedAndMakeTheSpec() {
        assertEquals("randomization@adebayo{embedding=true;similarity=spearman-abs;}v1",
                Randomization.create(Parameters.empty()).spec().canonical());
        assertEquals("randomization@adebayo{embedding=false;similarity=spearman;}v1", Randomization.create(
                Parameters.of("randomization", Map.of("similarity", "spearman", "embedding", "false")))
                .spec().canonical());
        ConfigurationException unknown = assertThrows(ConfigurationException.class, () -> Randomization.create(
                Parameters.of("randomization", Map.of("layers", "3"))));
        assertTrue(unknown.getMessage().contains("layers"), unknown.getMessage());
        ConfigurationException similarity = assertThrows(ConfigurationException.class, () -> Randomization.create(
                Parameters.of("randomization", Map.of("similarity", "ssim"))));
        assertTrue(similarity.getMessage().contains("spearman-abs"), similarity.getMessage());
    }

    @Test
    void withoutTheEmbeddingStageTheCurveIsOneShorter() {
        Explainer gradient = new TestExplainers.InputGradient();
        MetricResult result = run(new Randomization(Randomization.SPEARMAN_ABS, false), gradient, explain(gradient),
                SEED);
        assertArrayEquals(new double[] {1, 2, 3, 4}, result.curveX(), 0);
    }

    private Heatmaps explain(Explainer explainer) {
        try (NDManager manager = model.manager().newSubManager()) {
            return explainer.explain(new Context(model, SEED, manager), samples, targets);
        }
    }

    private MetricResult run(Randomization metric, Explainer explainer, Heatmaps maps, long seed) {
        try (NDManager manager = model.manager().newSubManager()) {
            return metric.evaluate(new Context(model, seed, manager).withExplained(explainer, model), samples, targets,
                    maps);
        }
    }
}
