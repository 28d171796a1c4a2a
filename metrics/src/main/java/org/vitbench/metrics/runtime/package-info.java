/**
 * Cost metrics: what an explanation costs to compute, measured by running the method that
 * produced the heatmaps again ({@link org.vitbench.api.Context#explainedBy()}). They say nothing
 * about quality; reports show them beside the quality scores so that a method's accuracy can be
 * weighed against its time. Their values depend on the machine, so they are compared within one
 * run, never across hardware.
 */
package org.vitbench.metrics.runtime;
