/**
 * Localisation metrics: does a heatmap put its relevance on the object that the target label
 * names? Each compares the target-class map with the sample's ground-truth mask
 * ({@link org.vitbench.api.Sample#mask()}) and so requires
 * {@link org.vitbench.api.Requirement#GROUND_TRUTH_MASK}, for example the {@code fashion-mnist-canvas}
 * dataset. Maps are compared at pixel resolution after nearest-neighbour upsampling of the patch
 * grid ({@link org.vitbench.api.Heatmaps#toPixels}), so a patch counts in proportion to the mask
 * pixels it covers. No model calls.
 */
package org.vitbench.metrics.localisation;
