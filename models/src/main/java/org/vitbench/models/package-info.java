/**
 * The Vision Transformer of vitbench, written as a functional forward over DJL NDArrays with
 * timm's parameter names and semantics, so that explainers can reach attention probabilities,
 * token states and gradient taps that DJL's blocks do not expose; plus checkpoints and model
 * providers.
 */
package org.vitbench.models;
