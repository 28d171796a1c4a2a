/**
 * The evaluation subset shipped inside the datasets jar, so that {@code vitbench run} works on a
 * fresh machine (DESIGN decision 9): 1,000 Fashion-MNIST test images, the first 100 of each class
 * in test-set order, stored class-interleaved so that every prefix is balanced.
 *
 * <p>{@link org.vitbench.datasets.embedded.EmbeddedSubsetProvider} ({@code fashion-mnist-embedded})
 * serves it with the sample ids of the full test split; {@link
 * org.vitbench.datasets.embedded.EmbeddedSubset} reads the resources; {@link
 * org.vitbench.datasets.embedded.EmbeddedSubsetGenerator} produced them from Debian's
 * {@code dataset-fashion-mnist} and recorded how in {@code provenance.json} beside them.
 */
package org.vitbench.datasets.embedded;
