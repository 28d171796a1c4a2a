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
import org.vitbench.api.Heatmaps;
import org.vitbench.api.ModelInfo;
import org.vitbench.api.Parameters;
import org.vitbench.api.Sample;
import org.vitbench.api.contract.FakeVitModel;

/** Attribution localisation on hand-built maps and against the reference values of {@code topk_reference.py}. */
class AttributionLocalisationTest {

    private static final double EXACT = 1e-12;

    private static final ModelInfo GRID2 = FakeVitModel.info(2, 2, 1, 1, 2);

    @Test
    void theShareOfAbsoluteRelevanceOnTheObject() {
        float[] mask = {1, 1, 0, 0};
        assertEquals(0.5, AttributionLocalisation.localisation(new float[] {1f, 1f, 1f, 1f}, mask, 1, false), EXACT);
        // absolute values, as Quantus' abs=True: |-3| + 1 inside of 3 + 1 + 2 + 2
        assertEquals(0.5, AttributionLocalisation.localisation(new float[] {-3f, 1f, 2f, -2f}, mask, 1, false), EXACT);
        // weighted: times |GT| / (C N) = 2 / (3 x 4) for three channels
        assertEquals(0.5 * 2 / 12, AttributionLocalisation.localisation(new float[] {-3f, 1f, 2f, -2f}, mask, 3, true),
                EXACT);
        assertTrue(Double.isNaN(AttributionLocalisation.localisation(new float[4], mask, 1, false)), "0 / 0");
        assertTrue(Double.isNaN(AttributionLocalisation.localisation(new float[] {1f, 2f, 3f, 4f}, new float[4], 1,
                false)), "empty mask");
    }

    @Test
    void matchesTheReferenceScript() {
        List<ReferenceCases.Case> cases = ReferenceCases.read("/localisation/topk_reference.txt");
        assertEquals(12, cases.size());
        for (ReferenceCases.Case c : cases) {
            assertEquals(c.values()[3], AttributionLocalisation.localisation(c.map(), c.mask(), 1, false), EXACT,
                    c.line());
            assertEquals(c.values()[4], AttributionLocalisation.localisation(c.map(), c.mask(), 1, true), EXACT,
                    c.line());
        }
    }

    @Test
    void evaluateScoresTheTargetMapAtPixelResolution() {
        float[] mask = new float[16];
        mask[2] = 1f;
        mask[8] = 1f;
        try (FakeVitModel model = FakeVitModel.of(GRID2, keep -> new float[] {0f, 0f});
                NDManager manager = model.manager().newSubManager()) {
            List<Sample> plain = FakeVitModel.randomSamples(GRID2, 1, 1L);
            Context context = new Context(model, 1L, manager);
            Heatmaps maps = Heatmaps.of(2, new float[][] {{1f, 3f, 0f, -2f}});
            // pixel 2 holds 3, pixel 8 holds 0; total |a| = 4 x (1 + 3 + 0 + 2) = 24
            assertArrayEquals(new double[] {3.0 / 24}, new AttributionLocalisation().evaluate(context,
                    List.of(MaskedSamples.withMask(plain.get(0), mask)), new int[1], maps).scores(), EXACT);
            assertEquals(0, model.evaluations());
            ConfigurationException e = assertThrows(ConfigurationException.class,
                    () -> new AttributionLocalisation().evaluate(context, plain, new int[1], maps));
            assertTrue(e.getMessage().contains("attribution-localisation"), e.getMessage());
        }
    }

    @Test
    void infoAndParameters() {
        assertEquals("attribution-localisation@quantus{weighted=false;}v1",
                new AttributionLocalisation().spec().canonical());
        assertThrows(ConfigurationException.class, () -> AttributionLocalisation.create(
                Parameters.of(AttributionLocalisation.ID, Map.of("abs", "false"))));
    }
}
