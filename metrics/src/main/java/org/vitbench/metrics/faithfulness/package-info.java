/**
 * Faithfulness metrics: does removing the patches a heatmap ranks highest change the model's
 * output as much as the heatmap claims? Each metric evaluates the model on masked images through
 * {@link org.vitbench.api.VitModel#logits(ai.djl.ndarray.NDArray, ai.djl.ndarray.NDArray,
 * org.vitbench.api.Removal)} and follows a named protocol preset.
 */
package org.vitbench.metrics.faithfulness;
