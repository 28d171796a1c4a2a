package org.vitbench.metrics.complexity;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDManager;
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

/** The Gini index against values worked out by hand. */
class SparsenessTest {

    /** Hand values are ratios of small integers; double rounding stays below 1e-15. */
    private static final double EXACT = 1e-12;

    /** 3x3 grid, P = 9. */
    private static final ModelInfo GRID3 = FakeVitModel.info(3, 2, 1, 1, 2);

    @Test
    void handWorkedValues() {
        float[] oneHot = new float[9];
        oneHot[4] = 2.5f;
        // Sorted: eight zeros then 2.5; only i = 9 counts: (18 - 9 - 1) * 2.5 / (9 * 2.5) = 8/9.
        assertEquals(8.0 / 9, Sparseness.gini(oneHot), EXACT);
        assertEquals(0, Sparseness.gini(new float[] {3f, 3f, 3f, 3f}), EXACT);
        // |a| sorted 1, 2, 3, 4: (-3*1 - 1*2 + 1*3 + 3*4) / (4 * 10) = 10/40.
        assertEquals(0.25, Sparseness.gini(new float[] {4f, -1f, 3f, -2f}), EXACT);
        assertEquals(0.25, Sparseness.gini(new float[] {40f, 10f, 30f, 20f}), EXACT, "scale-invariant");
        // |a| sorted 0, 0, 1, 1: (1*1 + 3*1) / (4 * 2) = 1/2.
        assertEquals(0.5, Sparseness.gini(new float[] {0f, 1f, 0f, -1f}), EXACT);
        assertEquals(0, Sparseness.gini(new float[9]), 0, "all-zero map: the limit of a constant map");
        assertEquals(0, Sparseness.gini(new float[] {7f}), 0);
        assertThrows(IllegalArgumentException.class, () -> Sparseness.gini(new float[0]));
    }

    @Test
    void evaluateScoresEachTargetMapWithoutModelCalls() {
        float[] oneHot = new float[9];
        oneHot[0] = 1f;
        float[] uniform = new float[9];
        java.util.Arrays.fill(uniform, -0.5f);
        try (FakeVitModel model = FakeVitModel.of(GRID3, keep -> new float[] {0f, 0f});
                NDManager manager = model.manager().newSubManager()) {
            MetricResult r = new Sparseness().evaluate(new Context(model, 1L, manager),
                    FakeVitModel.randomSamples(GRID3, 2, 1L), new int[] {0, 1}, Heatmaps.of(3, new float[][] {oneHot,
                        uniform}));
            assertArrayEquals(new double[] {8.0 / 9, 0}, r.scores(), EXACT);
            assertEquals(0, model.evaluations());
            assertTrue(Direction.HIGHER_IS_BETTER.better(r.scores()[0], r.scores()[1]));
            assertEquals(Direction.HIGHER_IS_BETTER, new Sparseness().info().direction());
            float[] nan = uniform.clone();
            nan[8] = Float.NaN;
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> new Sparseness()
                    .evaluate(new Context(model, 1L, manager), FakeVitModel.randomSamples(GRID3, 1, 1L), new int[1],
                            Heatmaps.of(3, new float[][] {nan})));
            assertTrue(e.getMessage().contains("s0") && e.getMessage().contains("index 8"), e.getMessage());
            assertThrows(IllegalArgumentException.class, () -> new Sparseness().evaluate(
                    new Context(model, 1L, manager), FakeVitModel.randomSamples(GRID3, 1, 1L), new int[1],
                    Heatmaps.of(2, new float[][] {new float[4]})));
        }
    }

    @Test
    void parameters() {
        assertEquals("sparseness@quantus{}v1", new Sparseness().spec().canonical());
        assertEquals(new Sparseness().spec(),
                Sparseness.create(Parameters.of(Sparseness.ID, Map.of("preset", "quantus"))).spec());
        for (Map<String, String> bad : List.of(Map.of("preset", "xplique"), Map.of("abs", "false"))) {
            ConfigurationException e = assertThrows(ConfigurationException.class,
                    () -> Sparseness.create(Parameters.of(Sparseness.ID, bad)));
            assertTrue(e.getMessage().contains(bad.keySet().iterator().next()), e.getMessage());
        }
    }
}
