/**
 * Statistics over per-sample scores: bootstrap confidence intervals of means, computed with
 * seeded Commons RNG generators so that reports are reproducible.
 */
package org.vitbench.metrics.statistics;
