package org.vitbench.datasets.canvas;

/**
 * How {@code fashion-mnist-canvas} composes its samples.
 *
 * @param size canvas height and width in pixels, at least {@value #MIN_SIZE} (one item) and at
 *     most {@value #MAX_SIZE}; default {@value #DEFAULT_SIZE}
 * @param seed the generation seed, 0 or more; default 0
 * @param distractors distractors per sample, 0 to {@value #MAX_DISTRACTORS}; default
 *     {@value #DEFAULT_DISTRACTORS}
 */
public record CanvasOptions(int size, long seed, int distractors) {

    /** The smallest canvas: a Fashion-MNIST item fills it. */
    public static final int MIN_SIZE = 28;
    /** The largest canvas accepted. */
    public static final int MAX_SIZE = 1024;
    /** Canvas side unless configured: twice an item, so the item covers a quarter of it. */
    public static final int DEFAULT_SIZE = 56;
    /** The most distractors per sample. */
    public static final int MAX_DISTRACTORS = 3;
    /** Distractors per sample unless configured. */
    public static final int DEFAULT_DISTRACTORS = 2;

    /** The defaults: 56 px, seed 0, 2 distractors. */
    public static final CanvasOptions DEFAULTS = new CanvasOptions(DEFAULT_SIZE, 0, DEFAULT_DISTRACTORS);

    public CanvasOptions {
        if (size < MIN_SIZE || size > MAX_SIZE) {
            throw new IllegalArgumentException("canvas size must be " + MIN_SIZE + " to " + MAX_SIZE + ", got " + size);
        }
        if (seed < 0) {
            throw new IllegalArgumentException("seed must not be negative, got " + seed);
        }
        if (distractors < 0 || distractors > MAX_DISTRACTORS) {
            throw new IllegalArgumentException(
                    "distractors must be 0 to " + MAX_DISTRACTORS + ", got " + distractors);
        }
    }

    public CanvasOptions withSize(int newSize) {
        return new CanvasOptions(newSize, seed, distractors);
    }

    public CanvasOptions withSeed(long newSeed) {
        return new CanvasOptions(size, newSeed, distractors);
    }

    public CanvasOptions withDistractors(int newDistractors) {
        return new CanvasOptions(size, seed, newDistractors);
    }
}
