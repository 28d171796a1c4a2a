/**
 * Evaluating a model on many patch subsets of one image: {@link
 * org.vitbench.models.masking.MaskedEvaluator}, the batched engine that every removal-based method
 * and metric (KernelSHAP, Sobol, HSIC, RISE, leave-one-out, insertion, deletion, sensitivity-n) goes
 * through, and {@link org.vitbench.models.masking.ExactShapley}, Shapley values by enumeration of all
 * coalitions, the oracle that sampled estimators are tested against; {@link
 * org.vitbench.models.masking.ShapleyRegression}, KernelSHAP with exact efficiency, the sampled
 * estimator; and {@link org.vitbench.models.masking.ShapleySampler}, subsets drawn from the Shapley
 * kernel.
 */
package org.vitbench.models.masking;
