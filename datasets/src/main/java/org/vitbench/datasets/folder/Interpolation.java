package org.vitbench.datasets.folder;

import java.util.Locale;
import org.vitbench.api.ConfigurationException;

/**
 * Resampling filters, with the kernels and supports of PIL's {@code Image.resize} (Pillow's
 * {@code libImaging/Resample.c}), which torchvision's {@code Resize} uses for PIL images and timm's
 * evaluation transform therefore applies.
 */
public enum Interpolation {

    /** The triangle filter {@code max(0, 1 - |x|)}, support 1. */
    BILINEAR(1.0) {
        @Override
        double weight(double x) {
            double a = Math.abs(x);
            return a < 1.0 ? 1.0 - a : 0.0;
        }
    },

    /** Keys' cubic convolution with {@code a = -0.5}, support 2. */
    BICUBIC(2.0) {
        @Override
        double weight(double x) {
            double a = -0.5;
            double t = Math.abs(x);
            if (t < 1.0) {
                return ((a + 2.0) * t - (a + 3.0)) * t * t + 1.0;
            }
            if (t < 2.0) {
                return (((t - 5.0) * t + 8.0) * t - 4.0) * a;
            }
            return 0.0;
        }
    };

    private final double support;

    Interpolation(double support) {
        this.support = support;
    }

    /** Half-width of the kernel at scale 1, in input pixels. */
    double support() {
        return support;
    }

    /** The kernel's value at distance {@code x} (in input pixels at scale 1). */
    abstract double weight(double x);

    /** The parameter value, {@code bilinear} or {@code bicubic}. */
    public String id() {
        return name().toLowerCase(Locale.ROOT);
    }

    /**
     * Parses {@code bilinear} or {@code bicubic}.
     *
     * @throws ConfigurationException for anything else
     */
    public static Interpolation parse(String text) {
        for (Interpolation value : values()) {
            if (value.id().equals(text)) {
                return value;
            }
        }
        throw new ConfigurationException("unknown interpolation '" + text + "'; allowed: bilinear, bicubic");
    }
}
