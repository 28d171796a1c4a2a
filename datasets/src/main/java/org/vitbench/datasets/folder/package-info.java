/**
 * Image folders: one sub-folder of PNG or JPEG files per class, as torchvision's and timm's
 * {@code ImageFolder} read them, turned into square images of a model's input size with timm's
 * evaluation transform (resize the shorter side, then centre crop).
 *
 * <p>{@link org.vitbench.datasets.folder.ImageFolderProvider} ({@code image-folder}) is the entry
 * point; {@link org.vitbench.datasets.folder.ImageDecoder} turns a file into pixels the way PIL's
 * {@code convert} does, and {@link org.vitbench.datasets.folder.ResizeCrop} resamples them with PIL's
 * antialiased filters ({@link org.vitbench.datasets.folder.Interpolation}).
 */
package org.vitbench.datasets.folder;
