package org.vitbench.methods.shapley;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.vitbench.api.Batches;
import org.vitbench.api.ConfigurationException;
import org.vitbench.api.Context;
import org.vitbench.api.Heatmaps;
import org.vitbench.api.Parameters;
import org.vitbench.api.Removal;
import org.vitbench.api.Sample;
import org.vitbench.api.VitModel;
import org.vitbench.api.contract.FakeVitModel;
import org.vitbench.models.EmbeddedModelProvider;
import org.vitbench.models.EmbeddedSurrogateProvider;
import org.vitbench.models.TinyVit;
import org.vitbench.models.VisionTransformer;

class VitShapleyTest {

    private static VitShapley tiny() {
        return VitShapley.create(Parameters.of("vit-shapley", Map.of("explainer", TinyExplainers.DIR.toString())));
    }

    /** Per class, the maps sum to the surrogate's v(1) - v(empty): efficiency through the method. */
    static void assertEfficient(VitModel model, VitModel surrogate, List<Sample> samples, Heatmaps maps) {
        var info = model.info();
        int k = info.numClasses();
        try (NDManager m = surrogate.manager().newSubManager()) {
            NDArray images = Batches.images(m, samples, info);
            float[] grand = surrogate.logits(images).softmax(1).toFloatArray();
            float[] empty = surrogate.logits(images.get("0:1"), m.zeros(new Shape(1, info.numPatches())),
                    Removal.ATTENTION_MASK).softmax(1).toFloatArray();
            for (int b = 0; b < samples.size(); b++) {
                for (int c = 0; c < k; c++) {
                    double sum = 0;
                    for (float v : maps.perClass()[b][c]) {
                        sum += v;
                    }
                    assertEquals(grand[b * k + c] - empty[c], sum, 1e-5, "sample " + b + ", class " + c);
                }
            }
        }
    }

    @Test
    void mapsSumToTheSurrogatesOutputChangeForEveryClass() {
        try (VisionTransformer model = TinyVit.create(13); NDManager scope = model.manager().newSubManager()) {
            List<Sample> samples = FakeVitModel.randomSamples(model.info(), 3, 8L);
            Heatmaps maps = tiny().explain(new Context(model, 1, scope), samples, new int[] {0, 1, 2});
            assertEfficient(model, model, samples, maps);
        }
    }

    @Test
    void anotherModelIsRefusedWithHowToTrainAnExplainerForIt() {
        try (VisionTransformer other = TinyVit.create(14); NDManager scope = other.manager().newSubManager()) {
            List<Sample> samples = FakeVitModel.randomSamples(other.info(), 2, 8L);
            ConfigurationException e = assertThrows(ConfigurationException.class,
                    () -> tiny().explain(new Context(other, 1, scope), samples, new int[] {0, 1}));
            assertTrue(e.getMessage().contains("vitbench train surrogate"), e.getMessage());
            assertTrue(e.getMessage().contains(other.fingerprint()), e.getMessage());
        }
    }

    @Test
    void aMissingExplainerDirectoryIsAClearError() {
        ConfigurationException e = assertThrows(ConfigurationException.class, () -> VitShapley.create(
                Parameters.of("vit-shapley", Map.of("explainer", "/nonexistent/explainer"))).explain(
                new Context(TinyVit.create(13), 1, NDManager.newBaseManager()), List.of(), new int[0]));
        assertTrue(e.getMessage().contains("vitbench train explainer"), e.getMessage());
    }

    @Test
    void theEmbeddedExplainerExplainsTheEmbeddedModelAndItsSurrogateEfficiently() {
        try (VitModel classifier = new EmbeddedModelProvider().load(Parameters.of("embedded", Map.of()));
                VitModel surrogate = new EmbeddedSurrogateProvider().load(Parameters.of("embedded-surrogate", Map.of()));
                NDManager scope = classifier.manager().newSubManager()) {
            List<Sample> samples = FakeVitModel.randomSamples(classifier.info(), 2, 9L);
            VitShapley method = VitShapley.create(Parameters.of("vit-shapley", Map.of()));
            Heatmaps fromClassifier = method.explain(new Context(classifier, 1, scope), samples, new int[] {0, 1});
            Heatmaps fromSurrogate = method.explain(new Context(surrogate, 1, scope), samples, new int[] {0, 1});
            assertEfficient(classifier, surrogate, samples, fromClassifier);
            assertEquals(fromClassifier, fromSurrogate, "the values are the surrogate's whichever model is named");
            method.close();
        }
    }

    @Test
    void theRunsEvaluationModelIsTheSurrogateWhenItIsTheOneTheExplainerWasTrainedAgainst() {
        try (VitModel classifier = new EmbeddedModelProvider().load(Parameters.of("embedded", Map.of()));
                VitModel runSurrogate = new EmbeddedSurrogateProvider().load(
                        Parameters.of("embedded-surrogate", Map.of()));
                NDManager scope = classifier.manager().newSubManager()) {
            VitShapley method = VitShapley.create(Parameters.of("vit-shapley", Map.of()));
            Context run = new Context(classifier, 1, scope).withEvaluationModel(runSurrogate);
            assertSame(runSurrogate, method.surrogate(run), "the run's surrogate, on the run's device");
            VitModel own = method.surrogate(new Context(classifier, 1, scope).withEvaluationModel(classifier));
            assertNotSame(classifier, own, "a model with another fingerprint is not taken for the surrogate");
            assertNotSame(runSurrogate, own);
            List<Sample> samples = FakeVitModel.randomSamples(classifier.info(), 2, 9L);
            assertEquals(method.explain(new Context(classifier, 1, scope), samples, new int[] {0, 1}),
                    method.explain(run, samples, new int[] {0, 1}), "the same values from either copy");
            method.close();
        }
    }

    @Test
    void whatAnInstanceLoadsIsItsOwnAndCloseReleasesIt() {
        try (VitModel classifier = new EmbeddedModelProvider().load(Parameters.of("embedded", Map.of()));
                NDManager scope = classifier.manager().newSubManager()) {
            Context context = new Context(classifier, 1, scope);
            VitShapley first = VitShapley.create(Parameters.of("vit-shapley", Map.of()));
            VitShapley second = VitShapley.create(Parameters.of("vit-shapley", Map.of()));
            VitModel own = first.surrogate(context);
            assertSame(own, first.surrogate(context), "loaded once per instance");
            assertEquals(classifier.manager().getDevice(), own.manager().getDevice(), "on the explained model's device");
            VitModel others = second.surrogate(context);
            assertNotSame(own, others, "no process-wide cache: each instance owns what it loaded");
            first.close();
            assertFalse(own.manager().isOpen(), "close releases the surrogate's native memory");
            assertTrue(others.manager().isOpen(), "and only this instance's");
            List<Sample> samples = FakeVitModel.randomSamples(classifier.info(), 1, 3L);
            assertEquals(second.explain(context, samples, new int[] {2}), first.explain(context, samples, new int[] {2}),
                    "a closed instance loads again when used again");
            first.close();
            second.close();
            assertFalse(others.manager().isOpen());
        }
    }
}
