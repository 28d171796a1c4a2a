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
import org.vitbench.api.MetricResult;
import org.vitbench.api.ModelInfo;
import org.vitbench.api.Parameters;
import org.vitbench.api.Requirement;
import org.vitbench.api.Sample;
import org.vitbench.api.contract.FakeVitModel;

/** Hits and misses on 5 x 5 pixel maps and a 2 x 2 patch grid, worked out by hand. */
class PointingGameTest {

    private static final int SIDE = 5;

    /** 2x2 grid of 2-pixel patches: a 4 x 4 image. */
    private static final ModelInfo GRID2 = FakeVitModel.info(2, 2, 1, 1, 2);

    /** The object: pixels (1, 1) and (1, 2) of a 5 x 5 image. */
    private static float[] object() {
        float[] mask = new float[SIDE * SIDE];
        mask[SIDE + 1] = 1f;
        mask[SIDE + 2] = 1f;
        return mask;
    }

    /** A 5 x 5 map of zeros with {@code value} at each (y, x) pair. */
    private static float[] peaks(float value, int... yx) {
        float[] map = new float[SIDE * SIDE];
        for (int i = 0; i < yx.length; i += 2) {
            map[yx[i] * SIDE + yx[i + 1]] = value;
        }
        return map;
    }

    @Test
    void aPeakOnTheObjectHitsAndOneOffItMisses() {
        assertEquals(1, PointingGame.hit(peaks(1f, 1, 2), object(), SIDE, 0));
        assertEquals(0, PointingGame.hit(peaks(1f, 4, 4), object(), SIDE, 0));
        assertEquals(0, PointingGame.hit(peaks(1f, 2, 2), object(), SIDE, 0), "adjacent is off the object");
        // The maximum of an all-negative map is its least negative value.
        float[] negative = new float[SIDE * SIDE];
        java.util.Arrays.fill(negative, -9f);
        negative[SIDE + 1] = -2f;
        assertEquals(1, PointingGame.hit(negative, object(), SIDE, 0));
    }

    @Test
    void theToleranceIsAStrictEuclideanDistance() {
        // (4, 2) is 3 px below (1, 2): d^2 = 9, accepted only when 9 < tolerance^2.
        assertEquals(0, PointingGame.hit(peaks(1f, 4, 2), object(), SIDE, 3), "d = tolerance is a miss");
        assertEquals(1, PointingGame.hit(peaks(1f, 4, 2), object(), SIDE, 4));
        // (4, 4): nearest object pixel (1, 2), d^2 = 9 + 4 = 13; 13 < 16 but not < 9.
        assertEquals(0, PointingGame.hit(peaks(1f, 4, 4), object(), SIDE, 3));
        assertEquals(1, PointingGame.hit(peaks(1f, 4, 4), object(), SIDE, 4));
        // (3, 3): to (1, 2) d^2 = 4 + 1 = 5, so tolerance 3 accepts (5 < 9) and 2 does not (5 >= 4).
        assertEquals(0, PointingGame.hit(peaks(1f, 3, 3), object(), SIDE, 2));
        assertEquals(1, PointingGame.hit(peaks(1f, 3, 3), object(), SIDE, 3));
        // Diagonal neighbour (2, 3): d^2 = 2 < 4.
        assertEquals(1, PointingGame.hit(peaks(1f, 2, 3), object(), SIDE, 2));
        assertEquals(0, PointingGame.hit(peaks(1f, 2, 3), object(), SIDE, 1), "d^2 = 2 is not < 1");
    }

    @Test
    void tiedMaximaHitWhenAnyOfThemHits() {
        assertEquals(1, PointingGame.hit(peaks(1f, 4, 4, 1, 1), object(), SIDE, 0), "one of two maxima on it");
        assertEquals(0, PointingGame.hit(peaks(1f, 4, 4, 0, 4, 4, 0), object(), SIDE, 0), "no maximum on it");
        float[] constant = new float[SIDE * SIDE];
        java.util.Arrays.fill(constant, 0.3f);
        assertEquals(1, PointingGame.hit(constant, object(), SIDE, 0), "a constant map is maximal everywhere");
    }

    @Test
    void anEmptyMaskIsNaNAndBadSizesFail() {
        assertTrue(Double.isNaN(PointingGame.hit(peaks(1f, 1, 1), new float[SIDE * SIDE], SIDE, 4)));
        assertThrows(IllegalArgumentException.class, () -> PointingGame.hit(new float[24], object(), SIDE, 0));
        assertThrows(IllegalArgumentException.class, () -> PointingGame.hit(peaks(1f, 1, 1), object(), SIDE, -1));
    }

    @Test
    void evaluateUpsamplesThePatchGrid() {
        // Patch (0, 1) covers pixels rows 0-1, columns 2-3 of the 4 x 4 image.
        float[] map = {0f, 1f, 0f, 0f};
        float[] corner = new float[16];
        corner[3 * 4] = 1f; // pixel (3, 0): nearest maximal pixel (1, 2), d^2 = 4 + 4 = 8
        float[] onPatch = new float[16];
        onPatch[4 + 3] = 1f; // pixel (1, 3), inside the maximal patch
        try (FakeVitModel model = FakeVitModel.of(GRID2, keep -> new float[] {0f, 0f});
                NDManager manager = model.manager().newSubManager()) {
            List<Sample> plain = FakeVitModel.randomSamples(GRID2, 2, 1L);
            List<Sample> batch = List.of(MaskedSamples.withMask(plain.get(0), corner),
                    MaskedSamples.withMask(plain.get(1), onPatch));
            Heatmaps maps = Heatmaps.of(2, new float[][] {map, map});
            Context context = new Context(model, 1L, manager);
            assertArrayEquals(new double[] {0, 1}, new PointingGame(2).evaluate(context, batch, new int[2], maps)
                    .scores(), 0);
            MetricResult wide = new PointingGame(3).evaluate(context, batch, new int[2], maps);
            assertArrayEquals(new double[] {1, 1}, wide.scores(), 0, "8 < 9");
            assertEquals(0, model.evaluations());

            ConfigurationException e = assertThrows(ConfigurationException.class,
                    () -> new PointingGame().evaluate(context, plain, new int[2], maps));
            assertTrue(e.getMessage().contains("sample s0 has no ground-truth mask")
                    && e.getMessage().contains("pointing-game"), e.getMessage());
        }
    }

    @Test
    void infoAndParameters() {
        PointingGame metric = new PointingGame();
        assertEquals(Direction.HIGHER_IS_BETTER, metric.info().direction());
        assertEquals(java.util.Set.of(Requirement.GROUND_TRUTH_MASK), metric.info().requirements());
        assertEquals("pointing-game@zhang{tolerance=4;}v1", metric.spec().canonical());
        assertEquals(metric.spec(), PointingGame.create(Parameters.of(PointingGame.ID, Map.of("preset", "zhang")))
                .spec());
        assertEquals(0, PointingGame.create(Parameters.of(PointingGame.ID, Map.of("tolerance", "0"))).tolerance());
        for (Map<String, String> bad : List.of(Map.of("preset", "quantus"), Map.of("tolerance", "-1"),
                Map.of("tolerance", "2.5"), Map.of("tolerance", "1001"), Map.of("radius", "3"))) {
            ConfigurationException e = assertThrows(ConfigurationException.class,
                    () -> PointingGame.create(Parameters.of(PointingGame.ID, bad)));
            assertTrue(e.getMessage().contains(bad.keySet().iterator().next()), e.getMessage());
        }
        assertThrows(ConfigurationException.class, () -> new PointingGame(-1));
    }
}
