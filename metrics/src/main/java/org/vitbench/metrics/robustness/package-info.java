/**
 * Robustness: how much an explanation changes when the input changes a little. These metrics
 * explain perturbed copies of every sample again, so they need the method itself
 * ({@link org.vitbench.api.Context#explainedBy()}) and cost many explanations per sample; they stay
 * out of the default run ({@link org.vitbench.api.Requirement#REEXPLAINS}).
 */
package org.vitbench.metrics.robustness;
