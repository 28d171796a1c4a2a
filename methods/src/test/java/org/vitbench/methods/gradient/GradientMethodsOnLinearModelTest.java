package org.vitbench.methods.gradient;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.vitbench.api.Context;
import org.vitbench.api.Explainer;
import org.vitbench.api.Heatmaps;
import org.vitbench.api.Image;
import org.vitbench.api.Parameters;
import org.vitbench.api.Removal.PixelBaseline;
import org.vitbench.api.Sample;
import org.vitbench.api.contract.FakeVitModel;
import org.vitbench.models.PixelRemoval;

/**
 * Analytic oracles on {@link LinearVitModel}, where {@code dy_c/dx = W[c]} everywhere: saliency is
 * {@code |W[c]|}, gradient x input is {@code W[c] * x}, Integrated Gradients is
 * {@code W[c] * (x - x0)} for every quadrature rule, and the noise statistics of SmoothGrad around
 * gradient x input have closed forms.
 */
class GradientMethodsOnLinearModelTest {

    private static final int[] TARGETS = {2, 0};

    private LinearVitModel model;
    private NDManager manager;
    private List<Sample> samples;
    private float[] images;

    @BeforeEach
    void setUp() {
        model = new LinearVitModel(11);
        manager = model.manager().newSubManager();
        // Pixels in [0.2, 0.6]: a value range of about 0.4 tells relative noise from absolute noise.
        samples = FakeVitModel.randomSamples(LinearVitModel.INFO, 2, 3L).stream().map(s -> {
            float[] x = s.image().pixels().clone();
            for (int i = 0; i < x.length; i++) {
                x[i] = 0.2f + 0.4f * x[i];
            }
            return new Sample(s.id(), s.label(), new Image(1, 12, 12, x));
        }).toList();
        int d = LinearVitModel.pixels();
        images = new float[2 * d];
        for (int b = 0; b < 2; b++) {
            System.arraycopy(samples.get(b).image().pixels(), 0, images, b * d, d);
        }
    }

    @AfterEach
    void tearDown() {
        manager.close();
        model.close();
    }

    @Test
    void saliencyIsTheAbsoluteWeightRowAndSignedWithoutAbs() {
        float[] abs = Saliency.create(Parameters.empty()).attribute(model, manager, images, TARGETS);
        float[] signed = Saliency.create(params("abs", "false")).attribute(model, manager, images, TARGETS);
        int d = LinearVitModel.pixels();
        for (int b = 0; b < 2; b++) {
            float[] w = model.weights(TARGETS[b]);
            for (int i = 0; i < d; i++) {
                // Exact: the backward of a matmul with a one-hot seed returns W[c] unchanged.
                assertEquals(Math.abs(w[i]), abs[b * d + i], 0f, "image " + b + ", pixel " + i);
                assertEquals(w[i], signed[b * d + i], 0f, "image " + b + ", pixel " + i);
            }
        }
    }

    @Test
    void gradientInputIsWeightTimesPixelExactly() {
        float[] a = GradientInput.create(params("batchSize", "1")).attribute(model, manager, images, TARGETS);
        int d = LinearVitModel.pixels();
        for (int b = 0; b < 2; b++) {
            float[] w = model.weights(TARGETS[b]);
            for (int i = 0; i < d; i++) {
                assertEquals(w[i] * images[b * d + i], a[b * d + i], 0f, "image " + b + ", pixel " + i);
            }
        }
    }

    @Test
    void integratedGradientsWithZeroBaselineIsWeightTimesPixelForEveryRule() {
        int d = LinearVitModel.pixels();
        for (Quadrature rule : Quadrature.values()) {
            for (int steps : new int[] {2, 7, 50}) {
                float[] a = IntegratedGradients.create(Parameters.of("ig", Map.of("method", rule.id(),
                        "steps", Integer.toString(steps), "batchSize", "3"))).attribute(model, manager, images, TARGETS);
                for (int b = 0; b < 2; b++) {
                    float[] w = model.weights(TARGETS[b]);
                    for (int i = 0; i < d; i++) {
                        double expected = (double) w[i] * images[b * d + i];
                        // The weights sum to 1 up to ~1e-15; what remains is the final float rounding.
                        assertEquals(expected, a[b * d + i], 1e-6 * Math.abs(expected) + 1e-9,
                                rule.id() + ", " + steps + " steps, image " + b + ", pixel " + i);
                    }
                }
            }
        }
    }

    @Test
    void integratedGradientsWithBlurAndMeanBaselinesIsWeightTimesDifference() {
        int d = LinearVitModel.pixels();
        for (PixelBaseline baseline : new PixelBaseline[] {PixelBaseline.BLUR, PixelBaseline.MEAN}) {
            float[] x0 = PixelRemoval.baseline(manager.create(images, new Shape(2, 1, 12, 12)), baseline,
                    LinearVitModel.INFO).toFloatArray();
            float[] a = IntegratedGradients.create(params("baseline", baseline.name().toLowerCase()))
                    .attribute(model, manager, images, TARGETS);
            for (int b = 0; b < 2; b++) {
                float[] w = model.weights(TARGETS[b]);
                for (int i = 0; i < d; i++) {
                    double expected = (double) w[i] * (images[b * d + i] - x0[b * d + i]);
                    assertEquals(expected, a[b * d + i], 1e-6 * Math.abs(expected) + 1e-9,
                            baseline + ", image " + b + ", pixel " + i);
                }
            }
        }
    }

    @Test
    void patchMapsAreSignedOrAbsoluteSumsOverPatchPixels() {
        Heatmaps sum = explain(GradientInput.create(Parameters.empty()), 1L);
        Heatmaps absSum = explain(GradientInput.create(params("aggregation", "abs-sum")), 1L);
        for (int b = 0; b < 2; b++) {
            float[] w = model.weights(TARGETS[b]);
            float[] x = samples.get(b).image().pixels();
            double[] expected = new double[9];
            double[] expectedAbs = new double[9];
            for (int y = 0; y < 12; y++) {
                for (int c = 0; c < 12; c++) {
                    double v = (double) (w[y * 12 + c] * x[y * 12 + c]);
                    expected[(y / 4) * 3 + c / 4] += v;
                    expectedAbs[(y / 4) * 3 + c / 4] += Math.abs(v);
                }
            }
            for (int p = 0; p < 9; p++) {
                // Float result of a double sum of 16 floats: one float rounding.
                assertEquals(expected[p], sum.target()[b][p], 1e-6, "sum, image " + b + ", patch " + p);
                assertEquals(expectedAbs[p], absSum.target()[b][p], 1e-6, "abs-sum, image " + b + ", patch " + p);
            }
        }
    }

    @Test
    void integratedGradientsPatchMapSumsToTheLogitDifference() {
        Heatmaps maps = explain(IntegratedGradients.create(Parameters.empty()), 1L);
        for (int b = 0; b < 2; b++) {
            float[] x = samples.get(b).image().pixels();
            double total = 0;
            for (float v : maps.target()[b]) {
                total += v;
            }
            double expected = model.logit(x, TARGETS[b]) - model.logit(new float[x.length], TARGETS[b]);
            // 9 float-rounded patch sums of magnitude < 20 each.
            assertEquals(expected, total, 1e-4, "completeness, image " + b);
        }
    }

    @Test
    void gradientShapWithoutNoiseIsIntegratedGradientsExactlyOnALinearModel() {
        // the gradient is W[c] wherever the path point lies, so every random a_k gives W[c] * (x - x0)
        for (String baseline : List.of("zero", "mean", "blur")) {
            Heatmaps ig = explain(IntegratedGradients.create(params("baseline", baseline)), 1L);
            Heatmaps shap = explain(GradientShap.create(Parameters.of("gs", Map.of("baseline", baseline,
                    "samples", "3"))), 1L);
            for (int b = 0; b < 2; b++) {
                assertArrayEquals(ig.target()[b], shap.target()[b], 1e-4f, baseline + ", image " + b);
            }
        }
    }

    @Test
    void gradientShapWithNoiseAveragesWeightTimesTheNoisyDifference() {
        // E[W (x + eps - 0)] = W x; with 4000 draws of sd 0.1 per pixel, a patch sum of 16 pixels with
        // weights below 1 has a standard error below 4 * 0.1 / sqrt(4000) = 0.0063
        Heatmaps exact = explain(GradientInput.create(Parameters.empty()), 1L);
        Heatmaps shap = explain(GradientShap.create(Parameters.of("gs", Map.of("samples", "4000", "stdevs", "0.1",
                "batchSize", "500"))), 1L);
        for (int b = 0; b < 2; b++) {
            assertArrayEquals(exact.target()[b], shap.target()[b], 0.03f, "image " + b);
        }
        Heatmaps again = explain(GradientShap.create(Parameters.of("gs", Map.of("samples", "4000", "stdevs", "0.1",
                "batchSize", "7"))), 1L);
        for (int b = 0; b < 2; b++) {
            assertArrayEquals(shap.target()[b], again.target()[b], 1e-5f, "independent of the chunking, image " + b);
        }
    }

    @Test
    void varGradOfGradientInputIsTheWeightedNoiseVariance() {
        int n = 2000;
        for (String noise : new String[] {"relative", "absolute"}) {
            double sigma = 0.2;
            Heatmaps maps = explain(SmoothGrad.create(Parameters.of("smoothgrad", Map.of("base", "gradient-input",
                    "base.batchSize", "512", "samples", Integer.toString(n), "sigma", Double.toString(sigma),
                    "noise", noise, "variant", "vargrad"))), 5L);
            for (int b = 0; b < 2; b++) {
                float[] x = samples.get(b).image().pixels();
                double s = noise.equals("absolute") ? sigma : sigma * range(x);
                float[] w = model.weights(TARGETS[b]);
                double[] expected = new double[9];
                for (int i = 0; i < x.length; i++) {
                    expected[(i / 12 / 4) * 3 + (i % 12) / 4] += (double) w[i] * w[i] * s * s;
                }
                for (int p = 0; p < 9; p++) {
                    // m_s = w (x + e_s): the sample variance of 2000 draws has a relative sd of sqrt(2/2000)
                    // = 3.2% per pixel, about 0.8% for a 16-pixel patch; 5% is more than 6 sd.
                    assertEquals(expected[p], maps.target()[b][p], 0.05 * expected[p],
                            noise + " vargrad, image " + b + ", patch " + p);
                }
            }
        }
    }

    @Test
    void smoothGradAndSquaredOfGradientInputMatchTheirExpectations() {
        int n = 2000;
        double sigma = 0.2;
        Heatmaps mean = explain(SmoothGrad.create(Parameters.of("smoothgrad", Map.of("base", "gradient-input",
                "base.batchSize", "512", "samples", Integer.toString(n), "sigma", "0.2",
                "noise", "absolute", "aggregation", "abs-sum"))), 5L);
        Heatmaps squared = explain(SmoothGrad.create(Parameters.of("smoothgrad", Map.of("base", "gradient-input",
                "base.batchSize", "512", "samples", Integer.toString(n), "sigma", "0.2",
                "noise", "absolute", "variant", "smoothgrad-squared"))), 5L);
        for (int b = 0; b < 2; b++) {
            float[] x = samples.get(b).image().pixels();
            float[] w = model.weights(TARGETS[b]);
            double[] abs = new double[9];
            double[] bound = new double[9];
            double[] second = new double[9];
            for (int i = 0; i < x.length; i++) {
                int p = (i / 12 / 4) * 3 + (i % 12) / 4;
                abs[p] += Math.abs((double) w[i] * x[i]);
                bound[p] += 5 * Math.abs(w[i]) * sigma / Math.sqrt(n); // 5 sd of w * mean(e) per pixel
                second[p] += (double) w[i] * w[i] * (x[i] * x[i] + sigma * sigma);
            }
            for (int p = 0; p < 9; p++) {
                assertEquals(abs[p], mean.target()[b][p], bound[p], "smoothgrad, image " + b + ", patch " + p);
                // E[(w (x + e))^2] = w^2 (x^2 + sigma^2); 2000 draws bring the estimate within a few %.
                assertEquals(second[p], squared.target()[b][p], 0.05 * second[p],
                        "smoothgrad-squared, image " + b + ", patch " + p);
            }
        }
    }

    private Heatmaps explain(Explainer explainer, long seed) {
        try (NDManager scope = model.manager().newSubManager()) {
            return explainer.explain(new Context(model, seed, scope), samples, TARGETS);
        }
    }

    private static Parameters params(String key, String value) {
        return Parameters.of("test", Map.of(key, value));
    }

    private static double range(float[] x) {
        double min = Double.POSITIVE_INFINITY;
        double max = Double.NEGATIVE_INFINITY;
        for (float v : x) {
            min = Math.min(min, v);
            max = Math.max(max, v);
        }
        return max - min;
    }
}
