package org.vitbench.datasets.canvas;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.vitbench.api.Dataset;
import org.vitbench.api.Image;
import org.vitbench.api.Sample;

/**
 * Composition on hand-made items: item {@code i} is 28 x 28 zeros with a 10 x 6 block of value
 * {@code 0.5 + 0.05 (i mod 5)} at rows 5-14, columns 8-13, and a faint row of 0.1 (below the mask
 * threshold) just above it, so its mask is exactly that block.
 */
class CanvasDatasetTest {

    private static final int ITEMS = 10;

    private static float itemValue(int i) {
        return 0.5f + 0.05f * (i % 5);
    }

    private static float[] item(int i) {
        float[] pixels = new float[28 * 28];
        for (int y = 5; y < 15; y++) {
            for (int x = 8; x < 14; x++) {
                pixels[y * 28 + x] = itemValue(i);
            }
        }
        for (int x = 8; x < 14; x++) {
            pixels[4 * 28 + x] = 0.1f;
        }
        return pixels;
    }

    /** The items as a dataset; labels {@code i mod 10}. */
    private static final Dataset ITEM_SET = new Dataset() {
        @Override
        public String name() {
            return "blocks/test";
        }

        @Override
        public List<String> classNames() {
            return IntStream.range(0, 10).mapToObj(k -> "c" + k).toList();
        }

        @Override
        public int size() {
            return ITEMS;
        }

        @Override
        public Sample get(int index) {
            return new Sample("blocks/" + index, index % 10, new Image(1, 28, 28, item(index)));
        }
    };

    private static CanvasDataset canvas(CanvasOptions options) {
        return new CanvasDataset("canvas/test", "test", ITEM_SET, ITEMS, options);
    }

    @Test
    void idsLabelsShapes() {
        CanvasDataset dataset = canvas(CanvasOptions.DEFAULTS);
        assertEquals("canvas/test", dataset.name());
        assertEquals(ITEMS, dataset.size());
        assertTrue(dataset.hasMasks());
        Sample sample = dataset.get(7);
        assertEquals("canvas-test-00007", sample.id());
        assertEquals("canvas-train-00042", CanvasDataset.sampleId("train", 42));
        assertEquals(7, sample.label());
        assertEquals(new Image(1, 56, 56, sample.image().pixels()), sample.image());
        assertEquals(56 * 56, sample.mask().length);
        assertThrows(IndexOutOfBoundsException.class, () -> dataset.get(ITEMS));
    }

    @Test
    void aSampleDependsOnlyOnSeedSplitAndIndex() {
        CanvasDataset first = canvas(CanvasOptions.DEFAULTS);
        CanvasDataset again = canvas(CanvasOptions.DEFAULTS);
        CanvasDataset prefix = new CanvasDataset("canvas/test", "test", ITEM_SET, 3, CanvasOptions.DEFAULTS);
        for (int i = 0; i < ITEMS; i++) {
            Sample a = first.get(i);
            for (Sample b : List.of(first.get(i), again.get(i))) {
                assertEquals(a.image(), b.image(), "image of sample " + i);
                assertArrayEquals(a.mask(), b.mask(), "mask of sample " + i);
            }
        }
        assertEquals(first.get(2).image(), prefix.get(2).image(), "limit does not change a sample");
        assertNotEquals(first.get(0).image(), canvas(CanvasOptions.DEFAULTS.withSeed(1)).get(0).image());
        assertNotEquals(first.get(0).image(), new CanvasDataset("canvas/train", "train", ITEM_SET, ITEMS,
                CanvasOptions.DEFAULTS).get(0).image(), "the split is part of the seed");
    }

    @Test
    void theMaskIsTheItemBlockAtItsPlacementInsideTheCanvas() {
        for (int side : new int[] {28, 41, 56}) {
            CanvasDataset dataset = canvas(CanvasOptions.DEFAULTS.withSize(side));
            Set<Integer> tops = new HashSet<>();
            for (int i = 0; i < ITEMS; i++) {
                Sample sample = dataset.get(i);
                List<int[]> at = Placements.matching(sample.mask(), side, item(i), 28);
                assertEquals(1, at.size(), "one placement explains the mask of sample " + i + " at " + side + " px");
                int top = at.get(0)[0];
                int left = at.get(0)[1];
                tops.add(top);
                int ones = 0;
                for (int p = 0; p < side * side; p++) {
                    if (sample.mask()[p] != 0f) {
                        ones++;
                        int y = p / side - top;
                        int x = p % side - left;
                        assertTrue(y >= 5 && y < 15 && x >= 8 && x < 14, "mask pixel " + p + " off the block");
                        assertEquals(itemValue(i), sample.image().pixels()[p], 0f, "the item shows on its mask");
                    }
                }
                assertEquals(60, ones, "the 10 x 6 block, and not the faint row above it");
            }
            if (side == 28) {
                assertEquals(Set.of(0), tops, "an item fills a 28 px canvas");
            } else {
                assertTrue(tops.size() > 1, "items move across the canvas: " + tops);
            }
        }
    }

    @Test
    void distractorsAreDrawnBesideTheItemAndNeverOnItsMask() {
        CanvasDataset plain = canvas(CanvasOptions.DEFAULTS.withDistractors(0));
        for (int distractors = 1; distractors <= CanvasOptions.MAX_DISTRACTORS; distractors++) {
            CanvasDataset busy = canvas(CanvasOptions.DEFAULTS.withDistractors(distractors));
            for (int i = 0; i < ITEMS; i++) {
                Sample without = plain.get(i);
                Sample with = busy.get(i);
                assertArrayEquals(without.mask(), with.mask(), "distractors do not move the item");
                int changed = 0;
                for (int p = 0; p < with.mask().length; p++) {
                    float a = without.image().pixels()[p];
                    float b = with.image().pixels()[p];
                    if (with.mask()[p] != 0f) {
                        assertEquals(a, b, 0f, "sample " + i + ": a distractor covers mask pixel " + p);
                    } else if (a != b) {
                        changed++;
                        assertTrue(b > a, "distractors only brighten");
                    }
                }
                assertTrue(changed >= 10, "sample " + i + " with " + distractors + " distractors changed only "
                        + changed + " pixels");
            }
        }
        for (int i = 0; i < ITEMS; i++) {
            Sample sample = plain.get(i);
            for (int p = 0; p < sample.mask().length; p++) {
                if (sample.mask()[p] == 0f) {
                    float v = sample.image().pixels()[p];
                    assertTrue(v >= 0f && v <= Texture.MAX, "without distractors, off-mask pixel " + p + " = " + v);
                }
            }
        }
    }

    @Test
    void theTextureIsFaintAndNotFlat() {
        float[] background = Texture.paint(56, new java.util.SplittableRandom(5));
        float min = Float.MAX_VALUE;
        float max = -Float.MAX_VALUE;
        for (float v : background) {
            min = Math.min(min, v);
            max = Math.max(max, v);
        }
        assertTrue(min >= 0f && max <= Texture.MAX, min + " .. " + max);
        assertTrue(max - min > 0.05f, "a texture, not a flat grey: " + min + " .. " + max);
        assertArrayEquals(background, Texture.paint(56, new java.util.SplittableRandom(5)));
    }

    @Test
    void badOptionsFail() {
        assertThrows(IllegalArgumentException.class, () -> new CanvasOptions(27, 0, 1));
        assertThrows(IllegalArgumentException.class, () -> new CanvasOptions(56, -1, 1));
        assertThrows(IllegalArgumentException.class, () -> new CanvasOptions(56, 0, 4));
        assertThrows(IllegalArgumentException.class, () -> new CanvasDataset("c", "test", ITEM_SET, 0,
                CanvasOptions.DEFAULTS));
        assertThrows(IllegalArgumentException.class, () -> new CanvasDataset("c", "test", ITEM_SET, ITEMS + 1,
                CanvasOptions.DEFAULTS));
        assertFalse(CanvasOptions.DEFAULTS.withDistractors(0).equals(CanvasOptions.DEFAULTS));
    }
}
