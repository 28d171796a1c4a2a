/**
 * Statistics over per-sample scores, for reports a paper can cite: bootstrap confidence intervals
 * of means (seeded Commons RNG, so reports are reproducible), paired comparisons (Wilcoxon
 * signed-rank with its rank-biserial effect size, Holm's step-down correction), and comparisons
 * across metrics or datasets (Friedman and Iman-Davenport tests, average ranks, the Nemenyi
 * critical difference, Kendall's W). Each is tested against independently computed values whose
 * provenance the tests name.
 */
package org.vitbench.metrics.statistics;
