/**
 * Reference baselines that every method should beat, such as random maps. They carry no
 * information about the model and set the floor of every metric.
 */
package org.vitbench.methods.baseline;
