/**
 * Complexity metrics: how concentrated a heatmap is, read from the map alone without any model
 * call. They are computed on the native patch grid ({@code P} values), because an upsampled map
 * gets a very different value at pixel resolution. They measure a property of the explanation,
 * not its faithfulness: a one-hot map is maximally sparse whether or not it is right.
 */
package org.vitbench.metrics.complexity;
