package org.vitbench.methods.perturbation;

/**
 * Moves maps between a coarse cell grid, pixels and the model's patch grid, all row-major.
 *
 * <p>Nearest-neighbour upsampling uses half-pixel centres (TensorFlow 2's {@code resize(...,
 * "nearest")}, as xplique's Sobol and HSIC masks): pixel {@code x} reads cell
 * {@code floor((x + 0.5) * g / S)}. For an integer ratio {@code S / g} this is PyTorch's legacy
 * floor indexing too (blackbox brief, section 1.3). Patch values are pixel means, so a cell map
 * on a grid that does not divide the patch grid is area-weighted.
 */
final class Grids {

    private Grids() {
    }

    /**
     * Nearest-neighbour upsampling of a {@code g x g} cell map to {@code size x size} pixels.
     *
     * @param cells {@code [g * g]}
     * @return {@code [size * size]}
     */
    static float[] upsampleNearest(double[] cells, int g, int size) {
        int[] source = nearestSource(g, size);
        float[] pixels = new float[size * size];
        for (int y = 0; y < size; y++) {
            for (int x = 0; x < size; x++) {
                pixels[y * size + x] = (float) cells[source[y] * g + source[x]];
            }
        }
        return pixels;
    }

    /** The cell index that pixel row (or column) {@code x} of {@code size} reads on a grid of {@code g}. */
    static int[] nearestSource(int g, int size) {
        int[] source = new int[size];
        for (int x = 0; x < size; x++) {
            source[x] = Math.min(g - 1, (int) Math.floor((x + 0.5) * g / size));
        }
        return source;
    }

    /**
     * The mean of each {@code patch x patch} block of a pixel map.
     *
     * @param pixels {@code [size * size]}
     * @return {@code [(size / patch)^2]}
     */
    static double[] pixelsToPatches(float[] pixels, int size, int patch) {
        int grid = size / patch;
        double[] patches = new double[grid * grid];
        for (int y = 0; y < size; y++) {
            for (int x = 0; x < size; x++) {
                patches[(y / patch) * grid + x / patch] += pixels[y * size + x];
            }
        }
        double area = (double) patch * patch;
        for (int i = 0; i < patches.length; i++) {
            patches[i] /= area;
        }
        return patches;
    }

    /** A cell map on the patch grid: nearest upsampling to pixels, then patch means. */
    static double[] cellsToPatches(double[] cells, int g, int size, int patch) {
        if (g == size / patch) {
            return cells.clone();
        }
        return pixelsToPatches(upsampleNearest(cells, g, size), size, patch);
    }

    /**
     * A binary cell mask expanded to the patch grid, when the cell grid divides it.
     *
     * @param cells {@code [g * g]}
     * @param patchGrid patches per side, a multiple of {@code g}
     * @return {@code [patchGrid^2]}
     */
    static boolean[] cellsToPatchKeep(boolean[] cells, int g, int patchGrid) {
        int ratio = patchGrid / g;
        boolean[] keep = new boolean[patchGrid * patchGrid];
        for (int y = 0; y < patchGrid; y++) {
            for (int x = 0; x < patchGrid; x++) {
                keep[y * patchGrid + x] = cells[(y / ratio) * g + x / ratio];
            }
        }
        return keep;
    }

    /** Float copy of a double map. */
    static float[] toFloat(double[] values) {
        float[] out = new float[values.length];
        for (int i = 0; i < values.length; i++) {
            out[i] = (float) values[i];
        }
        return out;
    }
}
