/**
 * JMH micro-benchmarks of the vitbench hot paths: a model's forward pass
 * ({@link org.vitbench.benchmarks.ForwardBenchmark}) and masked evaluation of patch subsets
 * ({@link org.vitbench.benchmarks.MaskedEvaluationBenchmark}), which dominates the cost of
 * perturbation methods (KernelSHAP, Shapley sampling) and of the Deletion metric, on the embedded
 * model or a random-weight timm ViT at 224 px; {@code benchmarks/peer} compares them with PyTorch
 * eager.
 *
 * <p>Built only with the Maven profile {@code benchmarks}; see {@code benchmarks/README.md}.
 */
package org.vitbench.benchmarks;
