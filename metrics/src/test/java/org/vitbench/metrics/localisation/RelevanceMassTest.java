package org.vitbench.metrics.localisation;

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
import org.vitbench.api.ModelInfo;
import org.vitbench.api.Parameters;
import org.vitbench.api.Requirement;
import org.vitbench.api.Sample;
import org.vitbench.api.contract.FakeVitModel;

/** Relevance mass of hand-built maps. */
class RelevanceMassTest {

    /** Hand values are ratios of small integers. */
    private static final double EXACT = 1e-12;

    private static final ModelInfo GRID2 = FakeVitModel.info(2, 2, 1, 1, 2);

    @Test
    void positiveRelevanceOnTheMaskOverAllPositiveRelevance() {
        // Positive parts 0.5, 0, 2, 1.5: total 4, on the mask 0.5.
        assertEquals(0.125, RelevanceMass.massAccuracy(new float[] {0.5f, -1f, 2f, 1.5f}, new float[] {1, 1, 0, 0}),
                EXACT);
        // Negative relevance on the object does not lower the score: 3 / (3 + 1).
        assertEquals(0.75, RelevanceMass.massAccuracy(new float[] {3f, -7f, 1f, 0f}, new float[] {1, 1, 0, 0}),
                EXACT);
        assertEquals(1, RelevanceMass.massAccuracy(new float[] {2f, 1f, -1f, 0f}, new float[] {1, 1, 0, 0}), EXACT);
        assertEquals(0, RelevanceMass.massAccuracy(new float[] {0f, 0f, 2f, 1f}, new float[] {1, 1, 0, 0}), EXACT);
        // Soft mask values count as on the object.
        assertEquals(0.5, RelevanceMass.massAccuracy(new float[] {1f, 1f, 1f, 1f}, new float[] {0.3f, 1, 0, 0}),
                EXACT);
    }

    @Test
    void edgeCases() {
        assertEquals(0, RelevanceMass.massAccuracy(new float[] {-1f, -2f, 0f, 0f}, new float[] {1, 0, 0, 0}), 0,
                "no positive relevance");
        assertEquals(0, RelevanceMass.massAccuracy(new float[4], new float[] {1, 0, 0, 0}), 0, "all-zero map");
        assertTrue(Double.isNaN(RelevanceMass.massAccuracy(new float[] {1f, 2f, 3f, 4f}, new float[4])));
        assertThrows(IllegalArgumentException.class, () -> RelevanceMass.massAccuracy(new float[3], new float[4]));
    }

    @Test
    void evaluateWeighsPatchesByTheMaskPixelsTheyCover() {
        // Patch values 1, 3, 0, -2 on a 4 x 4 image: positive mass 4 * 1 + 4 * 3 = 16. The mask is
        // pixels (0, 1) in patch 0 and (0, 2) in patch 1: 1 + 3 = 4 on it, 4 / 16.
        float[] mask = new float[16];
        mask[1] = 1f;
        mask[2] = 1f;
        try (FakeVitModel model = FakeVitModel.of(GRID2, keep -> new float[] {0f, 0f});
                NDManager manager = model.manager().newSubManager()) {
            List<Sample> plain = FakeVitModel.randomSamples(GRID2, 1, 1L);
            Context context = new Context(model, 1L, manager);
            Heatmaps maps = Heatmaps.of(2, new float[][] {{1f, 3f, 0f, -2f}});
            assertArrayEquals(new double[] {0.25}, new RelevanceMass().evaluate(context,
                    List.of(MaskedSamples.withMask(plain.get(0), mask)), new int[1], maps).scores(), EXACT);
            assertEquals(0, model.evaluations());
            ConfigurationException e = assertThrows(ConfigurationException.class,
                    () -> new RelevanceMass().evaluate(context, plain, new int[1], maps));
            assertTrue(e.getMessage().contains("sample s0 has no ground-truth mask")
                    && e.getMessage().contains("relevance-mass"), e.getMessage());
            float[] nan = {1f, Float.NaN, 0f, 0f};
            assertThrows(IllegalArgumentException.class, () -> new RelevanceMass().evaluate(context,
                    List.of(MaskedSamples.withMask(plain.get(0), mask)), new int[1], Heatmaps.of(2, new float[][] {nan})));
        }
    }

    @Test
    void infoAndParameters() {
        assertEquals(Direction.HIGHER_IS_BETTER, new RelevanceMass().info().direction());
        assertEquals(java.util.Set.of(Requirement.GROUND_TRUTH_MASK), new RelevanceMass().info().requirements());
        assertEquals("relevance-mass@arras{}v1", new RelevanceMass().spec().canonical());
        for (Map<String, String> bad : List.of(Map.of("preset", "quantus"), Map.of("abs", "true"))) {
            ConfigurationException e = assertThrows(ConfigurationException.class,
                    () -> RelevanceMass.create(Parameters.of(RelevanceMass.ID, bad)));
            assertTrue(e.getMessage().contains(bad.keySet().iterator().next()), e.getMessage());
        }
    }
}
