package org.vitbench.api;

import ai.djl.ndarray.NDManager;

/**
 * What a method or metric gets for one batch.
 *
 * @param model the model to explain, or for a metric the evaluation model (for the ViT Shapley
 *     protocol, the surrogate)
 * @param seed the run seed; derive per-sample generators with {@link Seeds#of}
 * @param manager a scope for this batch; the caller closes it. Implementations return plain arrays
 *     and should leave no arrays attached to it (the contract test checks this)
 * @param progress receives progress of long calls
 */
public record Context(VitModel model, long seed, NDManager manager, Progress progress) {

    public Context(VitModel model, long seed, NDManager manager) {
        this(model, seed, manager, Progress.NONE);
    }
}
