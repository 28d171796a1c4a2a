package org.vitbench.api;

import java.util.Arrays;

/**
 * How a model normalises its [0, 1] input, per channel: {@code (x - mean[c]) / std[c]}. It travels
 * with the checkpoint (timm's {@code pretrained_cfg} holds the same fields).
 *
 * @param mean per-channel mean
 * @param std per-channel standard deviation, all positive
 * @param interpolation how images of another size are resized ({@code bilinear} or
 *     {@code bicubic}, as in timm)
 */
public record Preprocessing(float[] mean, float[] std, String interpolation) {

    public Preprocessing {
        if (mean.length != std.length || mean.length == 0) {
            throw new IllegalArgumentException("mean and std need one value per channel, got "
                    + mean.length + " and " + std.length);
        }
        for (float s : std) {
            if (!(s > 0)) {
                throw new IllegalArgumentException("std values must be positive, got " + Arrays.toString(std));
            }
        }
        mean = mean.clone();
        std = std.clone();
    }

    @Override
    public float[] mean() {
        return mean.clone();
    }

    @Override
    public float[] std() {
        return std.clone();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Preprocessing p && Arrays.equals(mean, p.mean) && Arrays.equals(std, p.std)
                && interpolation.equals(p.interpolation);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(mean) * 31 + Arrays.hashCode(std) + interpolation.hashCode();
    }

    @Override
    public String toString() {
        return "Preprocessing[mean=" + Arrays.toString(mean) + ", std=" + Arrays.toString(std)
                + ", " + interpolation + "]";
    }
}
