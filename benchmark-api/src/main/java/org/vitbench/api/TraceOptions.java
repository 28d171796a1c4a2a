package org.vitbench.api;

/**
 * What a {@link VitModel#trace} keeps, and how the backward pass propagates. The switches change
 * gradients only, never forward values (see the white-box methods brief, section 2.2).
 *
 * @param attention keep per-layer attention probabilities {@code [B, H, N, N]}
 * @param tokens keep per-layer token states and LayerNorm-1 outputs {@code [B, N, D]}
 * @param attentionGradTaps add a zero leaf to every layer's attention probabilities so that
 *     {@code tap.getGradient()} is the exact gradient with respect to them
 * @param norm1GradTaps add a zero leaf to every layer's LayerNorm-1 output (CDAM, token GradCAM)
 * @param inputGradient make the input image a leaf that requires gradients
 * @param detachSoftmax stop gradients through attention probabilities (CP-LRP "AH rule")
 * @param detachLayerNormStd stop gradients through LayerNorm's standard deviation (LN rule)
 * @param detachLayerNormMean also stop gradients through LayerNorm's mean
 * @param geluIdentity backward of GELU replaced by GELU(h) / h (AttnLRP identity rule)
 * @param attentionUniformSplit scale q and k gradients by 1/4 and v gradients by 1/2 (AttnLRP
 *     uniform rule); exclusive with {@code detachSoftmax}
 */
public record TraceOptions(boolean attention, boolean tokens, boolean attentionGradTaps,
        boolean norm1GradTaps, boolean inputGradient, boolean detachSoftmax,
        boolean detachLayerNormStd, boolean detachLayerNormMean, boolean geluIdentity,
        boolean attentionUniformSplit) {

    /** Logits only. */
    public static final TraceOptions NONE =
            new TraceOptions(false, false, false, false, false, false, false, false, false, false);

    public TraceOptions {
        if (detachSoftmax && attentionUniformSplit) {
            throw new IllegalArgumentException(
                    "detachSoftmax and attentionUniformSplit are exclusive rules for attention");
        }
    }

    public TraceOptions withAttention(boolean v) {
        return new TraceOptions(v, tokens, attentionGradTaps, norm1GradTaps, inputGradient,
                detachSoftmax, detachLayerNormStd, detachLayerNormMean, geluIdentity, attentionUniformSplit);
    }

    public TraceOptions withTokens(boolean v) {
        return new TraceOptions(attention, v, attentionGradTaps, norm1GradTaps, inputGradient,
                detachSoftmax, detachLayerNormStd, detachLayerNormMean, geluIdentity, attentionUniformSplit);
    }

    public TraceOptions withAttentionGradTaps(boolean v) {
        return new TraceOptions(attention, tokens, v, norm1GradTaps, inputGradient,
                detachSoftmax, detachLayerNormStd, detachLayerNormMean, geluIdentity, attentionUniformSplit);
    }

    public TraceOptions withNorm1GradTaps(boolean v) {
        return new TraceOptions(attention, tokens, attentionGradTaps, v, inputGradient,
                detachSoftmax, detachLayerNormStd, detachLayerNormMean, geluIdentity, attentionUniformSplit);
    }

    public TraceOptions withInputGradient(boolean v) {
        return new TraceOptions(attention, tokens, attentionGradTaps, norm1GradTaps, v,
                detachSoftmax, detachLayerNormStd, detachLayerNormMean, geluIdentity, attentionUniformSplit);
    }

    public TraceOptions withDetachSoftmax(boolean v) {
        return new TraceOptions(attention, tokens, attentionGradTaps, norm1GradTaps, inputGradient,
                v, detachLayerNormStd, detachLayerNormMean, geluIdentity, attentionUniformSplit);
    }

    public TraceOptions withDetachLayerNormStd(boolean v) {
        return new TraceOptions(attention, tokens, attentionGradTaps, norm1GradTaps, inputGradient,
                detachSoftmax, v, detachLayerNormMean, geluIdentity, attentionUniformSplit);
    }

    public TraceOptions withDetachLayerNormMean(boolean v) {
        return new TraceOptions(attention, tokens, attentionGradTaps, norm1GradTaps, inputGradient,
                detachSoftmax, detachLayerNormStd, v, geluIdentity, attentionUniformSplit);
    }

    public TraceOptions withGeluIdentity(boolean v) {
        return new TraceOptions(attention, tokens, attentionGradTaps, norm1GradTaps, inputGradient,
                detachSoftmax, detachLayerNormStd, detachLayerNormMean, v, attentionUniformSplit);
    }

    public TraceOptions withAttentionUniformSplit(boolean v) {
        return new TraceOptions(attention, tokens, attentionGradTaps, norm1GradTaps, inputGradient,
                detachSoftmax, detachLayerNormStd, detachLayerNormMean, geluIdentity, v);
    }
}
