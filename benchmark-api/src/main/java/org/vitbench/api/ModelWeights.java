package org.vitbench.api;

import ai.djl.ndarray.NDArray;
import java.util.Map;

/**
 * A model capability: read-only access to the weights, for methods that propagate relevance
 * through them (Chefer et al.'s rules, CDAM's concept direction) and for identifying a model by its
 * weights. A method that needs it declares {@link Requirement#WEIGHTS} and asks
 * {@code model.capability(ModelWeights.class)}; the runner skips the pair up front on a model
 * without it.
 */
public interface ModelWeights {

    /**
     * The weights by name (timm's names for a ViT: {@code blocks.0.attn.qkv.weight}, ...), sorted.
     * Read-only: callers neither change nor close them.
     */
    Map<String, NDArray> weights();

    /** The epsilon of the model's LayerNorms. */
    double layerNormEps();

    /**
     * The first 16 hex digits of SHA-256 over the weights' names, shapes and values: equal weights,
     * equal fingerprint.
     */
    String fingerprint();
}
