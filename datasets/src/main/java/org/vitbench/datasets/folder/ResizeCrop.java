package org.vitbench.datasets.folder;

import org.vitbench.api.Image;
import org.vitbench.api.Preprocessing;

/**
 * timm's and Hugging Face's evaluation transform without normalisation: resize to
 * {@code scale = floor(size / cropPct)} (the shorter side, keeping the aspect ratio, or both sides:
 * {@link Preprocessing.Resize}), then crop the centre {@code size x size}.
 *
 * <p>The sizes follow torchvision: the longer side becomes {@code floor(scale * long / short)}; the
 * crop starts at {@code round((resized - size) / 2)} with round-half-to-even, as Python's
 * {@code round}. Resampling is PIL's separable convolution (Pillow {@code Resample.c}): for
 * output pixel {@code i} of a scale {@code s = in / out} the kernel is centred on input coordinate
 * {@code (i + 0.5) * s} and, when downscaling, widened by {@code s}, which antialiases; weights are
 * normalised to sum 1, rows are resampled before columns. An 8-bit image (every value k / 255, as
 * PNG and JPEG decode) takes PIL's own 8-bit path: fixed-point weights, rounding to 8 bits after
 * each pass, so the result equals PIL's and torchvision's {@code ToTensor} of it; any other image is
 * resampled in double precision and rounded once to float. Results are clamped to [0, 1] (bicubic
 * overshoots). At scale 1 the
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
        return apply(image, size, interpolation, 1.0, Preprocessing.Resize.SHORTER_SIDE);
    }

    /**
     * Resizes {@code image} to {@code floor(size / cropPct)} as {@code resize} says and crops the
     * centre {@code size x size}, as timm's {@code transforms_factory} does at evaluation
     * ({@code crop_mode} center or squash) and, with crop share 1 and squash, Hugging Face's
     * {@code ViTImageProcessor}.
     *
     * @param cropPct the share of the resized image kept, in (0, 1]
     * @return a new {@code channels x size x size} image
     */
    public static Image apply(Image image, int size, Interpolation interpolation, double cropPct,
            Preprocessing.Resize resize) {
        int c = image.channels();
        int h = image.height();
        int w = image.width();
        int scale = cropPct == 1.0 ? size : (int) Math.floor(size / cropPct);
        int[] resized = resize == Preprocessing.Resize.SQUASH ? new int[] {scale, scale} : resizedSize(h, w, scale);
        int top = (int) Math.rint((resized[0] - size) / 2.0);
        int left = (int) Math.rint((resized[1] - size) / 2.0);
        Kernels rows = Kernels.of(h, resized[0], top, size, interpolation);
        Kernels cols = Kernels.of(w, resized[1], left, size, interpolation);
        float[] in = image.pixels();
        if (isEightBit(in)) {
            return eightBit(in, c, h, w, size, rows, cols);
        }

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

    /** Whether every value is {@code k / 255} for an integer k: an 8-bit image as PNG and JPEG decode. */
    static boolean isEightBit(float[] pixels) {
        for (float v : pixels) {
            double k = Math.rint(v * 255.0);
            if (k < 0 || k > 255 || (float) k / 255f != v) {
                return false;
            }
        }
        return true;
    }

    /** Pillow's fixed-point precision of 8-bit resampling ({@code PRECISION_BITS}). */
    private static final int PRECISION_BITS = 32 - 8 - 2;

    /**
     * Pillow's 8-bit path ({@code ImagingResampleHorizontal_8bpc}, then vertical): coefficients in
     * fixed point with 22 fractional bits, rounded half away from zero; each pass adds one half,
     * shifts and clips to 0..255, so the intermediate image is 8-bit as in PIL. The result is
     * {@code k / 255f}, as torchvision's {@code ToTensor} makes it.
     */
    private static Image eightBit(float[] in, int c, int h, int w, int size, Kernels rows, Kernels cols) {
        int[][] colK = cols.fixedPoint();
        int[][] rowK = rows.fixedPoint();
        int[] bytes = new int[in.length];
        for (int i = 0; i < in.length; i++) {
            bytes[i] = (int) Math.rint(in[i] * 255.0);
        }
        int[] wide = new int[c * h * size]; // [C, H, size], 8-bit
        for (int ch = 0; ch < c; ch++) {
            for (int y = 0; y < h; y++) {
                int row = (ch * h + y) * w;
                for (int x = 0; x < size; x++) {
                    int[] k = colK[x];
                    long ss = 1L << (PRECISION_BITS - 1);
                    for (int j = 0; j < k.length; j++) {
                        ss += (long) bytes[row + cols.start[x] + j] * k[j];
                    }
                    wide[(ch * h + y) * size + x] = clip8(ss);
                }
            }
        }
        float[] out = new float[c * size * size];
        for (int ch = 0; ch < c; ch++) {
            for (int y = 0; y < size; y++) {
                int[] k = rowK[y];
                for (int x = 0; x < size; x++) {
                    long ss = 1L << (PRECISION_BITS - 1);
                    for (int j = 0; j < k.length; j++) {
                        ss += (long) wide[(ch * h + rows.start[y] + j) * size + x] * k[j];
                    }
                    out[(ch * size + y) * size + x] = clip8(ss) / 255f;
                }
            }
        }
        return new Image(c, size, size, out);
    }

    /** Pillow's {@code clip8}: the fixed-point sum to 0..255. */
    private static int clip8(long ss) {
        if (ss >= (1L << PRECISION_BITS << 8)) {
            return 255;
        }
        return ss <= 0 ? 0 : (int) (ss >> PRECISION_BITS);
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
                    k[j] = filter.weight((min + j - center + 0.5) * (1.0 / filterScale)); // Pillow's ss
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

        /** Pillow's {@code normalize_coeffs_8bpc}: each weight times 2^22, rounded half away from zero. */
        int[][] fixedPoint() {
            int[][] out = new int[weights.length][];
            for (int i = 0; i < weights.length; i++) {
                out[i] = new int[weights[i].length];
                for (int j = 0; j < weights[i].length; j++) {
                    double v = weights[i][j] * (1 << PRECISION_BITS);
                    out[i][j] = (int) (v < 0 ? -0.5 + v : 0.5 + v);
                }
            }
            return out;
        }
    }
}
