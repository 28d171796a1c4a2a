/**
 * One benchmark run: its config (YAML and defaults), the plan of units, the batch loop that
 * explains and scores, the heatmap cache and gallery, memory budgeting, shards, progress and the
 * run's provenance. Plug-ins are reached only through {@link org.vitbench.api.Registry}, never by
 * class.
 */
package org.vitbench.runner.run;
