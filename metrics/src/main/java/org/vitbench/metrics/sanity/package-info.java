/**
 * Sanity checks: does an explanation depend on what it claims to explain? They re-run the method
 * that produced the heatmaps on a changed model and compare the maps, so they need the method
 * itself ({@link org.vitbench.api.Context#explainedBy()}), not only its heatmaps. They measure a
 * necessary condition, not faithfulness: a map that changes when the model is destroyed may still
 * be wrong.
 */
package org.vitbench.metrics.sanity;
