/**
 * Relevance-propagation methods: relevance of the target logit passed back to the input through a
 * modified backward pass, computed as gradient × input with the model's trace switches
 * ({@link org.vitbench.api.TraceOptions#detachSoftmax}, LayerNorm, GELU and attention rules). They
 * need gradients and give signed target-class maps.
 */
package org.vitbench.methods.propagation;
