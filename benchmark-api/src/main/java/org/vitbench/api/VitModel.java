package org.vitbench.api;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import java.util.Optional;

/**
 * A Vision Transformer as methods and metrics see it.
 *
 * <p>Inputs are unnormalised images in [0, 1], {@code [B, C, S, S]} float32; the model applies its
 * own {@link Preprocessing}. Outputs are created on the manager of the input array, so the caller's
 * scope owns them. The weights are read-only: an implementation is safe for concurrent inference
 * from several threads, while gradient work is serialised by {@link Gradients}.
 */
public interface VitModel extends AutoCloseable {

    /** Architecture, classes and preprocessing. */
    ModelInfo info();

    /** The manager that owns the weights; new arrays for this model belong on its device. */
    NDManager manager();

    /**
     * Logits of the full images.
     *
     * @param images {@code [B, C, S, S]} in [0, 1]
     * @return {@code [B, K]} pre-softmax logits
     */
    NDArray logits(NDArray images);

    /**
     * Logits of the images with only the kept patches present.
     *
     * @param images {@code [B, C, S, S]} in [0, 1]
     * @param keep {@code [B, P]}, nonzero where the patch is kept; patches in row-major grid order
     * @param removal how held-out patches are removed
     * @return {@code [B, K]} pre-softmax logits
     */
    NDArray logits(NDArray images, NDArray keep, Removal removal);

    /**
     * A forward pass that exposes the internals named in {@code options}. For gradients, call it
     * inside {@link Gradients#compute}; the taps in the returned trace are leaves whose gradients
     * are filled by the collector's backward pass.
     *
     * @param images {@code [B, C, S, S]} in [0, 1]
     * @param options which tensors to keep and which propagation switches to turn on
     */
    ForwardTrace trace(NDArray images, TraceOptions options);

    /**
     * The capability {@code type} ({@link ModelWeights}, {@link Randomisable}, ...) of this model,
     * or empty when it does not offer it. Plug-ins reach what a model offers beyond this contract
     * only through here, never by casting to an engine's class.
     */
    default <C> Optional<C> capability(Class<C> type) {
        return type.isInstance(this) ? Optional.of(type.cast(this)) : Optional.empty();
    }

    @Override
    void close();
}
