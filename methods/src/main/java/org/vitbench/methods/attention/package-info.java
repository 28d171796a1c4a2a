/**
 * Attention-based explanation methods: maps read from, or propagated through, the attention
 * probabilities of a traced forward pass ({@link org.vitbench.api.TraceOptions#withAttention}).
 * Raw attention and rollout need no gradients and are class-agnostic; generic attention (GAE),
 * transformer attribution and LeGrad weight the attention of each block by its gradient for the
 * target class, and share the relevance rollout of {@code RelevanceRollout}.
 */
package org.vitbench.methods.attention;
