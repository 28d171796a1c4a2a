package org.vitbench.api;

import java.util.Arrays;

/**
 * Explanations of a batch on the patch grid, as plain arrays (no native memory).
 *
 * @param grid patches per side
 * @param target {@code [B][grid * grid]}: the map for each sample's target class, row-major
 * @param perClass {@code [B][K][grid * grid]} maps for every class, or {@code null} when the
 *     method explains the target only
 */
public record Heatmaps(int grid, float[][] target, float[][][] perClass) {

    public Heatmaps {
        int p = grid * grid;
        for (int b = 0; b < target.length; b++) {
            if (target[b].length != p) {
                throw new IllegalArgumentException("heatmap " + b + " has " + target[b].length
                        + " values, expected " + p + " for a " + grid + "x" + grid + " grid");
            }
        }
        if (perClass != null && perClass.length != target.length) {
            throw new IllegalArgumentException("perClass has " + perClass.length
                    + " samples, target has " + target.length);
        }
        if (perClass != null) {
            for (int b = 0; b < perClass.length; b++) {
                for (int k = 0; k < perClass[b].length; k++) {
                    if (perClass[b][k].length != p) {
                        throw new IllegalArgumentException("heatmap of sample " + b + ", class " + k + " has "
                                + perClass[b][k].length + " values, expected " + p);
                    }
                }
            }
        }
    }

    /** Target-class maps only. */
    public static Heatmaps of(int grid, float[][] target) {
        return new Heatmaps(grid, target, null);
    }

    /** Per-class maps; {@code target[b] = perClass[b][targets[b]]}. */
    public static Heatmaps ofAllClasses(int grid, float[][][] perClass, int[] targets) {
        float[][] target = new float[perClass.length][];
        for (int b = 0; b < perClass.length; b++) {
            target[b] = perClass[b][targets[b]];
        }
        return new Heatmaps(grid, target, perClass);
    }

    /**
     * A patch-grid map at pixel resolution, for overlays and pixel-level metrics: every pixel takes
     * its patch's value (nearest-neighbour upsampling, as the CDAM reference displays token maps).
     * Interpolating methods (bilinear, bicubic) would invent values between patches that no
     * method computed, so vitbench leaves smoothing to the display.
     *
     * @param map {@code [grid * grid]} row-major
     * @param grid patches per side
     * @param patchSize pixels per patch side
     * @return {@code [(grid * patchSize)^2]} row-major
     * @throws IllegalArgumentException when the map does not have {@code grid * grid} values
     */
    public static float[] toPixels(float[] map, int grid, int patchSize) {
        if (map.length != grid * grid || patchSize < 1) {
            throw new IllegalArgumentException("a " + grid + "x" + grid + " map needs " + grid * grid
                    + " values and a positive patch size, got " + map.length + " values and patch " + patchSize);
        }
        int size = grid * patchSize;
        float[] pixels = new float[size * size];
        for (int y = 0; y < size; y++) {
            for (int x = 0; x < size; x++) {
                pixels[y * size + x] = map[(y / patchSize) * grid + x / patchSize];
            }
        }
        return pixels;
    }

    public int batchSize() {
        return target.length;
    }

    public boolean hasAllClasses() {
        return perClass != null;
    }

    /** The first non-finite value, as "sample b, patch i = v", or {@code null} if all are finite. */
    public String firstNonFinite() {
        for (int b = 0; b < target.length; b++) {
            for (int i = 0; i < target[b].length; i++) {
                if (!Float.isFinite(target[b][i])) {
                    return "sample " + b + ", patch " + i + " = " + target[b][i];
                }
            }
        }
        if (perClass != null) {
            for (int b = 0; b < perClass.length; b++) {
                for (int k = 0; k < perClass[b].length; k++) {
                    for (int i = 0; i < perClass[b][k].length; i++) {
                        if (!Float.isFinite(perClass[b][k][i])) {
                            return "sample " + b + ", class " + k + ", patch " + i + " = " + perClass[b][k][i];
                        }
                    }
                }
            }
        }
        return null;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Heatmaps h && grid == h.grid && Arrays.deepEquals(target, h.target)
                && Arrays.deepEquals(perClass, h.perClass);
    }

    @Override
    public int hashCode() {
        return 31 * grid + Arrays.deepHashCode(target);
    }

    @Override
    public String toString() {
        return "Heatmaps[" + target.length + " x " + grid + "x" + grid + (perClass == null ? "" : ", all classes") + "]";
    }
}
