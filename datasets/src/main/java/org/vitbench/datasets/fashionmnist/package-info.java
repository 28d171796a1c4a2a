/**
 * Fashion-MNIST (Xiao, Rasul, Vollgraf, 2017, arXiv:1708.07747): 70,000 grey 28 x 28 images of
 * clothing in 10 classes, 60,000 for training and 10,000 for testing, distributed as gzip IDX files.
 *
 * <p>{@link org.vitbench.datasets.fashionmnist.FashionMnistProvider} ({@code fashion-mnist}) opens a
 * split from a directory given as {@code dir}, from {@code $VITBENCH_DATA}, or from Debian's package
 * {@code dataset-fashion-mnist}; {@link org.vitbench.datasets.fashionmnist.FashionMnistFiles} is that
 * search. {@link org.vitbench.datasets.fashionmnist.FashionMnist} holds what every Fashion-MNIST
 * dataset shares: class names, image size and sample ids.
 */
package org.vitbench.datasets.fashionmnist;
