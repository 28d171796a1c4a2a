/**
 * Activation-times-gradient methods at an internal layer of the ViT: GradCAM on tokens
 * ({@link org.vitbench.methods.cam.GradCam}), Chefer's GradCAM on attention heads
 * ({@link org.vitbench.methods.cam.AttentionGradCam}) and CDAM
 * ({@link org.vitbench.methods.cam.Cdam}). Each takes one traced forward with a zero-leaf gradient
 * tap ({@link org.vitbench.api.TraceOptions#withNorm1GradTaps},
 * {@link org.vitbench.api.TraceOptions#withAttentionGradTaps}) and one backward of the summed
 * target scores of the batch, then combines the tapped activation with its gradient. They are kept
 * apart from the pixel-gradient methods (saliency, Integrated Gradients, SmoothGrad), which
 * differentiate the input image instead of a layer.
 */
package org.vitbench.methods.cam;
