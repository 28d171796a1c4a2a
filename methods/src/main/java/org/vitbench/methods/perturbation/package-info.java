/**
 * Perturbation (black-box) explanation methods: the model is evaluated on many versions of the image
 * with patches removed or pixels blended with a baseline, through the shared batched engine of
 * {@link org.vitbench.models.masking.MaskedEvaluator}, and the outputs are turned into per-patch
 * attributions for every class at once. KernelSHAP, Sobol, HSIC, RISE, LIME, occlusion,
 * leave-one-out and the token ablation map live here, with the small helpers they share (grids,
 * bilinear resizing, weighted ridge regression, presets). Randomised methods seed one generator
 * per image from (run seed, sample id, method id), so a map never depends on batching.
 */
package org.vitbench.methods.perturbation;
