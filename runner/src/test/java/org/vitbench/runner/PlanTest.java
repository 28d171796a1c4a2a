package org.vitbench.runner;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.vitbench.api.Dataset;
import org.vitbench.api.Metric;
import org.vitbench.api.ModelInfo;
import org.vitbench.api.Parameters;
import org.vitbench.api.Preprocessing;
import org.vitbench.api.Registry;

/**
 * The planner skips, before the run and with the reason, every method that reads a plain ViT's
 * token layout when the model has another (distillation or register tokens, average pooling, layer
 * scale), and keeps the perturbation and input-gradient methods.
 */
class PlanTest {

    private static final Preprocessing PREP = new Preprocessing(new float[] {0.5f, 0.5f, 0.5f},
            new float[] {0.5f, 0.5f, 0.5f}, "bicubic");
    private static final List<String> NAMES = Collections.nCopies(10, "c");

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
        List<Unit.Pair> pairs = Benchmark.plan(units, List.of(deletion), data, distilled, skipped);
        assertEquals(List.of("saliency", "integrated-gradients", "kernel-shap", "rise", "occlusion"),
                pairs.stream().map(p -> p.method().spec().methodId()).toList());
        assertEquals(9, skipped.size());
        for (RunManifest.Skipped s : skipped) {
            assertTrue(s.reason().contains("plain ViT") && s.reason().contains("deit-tiny-distilled")
                    && s.reason().contains(s.method()), s.reason());
        }

        ModelInfo plain = new ModelInfo("vit-tiny", 3, 224, 16, 12, 3, 192, NAMES, PREP);
        List<RunManifest.Skipped> none = new ArrayList<>();
        assertEquals(methods.size(), Benchmark.plan(units, List.of(deletion), data, plain, none).size());
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
        List<Unit.Pair> pairs = Benchmark.plan(units, List.of(randomization, deletion), data, plain, skipped);

        assertEquals(3, pairs.size());
        assertEquals(1, skipped.size());
        assertEquals("vit-shapley:explainer=embedded", skipped.get(0).method());
        assertEquals("randomization", skipped.get(0).metric());
        assertTrue(skipped.get(0).reason().contains("trained for the original model"), skipped.get(0).reason());
    }
}
