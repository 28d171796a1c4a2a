package org.vitbench.methods.gradient;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDManager;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.vitbench.api.Context;
import org.vitbench.api.Explainer;
import org.vitbench.api.Heatmaps;
import org.vitbench.api.Parameters;
import org.vitbench.api.Sample;
import org.vitbench.api.VitModel;
import org.vitbench.api.contract.FakeVitModel;
import org.vitbench.models.TinyVit;

/** GradientSHAP on the tiny ViT: in expectation Integrated Gradients, and Captum's defaults. */
class GradientShapTest {

    @Test
    void withManySamplesItApproachesIntegratedGradientsOnANonLinearViT() {
        try (VitModel model = TinyVit.create(13)) {
            List<Sample> samples = FakeVitModel.randomSamples(model.info(), 2, 4L);
            int[] targets = {0, 2};
            Heatmaps ig = explain(model, IntegratedGradients.create(Parameters.of("ig", Map.of("steps", "64"))),
                    samples, targets);
            Heatmaps shap = explain(model, GradientShap.create(Parameters.of("gs", Map.of("samples", "12000",
                    "batchSize", "500"))), samples, targets);
            for (int b = 0; b < 2; b++) {
                double scale = 0;
                double worst = 0;
                for (int i = 0; i < ig.target()[b].length; i++) {
                    scale = Math.max(scale, Math.abs(ig.target()[b][i]));
                    worst = Math.max(worst, Math.abs(ig.target()[b][i] - shap.target()[b][i]));
                }
                // a Monte Carlo mean over 3000 uniform path points against 64-point Gauss-Legendre
                assertTrue(worst <= 0.05 * scale, "image " + b + ": max |difference| " + worst + ", map scale " + scale);
                assertTrue(scale > 1e-3, "the maps are not trivially zero");
            }
        }
    }

    @Test
    void captumsDefaults() {
        assertEquals(Map.of("samples", "5", "stdevs", "0.0", "baseline", "zero", "aggregation", "sum",
                "batchSize", "16"), new GradientShap().parameters().asMap());
    }

    private static Heatmaps explain(VitModel model, Explainer explainer, List<Sample> samples, int[] targets) {
        try (NDManager scope = model.manager().newSubManager()) {
            return explainer.explain(new Context(model, 3L, scope), samples, targets);
        }
    }
}
