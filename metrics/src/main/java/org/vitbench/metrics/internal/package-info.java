/**
 * Small helpers shared by metrics and not part of vitbench's API: ranking heatmaps with seeded
 * random tie-breaking, areas under curves, Pearson and Spearman correlations, input checks, and the
 * thread-safe cache of subset evaluations that lets every method share one set of model calls per
 * sample. Written once so that every metric orders patches, integrates curves and correlates the
 * same way.
 */
package org.vitbench.metrics.internal;
