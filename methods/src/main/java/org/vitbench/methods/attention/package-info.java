/**
 * Attention-based explanation methods: maps read from, or propagated through, the attention
 * probabilities of a traced forward pass ({@link org.vitbench.api.TraceOptions#withAttention}).
 * Raw attention and rollout need no gradients and are class-agnostic. Generic attention (GAE) and
 * transformer attribution weight each block's attention by its gradient (or relevance) for the
 * target class and share the rollout of {@code RelevanceRollout}; LeGrad averages the positive
 * gradient of each chosen block's own readout with respect to that block's attention.
 */
package org.vitbench.methods.attention;
