package org.vitbench.api;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

class HeatmapsTest {

    @Test
    void targetMapsComeFromThePerClassMaps() {
        float[][][] perClass = {{{1, 2, 3, 4}, {5, 6, 7, 8}}};
        Heatmaps h = Heatmaps.ofAllClasses(2, perClass, new int[] {1});
        assertEquals(5f, h.target()[0][0]);
        assertNull(h.firstNonFinite());
    }

    @Test
    void wrongLengthsAreRejected() {
        assertThrows(IllegalArgumentException.class, () -> Heatmaps.of(2, new float[][] {{1, 2, 3}}));
        assertThrows(IllegalArgumentException.class,
                () -> new Heatmaps(2, new float[][] {{1, 2, 3, 4}}, new float[][][] {{{1, 2, 3, 4}, {1, 2}}}));
    }

    @Test
    void theFirstNonFiniteValueIsNamedAlsoInPerClassMaps() {
        assertEquals("sample 0, patch 2 = NaN", Heatmaps.of(2, new float[][] {{0, 1, Float.NaN, 3}}).firstNonFinite());
        Heatmaps h = new Heatmaps(2, new float[][] {{0, 0, 0, 0}},
                new float[][][] {{{0, 0, 0, 0}, {0, Float.POSITIVE_INFINITY, 0, 0}}});
        assertEquals("sample 0, class 1, patch 1 = Infinity", h.firstNonFinite());
    }

    @Test
    void pixelMapsRepeatEachPatchValueOverItsPixels() {
        float[] pixels = Heatmaps.toPixels(new float[] {1, 2, 3, 4}, 2, 3); // 2x2 grid, 3-pixel patches
        assertEquals(36, pixels.length);
        float[] firstRow = java.util.Arrays.copyOfRange(pixels, 0, 6);
        float[] lastRow = java.util.Arrays.copyOfRange(pixels, 30, 36);
        assertArrayEquals(new float[] {1, 1, 1, 2, 2, 2}, firstRow);
        assertArrayEquals(new float[] {3, 3, 3, 4, 4, 4}, lastRow);
        assertThrows(IllegalArgumentException.class,
                () -> Heatmaps.toPixels(new float[3], 2, 3));
    }
}
