package org.vitbench.metrics.complexity;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDManager;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.vitbench.api.ConfigurationException;
import org.vitbench.api.Context;
import org.vitbench.api.Direction;
import org.vitbench.api.Heatmaps;
import org.vitbench.api.MetricResult;
import org.vitbench.api.ModelInfo;
import org.vitbench.api.Parameters;
import org.vitbench.api.contract.FakeVitModel;

/** The entropy of the fractional contributions against values worked out by hand. */
class ComplexityTest {

    /** Hand values are sums of a few logarithms; double rounding stays below 1e-15. */
    private static final double EXACT = 1e-12;

    /** 3x3 grid, P = 9. */
    private static final ModelInfo GRID3 = FakeVitModel.info(3, 2, 1, 1, 2);

    @Test
    void handWorkedValues() {
        float[] uniform = new float[9];
        Arrays.fill(uniform, 0.2f);
        assertEquals(Math.log(9), Complexity.entropy(uniform), EXACT);
        float[] oneHot = new float[9];
        oneHot[3] = -4f;
        assertEquals(0, Complexity.entropy(oneHot), 0);
        // p = 1/4, 1/4, 1/2, 0: 2 * (1/4) ln 4 + (1/2) ln 2 = 1.5 ln 2.
        assertEquals(1.5 * Math.log(2), Complexity.entropy(new float[] {1f, -1f, 2f, 0f}), EXACT);
        assertEquals(1.5 * Math.log(2), Complexity.entropy(new float[] {3f, 3f, -6f, 0f}), EXACT, "scale-invariant");
        assertEquals(Math.log(4), Complexity.entropy(new float[4]), EXACT, "all-zero map: the limit of a constant map");
        assertThrows(IllegalArgumentException.class, () -> Complexity.entropy(new float[0]));
    }

    @Test
    void evaluateScoresEachTargetMapWithoutModelCalls() {
        float[] oneHot = new float[9];
        oneHot[0] = 1f;
        float[] uniform = new float[9];
        Arrays.fill(uniform, -0.5f);
        try (FakeVitModel model = FakeVitModel.of(GRID3, keep -> new float[] {0f, 0f});
                NDManager manager = model.manager().newSubManager()) {
            MetricResult r = new Complexity().evaluate(new Context(model, 1L, manager),
                    FakeVitModel.randomSamples(GRID3, 2, 1L), new int[] {0, 1},
                    Heatmaps.of(3, new float[][] {oneHot, uniform}));
            assertArrayEquals(new double[] {0, Math.log(9)}, r.scores(), EXACT);
            assertEquals(0, model.evaluations());
            assertTrue(Direction.LOWER_IS_BETTER.better(r.scores()[0], r.scores()[1]));
            assertEquals(Direction.LOWER_IS_BETTER, new Complexity().info().direction());
            float[] inf = uniform.clone();
            inf[2] = Float.NEGATIVE_INFINITY;
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> new Complexity()
                    .evaluate(new Context(model, 1L, manager), FakeVitModel.randomSamples(GRID3, 1, 1L), new int[1],
                            Heatmaps.of(3, new float[][] {inf})));
            assertTrue(e.getMessage().contains("s0") && e.getMessage().contains("index 2"), e.getMessage());
        }
    }

    @Test
    void parameters() {
        assertEquals("complexity@quantus{}v1", new Complexity().spec().canonical());
        for (Map<String, String> bad : List.of(Map.of("preset", "bhatt"), Map.of("normalise", "true"))) {
            ConfigurationException e = assertThrows(ConfigurationException.class,
                    () -> Complexity.create(Parameters.of(Complexity.ID, bad)));
            assertTrue(e.getMessage().contains(bad.keySet().iterator().next()), e.getMessage());
        }
    }
}
