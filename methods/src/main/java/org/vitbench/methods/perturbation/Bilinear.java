package org.vitbench.methods.perturbation;

/**
 * Bilinear resizing of a square map from {@code from x from} to {@code to x to} samples, with
 * half-pixel centres and clamp-to-edge, as RISE's masks are upsampled (skimage {@code resize} with
 * {@code order=1, mode="reflect"}, no anti-aliasing; blackbox brief, section 5.1).
 *
 * <p>Output sample {@code x} reads source coordinate {@code u = (x + 0.5) * from / to - 0.5},
 * clamped to {@code [0, from - 1]}, and mixes cells {@code floor(u)} and {@code floor(u) + 1} with
 * weights {@code 1 - t} and {@code t}, {@code t = u - floor(u)}. Clamping equals skimage's
 * half-sample reflection here, because a reflected neighbour of an edge cell is the edge cell
 * itself. Rows and columns use the same weights, so a value is a convex combination of at most four
 * cells and stays within their range. Instances are immutable and thread-safe.
 */
final class Bilinear {

    private final int from;
    private final int to;
    private final int[] lower;
    private final int[] upper;
    private final double[] fraction;

    /**
     * @param from source cells per side, at least 1
     * @param to output samples per side, at least 1
     */
    Bilinear(int from, int to) {
        if (from < 1 || to < 1) {
            throw new IllegalArgumentException("bilinear resize needs sizes of at least 1, got " + from + " -> " + to);
        }
        this.from = from;
        this.to = to;
        lower = new int[to];
        upper = new int[to];
        fraction = new double[to];
        for (int x = 0; x < to; x++) {
            double u = Math.min(from - 1, Math.max(0.0, (x + 0.5) * from / to - 0.5));
            lower[x] = (int) Math.floor(u);
            upper[x] = Math.min(lower[x] + 1, from - 1);
            fraction[x] = u - lower[x];
        }
    }

    /**
     * The whole resized map.
     *
     * @param cells {@code [from * from]}, row-major
     * @return {@code [to * to]}, row-major
     */
    double[] resize(double[] cells) {
        return window(cells, 0, 0, to);
    }

    /**
     * A {@code size x size} crop of the resized map whose top-left sample is {@code (top, left)},
     * computed without the rest of the map.
     *
     * @param cells {@code [from * from]}, row-major
     * @return {@code [size * size]}, row-major
     * @throws IllegalArgumentException when the crop leaves the {@code to x to} map
     */
    double[] window(double[] cells, int top, int left, int size) {
        if (cells.length != from * from) {
            throw new IllegalArgumentException(cells.length + " cells given for a " + from + " x " + from + " grid");
        }
        if (top < 0 || left < 0 || top + size > to || left + size > to) {
            throw new IllegalArgumentException("crop of " + size + " at (" + top + ", " + left
                    + ") leaves the " + to + " x " + to + " map");
        }
        // Columns first: [from, from] -> [from, size]
        double[] rows = new double[from * size];
        for (int r = 0; r < from; r++) {
            for (int x = 0; x < size; x++) {
                int c = left + x;
                double t = fraction[c];
                rows[r * size + x] = (1 - t) * cells[r * from + lower[c]] + t * cells[r * from + upper[c]];
            }
        }
        // Then rows: [from, size] -> [size, size]
        double[] out = new double[size * size];
        for (int y = 0; y < size; y++) {
            int r = top + y;
            double t = fraction[r];
            int a = lower[r] * size;
            int b = upper[r] * size;
            for (int x = 0; x < size; x++) {
                out[y * size + x] = (1 - t) * rows[a + x] + t * rows[b + x];
            }
        }
        return out;
    }
}
