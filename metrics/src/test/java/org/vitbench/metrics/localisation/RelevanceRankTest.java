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

/** Relevance rank accuracy of hand-built maps, ties included. */
class RelevanceRankTest {

    /** Hand values are ratios of small integers. */
    private static final double EXACT = 1e-12;

    private static final ModelInfo GRID2 = FakeVitModel.info(2, 2, 1, 1, 2);

    @Test
    void shareOfTheTopKOnTheMask() {
        // K = 2; top 2 are pixels 0 and 1, one of them on the mask.
        assertEquals(0.5, RelevanceRank.rankAccuracy(new float[] {4f, 3f, 2f, 1f}, new float[] {1, 0, 1, 0}), EXACT);
        assertEquals(1, RelevanceRank.rankAccuracy(new float[] {4f, 1f, 2f, 3f}, new float[] {1, 0, 0, 1}), EXACT);
        assertEquals(0, RelevanceRank.rankAccuracy(new float[] {-4f, 1f, 2f, -3f}, new float[] {1, 0, 0, 1}), EXACT,
                "signed values: the most negative are last");
        // K = 1 and the one mask pixel is the maximum.
        assertEquals(1, RelevanceRank.rankAccuracy(new float[] {0f, 9f, 2f, 1f}, new float[] {0, 1, 0, 0}), EXACT);
    }

    @Test
    void tiesAtTheCutCountByTheirExpectation() {
        // K = 2; a group of three tied pixels (one on the mask) fills both places: 2 * 1 / 3 hits.
        assertEquals(1.0 / 3, RelevanceRank.rankAccuracy(new float[] {1f, 1f, 1f, 0f}, new float[] {0, 0, 1, 1}),
                EXACT);
        // K = 3; pixel 0 alone first (a hit), then a tie of 2 (one hit) for the last 2 places: 2 / 3.
        assertEquals(2.0 / 3, RelevanceRank.rankAccuracy(new float[] {5f, 2f, 2f, 0f, -1f},
                new float[] {1, 1, 0, 0, 1}), EXACT);
        // K = 2; a tie of 4 (both mask pixels in it) for 2 places: 2 * 2 / 4 = 1 hit, score 1/2.
        assertEquals(0.5, RelevanceRank.rankAccuracy(new float[] {7f, 7f, 7f, 7f}, new float[] {1, 0, 1, 0}), EXACT,
                "a constant map scores K / N");
    }

    @Test
    void edgeCases() {
        assertTrue(Double.isNaN(RelevanceRank.rankAccuracy(new float[] {1f, 2f}, new float[2])));
        assertEquals(1, RelevanceRank.rankAccuracy(new float[] {1f, 2f}, new float[] {1, 1}), EXACT, "K = N");
        assertThrows(IllegalArgumentException.class, () -> RelevanceRank.rankAccuracy(new float[3], new float[4]));
    }

    @Test
    void evaluateRanksUpsampledPixels() {
        // Patch values 5, 1, 1, 0 on a 4 x 4 image. Mask: the 4 pixels of patch 0 -> K = 4, all hits.
        // Mask: pixels (0, 0) and (0, 2) -> K = 2, both places go to patch 0 (4 tied pixels, 1 on the
        // mask): 2 * 1 / 4 = 0.5 hits, score 0.25.
        float[] patch0 = new float[16];
        patch0[0] = patch0[1] = patch0[4] = patch0[5] = 1f;
        float[] two = new float[16];
        two[0] = two[2] = 1f;
        try (FakeVitModel model = FakeVitModel.of(GRID2, keep -> new float[] {0f, 0f});
                NDManager manager = model.manager().newSubManager()) {
            List<Sample> plain = FakeVitModel.randomSamples(GRID2, 2, 1L);
            List<Sample> batch = List.of(MaskedSamples.withMask(plain.get(0), patch0),
                    MaskedSamples.withMask(plain.get(1), two));
            float[] map = {5f, 1f, 1f, 0f};
            Context context = new Context(model, 1L, manager);
            assertArrayEquals(new double[] {1, 0.25}, new RelevanceRank().evaluate(context, batch, new int[2],
                    Heatmaps.of(2, new float[][] {map, map})).scores(), EXACT);
            assertEquals(0, model.evaluations());
            ConfigurationException e = assertThrows(ConfigurationException.class, () -> new RelevanceRank()
                    .evaluate(context, plain, new int[2], Heatmaps.of(2, new float[][] {map, map})));
            assertTrue(e.getMessage().contains("relevance-rank"), e.getMessage());
        }
    }

    @Test
    void infoAndParameters() {
        assertEquals(Direction.HIGHER_IS_BETTER, new RelevanceRank().info().direction());
        assertEquals(java.util.Set.of(Requirement.GROUND_TRUTH_MASK), new RelevanceRank().info().requirements());
        assertEquals("relevance-rank@arras{}v1", new RelevanceRank().spec().canonical());
        ConfigurationException e = assertThrows(ConfigurationException.class,
                () -> RelevanceRank.create(Parameters.of(RelevanceRank.ID, Map.of("k", "3"))));
        assertTrue(e.getMessage().contains("'k'"), e.getMessage());
    }
}
