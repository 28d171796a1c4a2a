package org.vitbench.datasets.canvas;

import java.util.ArrayList;
import java.util.List;

/** Finds where an item sits on a canvas by trying every offset against the mask. */
final class Placements {

    private Placements() {
    }

    /**
     * Every {@code (top, left)} at which thresholding the item reproduces {@code mask} exactly: 1
     * where the item's value exceeds {@link CanvasDataset#MASK_THRESHOLD}, 0 everywhere else.
     */
    static List<int[]> matching(float[] mask, int side, float[] item, int itemSide) {
        List<int[]> found = new ArrayList<>();
        for (int top = 0; top + itemSide <= side; top++) {
            for (int left = 0; left + itemSide <= side; left++) {
                if (matches(mask, side, item, itemSide, top, left)) {
                    found.add(new int[] {top, left});
                }
            }
        }
        return found;
    }

    private static boolean matches(float[] mask, int side, float[] item, int itemSide, int top, int left) {
        for (int y = 0; y < side; y++) {
            for (int x = 0; x < side; x++) {
                boolean inside = y >= top && y < top + itemSide && x >= left && x < left + itemSide;
                boolean expected = inside && item[(y - top) * itemSide + x - left] > CanvasDataset.MASK_THRESHOLD;
                if (mask[y * side + x] != (expected ? 1f : 0f)) {
                    return false;
                }
            }
        }
        return true;
    }
}
