/**
 * JMH micro-benchmarks of the vitbench hot paths: the embedded model's forward pass
 * ({@link org.vitbench.benchmarks.ForwardBenchmark}) and masked evaluation of patch subsets
 * ({@link org.vitbench.benchmarks.MaskedEvaluationBenchmark}), which dominates the cost of
 * perturbation methods (KernelSHAP, Shapley sampling) and of the Deletion metric.
 *
 * <p>Built only with the Maven profile {@code benchmarks}; see {@code benchmarks/README.md}.
 */
package org.vitbench.benchmarks;
