/**
 * {@code fashion-mnist-canvas}: Fashion-MNIST items placed at a random position on a larger
 * textured canvas with distractors beside them, and a ground-truth mask of the item's own pixels,
 * so that localisation metrics (pointing game, relevance mass) can score heatmaps against the
 * object that the label names.
 *
 * <p>{@link org.vitbench.datasets.canvas.CanvasProvider} finds the Fashion-MNIST files as
 * {@code fashion-mnist} does; {@link org.vitbench.datasets.canvas.CanvasDataset} composes each
 * sample from (seed, split, index) alone; {@link org.vitbench.datasets.canvas.Texture} paints the
 * background.
 */
package org.vitbench.datasets.canvas;
