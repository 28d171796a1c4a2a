package org.vitbench.api;

import java.util.Arrays;

/**
 * An image as unnormalised floats in [0, 1], channel-major: {@code pixels[c * H * W + y * W + x]}.
 * Normalisation (mean, std) is the model's business and travels with its checkpoint.
 *
 * @param channels number of channels (1 for grey, 3 for RGB)
 * @param height height in pixels
 * @param width width in pixels
 * @param pixels {@code channels * height * width} values, not copied
 */
public record Image(int channels, int height, int width, float[] pixels) {

    public Image {
        if (channels <= 0 || height <= 0 || width <= 0) {
            throw new IllegalArgumentException(
                    "image dimensions must be positive, got " + channels + "x" + height + "x" + width);
        }
        if (pixels.length != channels * height * width) {
            throw new IllegalArgumentException("image of " + channels + "x" + height + "x" + width
                    + " needs " + channels * height * width + " values, got " + pixels.length);
        }
    }

    /** Number of values, {@code channels * height * width}. */
    public int size() {
        return pixels.length;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Image other && channels == other.channels && height == other.height
                && width == other.width && Arrays.equals(pixels, other.pixels);
    }

    @Override
    public int hashCode() {
        return 31 * (31 * (31 * channels + height) + width) + Arrays.hashCode(pixels);
    }

    @Override
    public String toString() {
        return "Image[" + channels + "x" + height + "x" + width + "]";
    }
}
