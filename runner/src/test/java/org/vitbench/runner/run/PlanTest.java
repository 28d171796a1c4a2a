package org.vitbench.runner.run;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.vitbench.api.Dataset;
import org.vitbench.api.Metric;
import org.vitbench.api.ModelInfo;
import org.vitbench.api.Parameters;
import org.vitbench.api.Preprocessing;
import org.vitbench.api.Registry;
import org.vitbench.api.Requirement;
import org.vitbench.runner.store.RunManifest;

/**
 * The planner skips, before the run and with the reason, every method that reads a plain ViT's
 * token layout when the model has another (distillation or register tokens, average pooling, layer
 * scale), and keeps the perturbation and input-gradient methods.
 */
class PlanTest {

    private static final Preprocessing PREP = new Preprocessing(new float[] {0.5f, 0.5f, 0.5f},
            new float[] {0.5f, 0.5f, 0.5f}, "bicubic");
    private static final List<String> NAMES = Collections.nCopies(10, "c");

    /** A model that exposes its weights and randomised copies, as vitbench's ViTs do. */
    private static final Set<Requirement> ALL = EnumSet.of(Requirement.WEIGHTS, Requirement.RANDOMISED_MODELS);

    @Test
    void methodsThatReadThePlainLayoutAreSkippedOnOtherLayouts() {
        Registry registry = Registry.load();
        List<String> methods = List.of("attention-rollout", "raw-attention", "gradcam", "gradcam-attn", "cdam", "legrad",
                "transformer-attribution", "generic-attention", "lrp", "saliency", "integrated-gradients",
                "kernel-shap", "rise", "occlusion");
        List<Unit.Method> units = new ArrayList<>();
        for (String m : methods) {
            units.add(Unit.Method.of(registry.explainer(m).create(Parameters.of(m, Map.of()))));
        }
        Metric deletion = registry.metric("deletion").create(Parameters.of("deletion", Map.of()));
        Dataset data = registry.dataset("fashion-mnist-embedded").open(Parameters.of("fashion-mnist-embedded", Map.of()));

        ModelInfo distilled = new ModelInfo("deit-tiny-distilled", 3, 224, 16, 12, 3, 192, NAMES, PREP, 2, false);
        List<RunManifest.Skipped> skipped = new ArrayList<>();
        List<Unit.Pair> pairs = Benchmark.plan(units, List.of(deletion), data, distilled, ALL, skipped);
        assertEquals(List.of("saliency", "integrated-gradients", "kernel-shap", "rise", "occlusion"),
                pairs.stream().map(p -> p.method().spec().methodId()).toList());
        assertEquals(9, skipped.size());
        for (RunManifest.Skipped s : skipped) {
            assertTrue(s.reason().contains("plain ViT") && s.reason().contains("deit-tiny-distilled")
                    && s.reason().contains(s.method()), s.reason());
        }

        ModelInfo plain = new ModelInfo("vit-tiny", 3, 224, 16, 12, 3, 192, NAMES, PREP);
        List<RunManifest.Skipped> none = new ArrayList<>();
        assertEquals(methods.size(), Benchmark.plan(units, List.of(deletion), data, plain, ALL, none).size());
        assertTrue(none.isEmpty(), none.toString());
    }

    @Test
    void aMethodTiedToATrainedArtifactIsNotRandomised() {
        Registry registry = Registry.load();
        List<Unit.Method> units = new ArrayList<>();
        for (String m : List.of("vit-shapley", "saliency")) {
            units.add(Unit.Method.of(registry.explainer(m).create(Parameters.of(m, Map.of()))));
        }
        Metric randomization = registry.metric("randomization").create(Parameters.of("randomization", Map.of()));
        Metric deletion = registry.metric("deletion").create(Parameters.of("deletion", Map.of()));
        Dataset data = registry.dataset("fashion-mnist-embedded").open(Parameters.of("fashion-mnist-embedded", Map.of()));
        ModelInfo plain = new ModelInfo("vit-tiny", 3, 224, 16, 12, 3, 192, NAMES, PREP);

        List<RunManifest.Skipped> skipped = new ArrayList<>();
        List<Unit.Pair> pairs = Benchmark.plan(units, List.of(randomization, deletion), data, plain, ALL, skipped);

        assertEquals(3, pairs.size());
        assertEquals(1, skipped.size());
        assertEquals("vit-shapley:explainer=embedded", skipped.get(0).method());
        assertEquals("randomization", skipped.get(0).metric());
        assertTrue(skipped.get(0).reason().contains("trained for the original model"), skipped.get(0).reason());
    }

    @Test
    void pairsThatNeedACapabilityTheModelLacksAreSkippedBeforeTheRun() {
        Registry registry = Registry.load();
        List<Unit.Method> units = new ArrayList<>();
        for (String m : List.of("transformer-attribution", "saliency")) {
            units.add(Unit.Method.of(registry.explainer(m).create(Parameters.of(m, Map.of()))));
        }
        units.add(Unit.Method.of(registry.explainer("transformer-attribution")
                .create(Parameters.of("transformer-attribution", Map.of("relevance", "gradient-rules")))));
        Metric randomization = registry.metric("randomization").create(Parameters.of("randomization", Map.of()));
        Metric deletion = registry.metric("deletion").create(Parameters.of("deletion", Map.of()));
        Dataset data = registry.dataset("fashion-mnist-embedded").open(Parameters.of("fashion-mnist-embedded", Map.of()));
        ModelInfo plain = new ModelInfo("opaque", 3, 224, 16, 12, 3, 192, NAMES, PREP);

        List<RunManifest.Skipped> skipped = new ArrayList<>();
        List<Unit.Pair> pairs = Benchmark.plan(units, List.of(randomization, deletion), data, plain,
                EnumSet.noneOf(Requirement.class), skipped);

        assertEquals(List.of("saliency x deletion", "transformer-attribution x deletion"),
                pairs.stream().map(p -> p.method().spec().methodId() + " x " + p.metric().info().id()).toList(),
                "relevance=gradient-rules reads no weights");
        assertEquals(4, skipped.size());
        assertTrue(skipped.get(0).reason().contains("does not offer them (the Randomisable capability)"),
                skipped.get(0).reason());
        assertTrue(skipped.get(1).reason().contains("does not expose them (the ModelWeights capability)"),
                skipped.get(1).reason());
    }

    @Test
    void everyRequirementHasItsPlaceInTheCheckOrder() {
        assertEquals(EnumSet.allOf(Requirement.class), EnumSet.copyOf(Benchmark.CHECK_ORDER));
        assertEquals(Requirement.values().length, Benchmark.CHECK_ORDER.size());
    }

    @Test
    void skippedPairsAreSummarisedInOneLineByWhatTheyMiss() {
        Map<Requirement, List<RunManifest.Skipped>> byRequirement = new java.util.EnumMap<>(Requirement.class);
        List<RunManifest.Skipped> masks = new ArrayList<>();
        for (String method : List.of("a", "b", "c")) {
            for (String metric : List.of("pointing-game", "relevance-mass")) {
                masks.add(new RunManifest.Skipped(method, metric, "needs masks"));
            }
        }
        byRequirement.put(Requirement.GROUND_TRUTH_MASK, masks);
        byRequirement.put(Requirement.WEIGHTS, List.of(new RunManifest.Skipped("cdam", "deletion", "weights")));

        String line = Benchmark.skipSummary(byRequirement, 20, "my-data", "my-model");

        assertEquals("7 of 20 method x metric pairs do not apply and are skipped: 6 need ground-truth masks, which "
                + "dataset my-data lacks (metrics pointing-game, relevance-mass; 3 methods); 1 reads weights that model "
                + "my-model does not expose (metric deletion; 1 method). Each is listed in run.json and the report; "
                + "--verbose lists them here.", line);
    }
}
