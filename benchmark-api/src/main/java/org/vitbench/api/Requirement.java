package org.vitbench.api;

/** What a method or metric needs from the model, the dataset or the run. */
public enum Requirement {
    /** Attention probabilities from a traced forward. */
    ATTENTION,
    /** Gradients through the model. */
    GRADIENTS,
    /** Evaluation on subsets of patches. */
    MASKING,
    /** Ground-truth localisation masks in the dataset. */
    GROUND_TRUTH_MASK,
    /** A trained artifact beside the model (for example a ViT Shapley explainer). */
    TRAINED_ARTIFACT,
    /** Per-class heatmaps (metric side): the method must explain all classes. */
    ALL_CLASSES,
    /**
     * Metric side: the metric explains again with the method on randomised copies of the model
     * (the model's {@link Randomisable} capability), which a method tied to a
     * {@link #TRAINED_ARTIFACT} of the original model cannot do; the runner skips such pairs, and
     * every pair on a model without the capability, with the reason.
     */
    RANDOMISED_MODELS,
    /**
     * The model's {@link ModelWeights} capability: read-only weights. The runner skips the pair,
     * with that reason, on a model without it.
     */
    WEIGHTS,
    /**
     * Metric side: the metric explains every sample again, several times (a sanity check on
     * randomised models, timed repeats), so it costs a multiple of each method's own time. The
     * default run leaves such metrics out; name them to run them.
     */
    REEXPLAINS,
    /**
     * The plain token layout ({@link ModelInfo#plainLayout()}): the method reads traced internals
     * or weights as a plain ViT lays them out (token 0 the class token read by the head, patch i at
     * token i + 1, no layer scale). The runner skips it, with that reason, on other layouts.
     */
    PLAIN_LAYOUT
}
