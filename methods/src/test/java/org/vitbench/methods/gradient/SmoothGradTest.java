package org.vitbench.methods.gradient;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDManager;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.vitbench.api.ConfigurationException;
import org.vitbench.api.Context;
import org.vitbench.api.Explainer;
import org.vitbench.api.Heatmaps;
import org.vitbench.api.Parameters;
import org.vitbench.api.Sample;
import org.vitbench.api.contract.FakeVitModel;
import org.vitbench.models.TinyVit;
import org.vitbench.models.VisionTransformer;

/** SmoothGrad's limits (no noise), seeding and parameters on the tiny ViT. */
class SmoothGradTest {

    private static final int[] TARGETS = {1, 0, 2};

    private static VisionTransformer model;
    private static List<Sample> samples;

    @BeforeAll
    static void setUp() {
        model = TinyVit.create(13);
        samples = FakeVitModel.randomSamples(model.info(), 3, 5L);
    }

    @AfterAll
    static void tearDown() {
        model.close();
    }

    @Test
    void withoutNoiseSmoothGradIsItsBaseExactly() {
        // base.batchSize = 3 makes every base call see the same 3-image forward passes as the base alone,
        // and Welford's running mean of identical values is exact, so the maps are bitwise equal.
        assertEquals(explain(Saliency.create(p("batchSize", "3")), 1L),
                explain(smoothGrad("base.batchSize", "3", "sigma", "0", "samples", "4"), 1L));
        assertEquals(explain(IntegratedGradients.create(Parameters.of("ig", Map.of("steps", "4", "batchSize", "4",
                        "method", "riemann-middle"))), 1L),
                explain(smoothGrad("base", "integrated-gradients", "base.steps", "4", "base.batchSize", "4",
                        "base.method", "riemann-middle", "sigma", "0", "samples", "3"), 1L));
        assertEquals(explain(GradientInput.create(p("aggregation", "abs-sum")), 1L),
                explain(smoothGrad("base", "gradient-input", "base.batchSize", "16", "aggregation", "abs-sum",
                        "sigma", "0", "samples", "2", "noise", "absolute"), 1L));
    }

    @Test
    void varGradWithoutNoiseIsZeroAndWithNoiseIsPositive() {
        Heatmaps zero = explain(smoothGrad("variant", "vargrad", "sigma", "0", "samples", "5"), 1L);
        for (float[] map : zero.target()) {
            assertArrayEquals(new float[map.length], map, 0f, "variance of identical maps");
        }
        Heatmaps noisy = explain(smoothGrad("variant", "vargrad", "sigma", "0.2", "samples", "5"), 1L);
        for (float[] map : noisy.target()) {
            for (float v : map) {
                assertTrue(v > 0, "a variance summed over 16 noisy pixels is positive: " + v);
            }
        }
    }

    @Test
    void noiseIsSeededPerSampleAndRun() {
        Explainer sg = smoothGrad("samples", "3");
        Heatmaps first = explain(sg, 7L);
        assertEquals(first, explain(sg, 7L), "same seed, same maps");
        assertNotEquals(first, explain(sg, 8L), "another run seed draws other noise");
        // Reordering the batch reorders the maps: the noise follows the sample id, not its position.
        List<Sample> reversed = List.of(samples.get(2), samples.get(1), samples.get(0));
        Heatmaps back;
        try (NDManager scope = model.manager().newSubManager()) {
            back = sg.explain(new Context(model, 7L, scope), reversed, new int[] {TARGETS[2], TARGETS[1], TARGETS[0]});
        }
        for (int b = 0; b < 3; b++) {
            float[] expected = first.target()[b];
            float[] actual = back.target()[2 - b];
            for (int i = 0; i < expected.length; i++) {
                // Other batch neighbours change only float round-off in the model's forward.
                assertEquals(expected[i], actual[i], 1e-5 * Math.abs(expected[i]) + 1e-7, "sample " + b + ", patch " + i);
            }
        }
        assertFalse(sg.parameters().asMap().containsKey("seed"), "the seed is the run's, not a parameter");
    }

    @Test
    void parametersCarryTheBaseUnderAPrefix() {
        SmoothGrad sg = smoothGrad("base", "integrated-gradients", "base.steps", "8", "variant", "vargrad");
        Map<String, String> expected = new TreeMap<>(Map.of("base", "integrated-gradients", "samples", "50",
                "sigma", "0.15", "noise", "relative", "variant", "vargrad", "aggregation", "sum",
                "base.steps", "8", "base.method", "gauss-legendre", "base.baseline", "zero"));
        expected.put("base.batchSize", "16");
        assertEquals(expected, sg.parameters().asMap());
        assertEquals(sg.parameters(), SmoothGrad.create(sg.parameters()).parameters(), "a complete cache key");
        assertEquals(new SmoothGrad().parameters(), SmoothGrad.create(Parameters.empty()).parameters());
        assertEquals("saliency", SmoothGrad.create(Parameters.empty()).parameters().asMap().get("base"));
        assertEquals("true", SmoothGrad.create(Parameters.empty()).parameters().asMap().get("base.abs"));
    }

    @Test
    void badParametersFailNamingTheKey() {
        assertThrows(ConfigurationException.class, () -> smoothGrad("base", "smoothgrad"));
        assertThrows(ConfigurationException.class, () -> smoothGrad("base", "attention-rollout"));
        assertThrows(ConfigurationException.class, () -> smoothGrad("base.steps", "8")); // saliency has no steps
        ConfigurationException e = assertThrows(ConfigurationException.class, () -> smoothGrad("base.aggregation", "sum"));
        assertTrue(e.getMessage().contains("'aggregation'"), e.getMessage());
        assertThrows(ConfigurationException.class, () -> smoothGrad("stdevs", "1"));
        assertThrows(ConfigurationException.class, () -> smoothGrad("sigma", "-0.1"));
        assertThrows(ConfigurationException.class, () -> smoothGrad("samples", "0"));
        assertThrows(ConfigurationException.class, () -> smoothGrad("variant", "smoothgrad-cubed"));
    }

    private static Heatmaps explain(Explainer explainer, long seed) {
        try (NDManager scope = model.manager().newSubManager()) {
            return explainer.explain(new Context(model, seed, scope), samples, TARGETS);
        }
    }

    private static SmoothGrad smoothGrad(String... keyValues) {
        Map<String, String> map = new TreeMap<>();
        for (int i = 0; i < keyValues.length; i += 2) {
            map.put(keyValues[i], keyValues[i + 1]);
        }
        return SmoothGrad.create(Parameters.of(SmoothGrad.ID, map));
    }

    private static Parameters p(String key, String value) {
        return Parameters.of("test", Map.of(key, value));
    }
}
