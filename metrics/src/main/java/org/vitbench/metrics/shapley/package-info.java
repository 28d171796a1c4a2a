/**
 * Estimation metrics: how close a heatmap is to the Shapley values of the evaluation model's
 * output on patch subsets, the quantity ViT Shapley and KernelSHAP estimate. The ground truth is
 * computed once per sample by a long KernelSHAP run and shared by every method a metric instance
 * scores.
 */
package org.vitbench.metrics.shapley;
