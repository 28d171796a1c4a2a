/**
 * Gradient explanation methods: maps built from the gradient of a target logit with respect to the
 * input pixels ({@link org.vitbench.api.TraceOptions#withInputGradient}), taken only through
 * {@link org.vitbench.api.Gradients#compute}.
 *
 * <p>{@link org.vitbench.methods.gradient.Saliency}, {@link org.vitbench.methods.gradient.GradientInput}
 * and {@link org.vitbench.methods.gradient.IntegratedGradients} produce a pixel attribution
 * {@code [B, C, S, S]}; {@link org.vitbench.methods.gradient.SmoothGrad} wraps any of them
 * (SmoothGrad, SmoothGrad², VarGrad). Pixel attributions are summed to the patch grid in one place
 * ({@code Aggregation}), as the ViT Shapley benchmark does (whitebox brief, section 3.11).
 */
package org.vitbench.methods.gradient;
