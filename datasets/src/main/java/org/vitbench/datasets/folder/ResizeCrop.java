package org.vitbench.datasets.folder;

import org.vitbench.api.Image;

/**
 * timm's evaluation transform without normalisation: resize so that the shorter side equals
 * {@code size}, then crop the centre {@code size x size}.
 *
 * <p>The sizes follow torchvision: the longer side becomes {@code floor(size * long / short)}; the
 * crop starts at {@code round((resized - size) / 2)} with round-half-to-even, as Python's
 * {@code round}. (timm's {@code crop_pct} is left out: resize to exactly {@code size}, crop nothing
 * from a square image.) Resampling is PIL's separable convolution (Pillow {@code Resample.c}): for
 * output pixel {@code i} of a scale {@code s = in / out} the kernel is centred on input coordinate
 * {@code (i + 0.5) * s} and, when downscaling, widened by {@code s}, which antialiases; weights are
 * normalised to sum 1, rows are resampled before columns. Unlike PIL, which rounds to 8 bits after
 * each pass, this computes in double precision and rounds once to float, so values can differ from
 * PIL's by up to about 1/255. Results are clamped to [0, 1] (bicubic overshoots). At scale 1 the
 * kernels are exactly {@code [.., 0, 1, 0, ..]}, so an image already {@code size x size} keeps its
 * values exactly. Stateless and thread-safe.
 */
public final class ResizeCrop {

    private ResizeCrop() {
    }

    /**
     * The size after the shorter-side resize, {@code {height, width}}.
     *
     * @param size the target length of the shorter side, positive
     */
    public static int[] resizedSize(int height, int width, int size) {
        if (width <= height) {
            return new int[] {(int) ((double) size * height / width), size};
        }
        return new int[] {size, (int) ((double) size * width / height)};
    }

    /**
     * Resizes the shorter side of {@code image} to {@code size} and crops the centre.
     *
     * @return a new {@code channels x size x size} image
     */
    public static Image apply(Image image, int size, Interpolation interpolation) {
        int c = image.channels();
        int h = image.height();
        int w = image.width();
        int[] resized = resizedSize(h, w, size);
        int top = (int) Math.rint((resized[0] - size) / 2.0);
        int left = (int) Math.rint((resized[1] - size) / 2.0);
        Kernels rows = Kernels.of(h, resized[0], top, size, interpolation);
        Kernels cols = Kernels.of(w, resized[1], left, size, interpolation);
        float[] in = image.pixels();

        // [C, H, W] -> [C, H, size]: resample each row.
        double[] wide = new double[c * h * size];
        for (int ch = 0; ch < c; ch++) {
            for (int y = 0; y < h; y++) {
                int row = (ch * h + y) * w;
                for (int x = 0; x < size; x++) {
                    double sum = 0.0;
                    double[] k = cols.weights[x];
                    for (int j = 0; j < k.length; j++) {
                        sum += k[j] * in[row + cols.start[x] + j];
                    }
                    wide[(ch * h + y) * size + x] = sum;
                }
            }
        }
        // [C, H, size] -> [C, size, size]: resample each column.
        float[] out = new float[c * size * size];
        for (int ch = 0; ch < c; ch++) {
            for (int y = 0; y < size; y++) {
                double[] k = rows.weights[y];
                for (int x = 0; x < size; x++) {
                    double sum = 0.0;
                    for (int j = 0; j < k.length; j++) {
                        sum += k[j] * wide[(ch * h + rows.start[y] + j) * size + x];
                    }
                    out[(ch * size + y) * size + x] = (float) Math.min(1.0, Math.max(0.0, sum));
                }
            }
        }
        return new Image(c, size, size, out);
    }

    /** Normalised kernels of the output pixels {@code offset .. offset + count - 1} of one axis. */
    private static final class Kernels {

        final int[] start;
        final double[][] weights;

        private Kernels(int[] start, double[][] weights) {
            this.start = start;
            this.weights = weights;
        }

        // Pillow's precompute_coeffs, restricted to the cropped outputs.
        static Kernels of(int inSize, int outSize, int offset, int count, Interpolation filter) {
            double scale = (double) inSize / outSize;
            double filterScale = Math.max(scale, 1.0);
            double support = filter.support() * filterScale;
            int[] start = new int[count];
            double[][] weights = new double[count][];
            for (int i = 0; i < count; i++) {
                double center = (offset + i + 0.5) * scale;
                int min = Math.max(0, (int) (center - support + 0.5));
                int max = Math.min(inSize, (int) (center + support + 0.5));
                double[] k = new double[max - min];
                double total = 0.0;
                for (int j = 0; j < k.length; j++) {
                    k[j] = filter.weight((min + j - center + 0.5) / filterScale);
                    total += k[j];
                }
                for (int j = 0; j < k.length; j++) {
                    k[j] = total == 0.0 ? 0.0 : k[j] / total;
                }
                start[i] = min;
                weights[i] = k;
            }
            return new Kernels(start, weights);
        }
    }
}
