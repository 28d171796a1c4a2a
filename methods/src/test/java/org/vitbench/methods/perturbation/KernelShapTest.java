package org.vitbench.methods.perturbation;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.vitbench.api.Batches;
import org.vitbench.api.ConfigurationException;
import org.vitbench.api.Context;
import org.vitbench.api.Heatmaps;
import org.vitbench.api.Parameters;
import org.vitbench.api.Removal;
import org.vitbench.api.Sample;
import org.vitbench.api.contract.FakeVitModel;
import org.vitbench.models.TinyVit;
import org.vitbench.models.VisionTransformer;
import org.vitbench.models.masking.ExactShapley;
import org.vitbench.models.masking.MaskedEvaluator;
import org.vitbench.models.masking.MaskedEvaluator.Output;

class KernelShapTest {

    private static VisionTransformer model;
    private static List<Sample> samples;

    @BeforeAll
    static void setUp() {
        model = TinyVit.create(13);
        samples = FakeVitModel.randomSamples(model.info(), 2, 9L);
    }

    @AfterAll
    static void tearDown() {
        model.close();
    }

    private static KernelShap kernelShap(Map<String, String> values) {
        return KernelShap.create(Parameters.of(KernelShap.ID, values));
    }

    private static Heatmaps explain(KernelShap method) {
        try (NDManager manager = model.manager().newSubManager()) {
            return method.explain(new Context(model, 1L, manager), samples, new int[] {0, 2});
        }
    }

    /** Exact Shapley values {@code [K][P]} of a sample's probabilities, by enumerating 2^9 coalitions. */
    private static double[][] exact(Sample sample, Removal removal) {
        try (NDManager scope = model.manager().newSubManager()) {
            NDArray image = Batches.images(scope, List.of(sample), model.info());
            return ExactShapley.of(new MaskedEvaluator(removal, 128), model, image, Output.PROBABILITIES);
        }
    }

    /**
     * On the tiny ViT (3 x 3 grid, 9 players) KernelSHAP with 2^17 evaluations is within 0.006 of
     * the exact values, whose magnitudes reach 0.16: twice the largest error measured over the two
     * samples and all classes (0.0031). At 130 evaluations the error was 0.073, so the test sees
     * convergence, not a lucky start.
     */
    @Test
    void convergesToTheExactShapleyValuesOfTheTinyVit() {
        Heatmaps large = explain(kernelShap(Map.of("budget", "131074", "subsets", "1024", "threshold", "0")));
        Heatmaps small = explain(kernelShap(Map.of("budget", "130", "subsets", "16", "threshold", "0")));
        double largest = 0;
        double smallError = 0;
        for (int b = 0; b < samples.size(); b++) {
            double[][] exact = exact(samples.get(b), Removal.TOKEN_DROP);
            for (int k = 0; k < exact.length; k++) {
                for (int i = 0; i < exact[k].length; i++) {
                    largest = Math.max(largest, Math.abs(exact[k][i]));
                    assertEquals(exact[k][i], large.perClass()[b][k][i], 0.006, "sample " + b + ", class " + k + ", patch " + i);
                    smallError = Math.max(smallError, Math.abs(exact[k][i] - small.perClass()[b][k][i]));
                }
            }
        }
        assertTrue(largest > 0.02, "the game must not be trivial; max |phi| = " + largest);
        assertTrue(smallError > 0.02, "130 evaluations are suspiciously exact: " + smallError);
    }

    /** Every map sums to p(full) - p(empty) at every budget, to float rounding of the stored map. */
    @Test
    void mapsAreEfficientAtEveryBudget() {
        for (String budget : List.of("34", "66", "258")) {
            Heatmaps maps = explain(kernelShap(Map.of("budget", budget, "subsets", "16", "threshold", "0")));
            for (int b = 0; b < samples.size(); b++) {
                double[][] exact = exact(samples.get(b), Removal.TOKEN_DROP);
                for (int k = 0; k < exact.length; k++) {
                    double total = 0;
                    double sum = 0;
                    for (int i = 0; i < exact[k].length; i++) {
                        total += exact[k][i]; // = v(all) - v(empty) by the exact values' efficiency
                        sum += maps.perClass()[b][k][i];
                    }
                    assertEquals(total, sum, 1e-6, "budget " + budget + ", sample " + b + ", class " + k);
                }
            }
        }
    }

    @Test
    void attentionMaskingAndTokenDroppingGiveTheSameMaps() {
        Heatmaps drop = explain(kernelShap(Map.of("budget", "130", "subsets", "16", "removal", "token-drop")));
        Heatmaps mask = explain(kernelShap(Map.of("budget", "130", "subsets", "16", "removal", "attention-mask")));
        for (int b = 0; b < samples.size(); b++) {
            for (int k = 0; k < 3; k++) {
                float[] a = drop.perClass()[b][k];
                float[] c = mask.perClass()[b][k];
                for (int i = 0; i < a.length; i++) {
                    assertEquals(a[i], c[i], 1e-4, "sample " + b + ", class " + k + ", patch " + i);
                }
            }
        }
    }

    @Test
    void theVitShapleyPresetResolvesAndExplicitValuesWin() {
        KernelShap preset = kernelShap(Map.of("preset", "vit-shapley"));
        assertEquals(64, preset.settings().subsets());
        assertEquals(60, preset.settings().varianceBatches());
        assertEquals(400_000, preset.settings().budget());
        assertEquals("attention-mask", preset.parameters().asMap().get("removal"));
        assertTrue(!preset.parameters().has("preset"), "the cache key holds resolved values only");
        KernelShap overridden = kernelShap(Map.of("preset", "vit-shapley", "budget", "2048"));
        assertEquals(2048, overridden.settings().budget());
        assertEquals(64, overridden.settings().subsets());
        ConfigurationException unknown = assertThrows(ConfigurationException.class,
                () -> kernelShap(Map.of("preset", "shap")));
        assertTrue(unknown.getMessage().contains("vit-shapley"), unknown.getMessage());
    }

    @Test
    void badParametersAreNamed() {
        ConfigurationException budget = assertThrows(ConfigurationException.class,
                () -> kernelShap(Map.of("budget", "100", "subsets", "64")));
        assertTrue(budget.getMessage().contains("130"), budget.getMessage());
        ConfigurationException key = assertThrows(ConfigurationException.class,
                () -> kernelShap(Map.of("nsamples", "100")));
        assertTrue(key.getMessage().contains("nsamples"), key.getMessage());
        ConfigurationException removal = assertThrows(ConfigurationException.class,
                () -> kernelShap(Map.of("removal", "blur")));
        assertTrue(removal.getMessage().contains("pixel-blur"), removal.getMessage());
    }
}
