/**
 * Studies beside the benchmark: the estimation error of Shapley estimators against a long-run
 * ground truth, as in ViT Shapley's paper.
 */
package org.vitbench.runner.research;
