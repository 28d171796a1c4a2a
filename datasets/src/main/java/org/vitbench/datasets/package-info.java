/**
 * The datasets of vitbench, registered as {@link org.vitbench.api.DatasetProvider}s.
 *
 * <ul>
 *   <li>{@code fashion-mnist}: the full Fashion-MNIST train or test split from IDX files
 *       ({@link org.vitbench.datasets.fashionmnist});
 *   <li>{@code fashion-mnist-canvas}: Fashion-MNIST items placed at random on a larger textured
 *       canvas with distractors, with the item's pixels as ground-truth mask for localisation
 *       metrics ({@link org.vitbench.datasets.canvas});
 *   <li>{@code fashion-mnist-embedded}: a class-balanced 1,000-image subset of the Fashion-MNIST
 *       test split shipped inside this jar, so a run works on a fresh machine
 *       ({@link org.vitbench.datasets.embedded});
 *   <li>{@code image-folder}: one sub-folder of PNG or JPEG images per class, resized and centre
 *       cropped as timm evaluates ({@link org.vitbench.datasets.folder}).
 * </ul>
 *
 * <p>The IDX file format they share is read and written by {@link org.vitbench.datasets.idx}.
 */
package org.vitbench.datasets;
