package org.vitbench.datasets.canvas;

import java.util.SplittableRandom;

/**
 * The canvas background: faint stripes of random orientation, period and phase plus uniform
 * noise, all values in {@code [0, }{@value #MAX}{@code ]}, so that the background carries
 * texture a model might attend to but stays darker than every mask pixel.
 *
 * <p>Per pixel, {@code 0.1 + 0.05 sin(2 pi (y cos t + x sin t) / period + phase) + u}, with
 * {@code t} uniform in {@code [0, pi)}, {@code period} in {@code [4, 12)} px, {@code phase} in
 * {@code [0, 2 pi)} and {@code u} uniform in {@code [-0.05, 0.05)}, drawn in that order from the
 * given generator, then clamped to {@code [0, MAX]} against rounding.
 */
final class Texture {

    /** The brightest background value. */
    static final float MAX = 0.2f;

    private Texture() {
    }

    /** A new {@code [side * side]} row-major background drawn from {@code random}. */
    static float[] paint(int side, SplittableRandom random) {
        double angle = random.nextDouble(Math.PI);
        double period = random.nextDouble(4, 12);
        double phase = random.nextDouble(2 * Math.PI);
        double cy = StrictMath.cos(angle);
        double cx = StrictMath.sin(angle);
        float[] pixels = new float[side * side];
        for (int y = 0; y < side; y++) {
            for (int x = 0; x < side; x++) {
                // StrictMath: identical bits on every JVM and CPU, so a sample never changes.
                double stripe = 0.05 * StrictMath.sin(2 * Math.PI * (y * cy + x * cx) / period + phase);
                double noise = random.nextDouble(-0.05, 0.05);
                pixels[y * side + x] = (float) Math.min(MAX, Math.max(0.0, 0.1 + stripe + noise));
            }
        }
        return pixels;
    }
}
