package org.vitbench.api;

import java.util.Arrays;
import java.util.Objects;

/**
 * How a model's library prepares an image at evaluation: resize and crop to the input size, then
 * normalise the [0, 1] values per channel, {@code (x - mean[c]) / std[c]}. It travels with the
 * checkpoint (timm's {@code pretrained_cfg}, Hugging Face's {@code preprocessor_config.json}).
 *
 * @param mean per-channel mean
 * @param std per-channel standard deviation, all positive
 * @param interpolation how images of another size are resized ({@code bilinear} or
 *     {@code bicubic}, PIL's filters as timm and Hugging Face use them)
 * @param cropPct the share of the resized image the centre crop keeps, in (0, 1]: an image is
 *     resized to {@code floor(size / cropPct)} and its centre {@code size x size} cropped (timm's
 *     {@code crop_pct}; 1 crops only what the aspect ratio leaves over)
 * @param resize which sides the resize sets
 */
public record Preprocessing(float[] mean, float[] std, String interpolation, double cropPct, Resize resize) {

    /** Which sides the resize before the centre crop sets. */
    public enum Resize {
        /** The shorter side, keeping the aspect ratio (timm {@code crop_mode='center'}, torchvision {@code Resize(int)}). */
        SHORTER_SIDE,
        /** Both sides, ignoring the aspect ratio (timm {@code crop_mode='squash'}, Hugging Face's processors). */
        SQUASH
    }

    /** A resize of the shorter side to the input size and a centre crop of the rest. */
    public Preprocessing(float[] mean, float[] std, String interpolation) {
        this(mean, std, interpolation, 1.0, Resize.SHORTER_SIDE);
    }

    /** The resize interpolations vitbench implements. */
    public static final java.util.Set<String> INTERPOLATIONS = java.util.Set.of("bilinear", "bicubic");

    public Preprocessing {
        if (!INTERPOLATIONS.contains(interpolation)) {
            throw new IllegalArgumentException("unknown interpolation '" + interpolation + "'; allowed: "
                    + String.join(", ", new java.util.TreeSet<>(INTERPOLATIONS)));
        }
        if (mean.length != std.length || mean.length == 0) {
            throw new IllegalArgumentException("mean and std need one value per channel, got "
                    + mean.length + " and " + std.length);
        }
        for (float s : std) {
            if (!(s > 0)) {
                throw new IllegalArgumentException("std values must be positive, got " + Arrays.toString(std));
            }
        }
        if (!(cropPct > 0 && cropPct <= 1)) {
            throw new IllegalArgumentException("crop share must be in (0, 1], got " + cropPct);
        }
        Objects.requireNonNull(resize, "resize");
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
                && interpolation.equals(p.interpolation) && cropPct == p.cropPct && resize == p.resize;
    }

    @Override
    public int hashCode() {
        return Objects.hash(Arrays.hashCode(mean), Arrays.hashCode(std), interpolation, cropPct, resize);
    }

    @Override
    public String toString() {
        return "Preprocessing[mean=" + Arrays.toString(mean) + ", std=" + Arrays.toString(std)
                + ", " + interpolation + ", crop " + cropPct + ", " + resize + "]";
    }
}
