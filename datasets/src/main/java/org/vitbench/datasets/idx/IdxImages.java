package org.vitbench.datasets.idx;

import org.vitbench.api.Image;

/**
 * The contents of an IDX image file, kept as raw unsigned bytes (one byte per pixel, so the
 * 60,000 Fashion-MNIST training images take 47 MB rather than 188 MB as floats).
 *
 * @param source the file or resource it was read from, for error messages
 * @param count number of images
 * @param rows image height
 * @param cols image width
 * @param pixels {@code [count, rows, cols]} row-major unsigned bytes; not copied
 */
public record IdxImages(String source, int count, int rows, int cols, byte[] pixels) {

    private static final float[] UNIT = new float[256];

    static {
        for (int v = 0; v < 256; v++) {
            UNIT[v] = v / 255f;
        }
    }

    public IdxImages {
        if ((long) count * rows * cols != pixels.length) {
            throw new IllegalArgumentException(count + " images of " + rows + "x" + cols + " need "
                    + (long) count * rows * cols + " bytes, got " + pixels.length);
        }
    }

    /** The unsigned value, 0 to 255, of pixel (y, x) of image {@code index}. */
    public int pixel(int index, int y, int x) {
        return pixels[(index * rows + y) * cols + x] & 0xff;
    }

    /** Image {@code index} as a new {@code 1 x rows x cols} {@link Image} with values {@code pixel / 255f}. */
    public Image image(int index) {
        int n = rows * cols;
        int offset = index * n;
        float[] values = new float[n];
        for (int i = 0; i < n; i++) {
            values[i] = UNIT[pixels[offset + i] & 0xff];
        }
        return new Image(1, rows, cols, values);
    }
}
