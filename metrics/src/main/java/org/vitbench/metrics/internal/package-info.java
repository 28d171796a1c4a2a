/**
 * Small helpers shared by metrics and not part of vitbench's API: ranking heatmaps with seeded
 * random tie-breaking and areas under curves. Written once so that every metric orders patches and
 * integrates curves the same way.
 */
package org.vitbench.metrics.internal;
