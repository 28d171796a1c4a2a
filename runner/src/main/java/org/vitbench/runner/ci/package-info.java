/**
 * The CI regression gate: a baseline of reference scores with tolerances, and the comparison of
 * a run against it.
 */
package org.vitbench.runner.ci;
