package org.vitbench.methods.gradient;

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
import org.vitbench.api.Sample;
import org.vitbench.api.contract.FakeVitModel;
import org.vitbench.models.TinyVit;
import org.vitbench.models.VisionTransformer;

/** Completeness and convergence of Integrated Gradients on the tiny ViT, and its parameters. */
class IntegratedGradientsTest {

    private static final int[] TARGETS = {0, 1, 2};

    private static VisionTransformer model;
    private static List<Sample> samples;
    private static double[] differences;

    @BeforeAll
    static void setUp() {
        model = TinyVit.create(13);
        samples = FakeVitModel.randomSamples(model.info(), 3, 5L);
        differences = new double[samples.size()];
        try (NDManager scope = model.manager().newSubManager()) {
            NDArray images = Batches.images(scope, samples, model.info());
            float[] at = model.logits(images).toFloatArray();
            float[] zero = model.logits(scope.zeros(images.getShape())).toFloatArray();
            int k = model.info().numClasses();
            for (int b = 0; b < samples.size(); b++) {
                differences[b] = at[b * k + TARGETS[b]] - zero[b * k + TARGETS[b]];
            }
        }
    }

    @AfterAll
    static void tearDown() {
        model.close();
    }

    @Test
    void fiftyGaussLegendreStepsAreCompleteOnTheTinyVit() {
        double[] errors = completenessErrors("gauss-legendre", 50);
        for (int b = 0; b < errors.length; b++) {
            assertTrue(Math.abs(differences[b]) > 0.1, "the oracle is not trivial: f(x) - f(0) = " + differences[b]);
            // The path integrand is analytic (GELU, softmax, LayerNorm), so 50 Gauss-Legendre nodes leave
            // a quadrature error far below float32 round-off of the gradients and patch sums (about 1e-7
            // here); 1e-5 is 100 times that.
            assertEquals(0, errors[b], 1e-5 * Math.max(1, Math.abs(differences[b])),
                    "sum of attributions minus f(x) - f(0), sample " + b + " (difference " + differences[b] + ")");
        }
    }

    @Test
    void everyRuleConvergesAtItsOrderAsStepsDouble() {
        for (Quadrature rule : Quadrature.values()) {
            double[] coarse = completenessErrors(rule.id(), 64);
            double[] fine = completenessErrors(rule.id(), 128);
            boolean firstOrder = rule == Quadrature.RIEMANN_LEFT || rule == Quadrature.RIEMANN_RIGHT;
            for (int b = 0; b < coarse.length; b++) {
                String what = rule.id() + ", sample " + b + ": error with 64 steps " + coarse[b]
                        + ", with 128 steps " + fine[b];
                // Doubling the steps halves a first-order rule's error and quarters a second-order one's
                // (Gauss-Legendre is at round-off already); 0.6 and 0.35 leave room for higher-order
                // terms, and 2e-6 is the float32 round-off of the summed gradients seen at 128 nodes.
                double factor = firstOrder ? 0.6 : 0.35;
                assertTrue(Math.abs(fine[b]) <= factor * Math.abs(coarse[b]) + 2e-6, what);
                if (rule == Quadrature.GAUSS_LEGENDRE) {
                    assertTrue(Math.abs(coarse[b]) <= 2e-6 * Math.max(1, Math.abs(differences[b])), what);
                }
            }
        }
    }

    @Test
    void parametersResolveDefaultsAndRejectBadValues() {
        assertEquals(Map.of("baseline", "zero", "steps", "50", "method", "gauss-legendre", "aggregation", "sum",
                "batchSize", "16"), IntegratedGradients.create(Parameters.empty()).parameters().asMap());
        assertEquals(new IntegratedGradients().parameters(), IntegratedGradients.create(Parameters.empty()).parameters());
        assertThrows(ConfigurationException.class, () -> create("method", "simpson"));
        assertThrows(ConfigurationException.class, () -> create("baseline", "noise"));
        assertThrows(ConfigurationException.class, () -> create("steps", "0"));
        assertThrows(ConfigurationException.class, () -> create("nSteps", "10"));
        assertThrows(ConfigurationException.class, () -> IntegratedGradients.create(Parameters.of("ig",
                Map.of("method", "riemann-trapezoid", "steps", "1"))));
    }

    private static IntegratedGradients create(String key, String value) {
        return IntegratedGradients.create(Parameters.of("ig", Map.of(key, value)));
    }

    /** {@code sum(map) - (f(x) - f(0))} per sample, with signed-sum aggregation. */
    private static double[] completenessErrors(String rule, int steps) {
        IntegratedGradients ig = IntegratedGradients.create(Parameters.of("ig", Map.of("method", rule,
                "steps", Integer.toString(steps), "batchSize", "128")));
        Heatmaps maps;
        try (NDManager scope = model.manager().newSubManager()) {
            maps = ig.explain(new Context(model, 1L, scope), samples, TARGETS);
        }
        double[] errors = new double[samples.size()];
        for (int b = 0; b < errors.length; b++) {
            double total = 0;
            for (float v : maps.target()[b]) {
                total += v;
            }
            errors[b] = total - differences[b];
        }
        return errors;
    }
}
