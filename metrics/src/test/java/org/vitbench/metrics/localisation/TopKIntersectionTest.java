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

/** Top-k intersection on hand-built maps and against the reference values of {@code topk_reference.py}. */
class TopKIntersectionTest {

    private static final double EXACT = 1e-12;

    private static final ModelInfo GRID2 = FakeVitModel.info(2, 2, 1, 1, 2);

    @Test
    void countsTheObjectAmongTheTopKAndTiesAtTheCutByExpectation() {
        float[] mask = {1, 1, 0, 0};
        assertEquals(1, TopKIntersection.intersection(new float[] {3f, 2f, 1f, 0f}, mask, 2, false), EXACT);
        assertEquals(0, TopKIntersection.intersection(new float[] {0f, 1f, 2f, 3f}, mask, 2, false), EXACT);
        assertEquals(0.5, TopKIntersection.intersection(new float[] {3f, 0f, 2f, 1f}, mask, 2, false), EXACT);
        // all four tied, 3 places: each pixel is chosen with probability 3/4, 2 object pixels -> 1.5 / 3
        assertEquals(0.5, TopKIntersection.intersection(new float[] {1f, 1f, 1f, 1f}, mask, 3, false), EXACT);
        // concept influence: times 4 pixels / 2 object pixels
        assertEquals(2, TopKIntersection.intersection(new float[] {3f, 2f, 1f, 0f}, mask, 1, true), EXACT);
        // signed, as Quantus' default: a strongly negative object pixel is not among the top
        assertEquals(0.5, TopKIntersection.intersection(new float[] {5f, -9f, 1f, 0f}, mask, 2, false), EXACT);
    }

    @Test
    void edgeCases() {
        assertTrue(Double.isNaN(TopKIntersection.intersection(new float[] {1f, 2f, 3f, 4f}, new float[4], 2, false)),
                "empty mask, as Quantus");
        assertThrows(IllegalArgumentException.class,
                () -> TopKIntersection.intersection(new float[4], new float[] {1, 0, 0, 0}, 4, false));
        assertThrows(IllegalArgumentException.class,
                () -> TopKIntersection.intersection(new float[4], new float[] {1, 0, 0, 0}, 0, false));
        assertThrows(IllegalArgumentException.class,
                () -> TopKIntersection.intersection(new float[3], new float[4], 1, false));
    }

    @Test
    void matchesTheReferenceScript() {
        List<ReferenceCases.Case> cases = ReferenceCases.read("/localisation/topk_reference.txt");
        assertEquals(12, cases.size());
        for (ReferenceCases.Case c : cases) {
            int k = (int) c.values()[0];
            assertEquals(c.values()[1], TopKIntersection.intersection(c.map(), c.mask(), k, false), EXACT, c.line());
            assertEquals(c.values()[2], TopKIntersection.intersection(c.map(), c.mask(), k, true), EXACT, c.line());
        }
    }

    @Test
    void evaluateScoresTheTargetMapAtPixelResolutionAndRefusesATooLargeK() {
        // patch values 1, 3, 0, -2 on a 4 x 4 image (4 pixels each); object: pixels 2 (value 3) and 8 (value 0)
        float[] mask = new float[16];
        mask[2] = 1f;
        mask[8] = 1f;
        try (FakeVitModel model = FakeVitModel.of(GRID2, keep -> new float[] {0f, 0f});
                NDManager manager = model.manager().newSubManager()) {
            List<Sample> plain = FakeVitModel.randomSamples(GRID2, 1, 1L);
            List<Sample> masked = List.of(MaskedSamples.withMask(plain.get(0), mask));
            Context context = new Context(model, 1L, manager);
            Heatmaps maps = Heatmaps.of(2, new float[][] {{1f, 3f, 0f, -2f}});
            // top 6: the 4 pixels of value 3 (one on the object), then 2 of the 4 pixels of value 1 (none)
            assertArrayEquals(new double[] {1.0 / 6}, TopKIntersection.create(Parameters.of(TopKIntersection.ID,
                    Map.of("k", "6"))).evaluate(context, masked, new int[1], maps).scores(), EXACT);
            assertEquals(0, model.evaluations());
            ConfigurationException e = assertThrows(ConfigurationException.class,
                    () -> new TopKIntersection().evaluate(context, masked, new int[1], maps));
            assertTrue(e.getMessage().contains("k=1000 is not below the 16 pixels")
                    && e.getMessage().contains("top-k-intersection:k="), e.getMessage());
        }
    }

    @Test
    void infoAndParameters() {
        assertEquals("top-k-intersection@quantus{conceptInfluence=false;k=1000;}v1",
                new TopKIntersection().spec().canonical());
        assertThrows(ConfigurationException.class,
                () -> TopKIntersection.create(Parameters.of(TopKIntersection.ID, Map.of("k", "0"))));
        assertThrows(ConfigurationException.class,
                () -> TopKIntersection.create(Parameters.of(TopKIntersection.ID, Map.of("abs", "true"))));
    }
}
