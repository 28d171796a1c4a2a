/**
 * Attention-based explanation methods: maps read from, or propagated through, the attention
 * probabilities of a traced forward pass ({@link org.vitbench.api.TraceOptions#withAttention}).
 * They need no gradients and are class-agnostic.
 */
package org.vitbench.methods.attention;
