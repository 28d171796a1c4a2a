/**
 * From stored records to what a report shows: per-cell statistics, ranks and curves, as the
 * report data that the {@code reports} module renders.
 */
package org.vitbench.runner.summary;
