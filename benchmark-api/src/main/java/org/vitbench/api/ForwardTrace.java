package org.vitbench.api;

import ai.djl.ndarray.NDArray;
import java.util.List;

/**
 * The tensors of one traced forward pass. Lists are indexed by block (0 .. depth-1) and are empty
 * when the corresponding {@link TraceOptions} flag was off. Token index 0 is CLS; token
 * {@code 1 + r * grid + c} is patch (r, c).
 *
 * @param input the input image {@code [B, C, S, S]} in [0, 1]; a gradient leaf when requested
 * @param tokens token states entering each block, {@code [B, N, D]}; entry {@code depth} is the
 *     last block's output (before the final norm)
 * @param norm1 LayerNorm-1 outputs per block {@code [B, N, D]} (with the tap added, if any)
 * @param attention attention probabilities per block {@code [B, H, N, N]}, rows are queries
 * @param attentionTaps zero leaves added to the attention probabilities
 * @param norm1Taps zero leaves added to the LayerNorm-1 outputs
 * @param logits {@code [B, K]} pre-softmax logits
 * @param readouts per block l, {@code [B, K]} pre-softmax logits of the block's own output read
 *     by the model's final norm and head: {@code head(norm(pool(z_out^l)))}, with
 *     {@code [B, N, D] -> [B, D]} pooling as {@link TraceOptions#readout()} says; part of the
 *     traced graph, so they are differentiable with respect to that block's (and earlier blocks')
 *     taps. Empty for {@link TraceOptions.Readout#NONE}.
 */
public record ForwardTrace(NDArray input, List<NDArray> tokens, List<NDArray> norm1,
        List<NDArray> attention, List<NDArray> attentionTaps, List<NDArray> norm1Taps, NDArray logits,
        List<NDArray> readouts) {

    public ForwardTrace {
        tokens = List.copyOf(tokens);
        norm1 = List.copyOf(norm1);
        attention = List.copyOf(attention);
        attentionTaps = List.copyOf(attentionTaps);
        norm1Taps = List.copyOf(norm1Taps);
        readouts = List.copyOf(readouts);
    }

    /** A trace without per-block readouts, for models that do not support them. */
    public ForwardTrace(NDArray input, List<NDArray> tokens, List<NDArray> norm1, List<NDArray> attention,
            List<NDArray> attentionTaps, List<NDArray> norm1Taps, NDArray logits) {
        this(input, tokens, norm1, attention, attentionTaps, norm1Taps, logits, List.of());
    }
}
