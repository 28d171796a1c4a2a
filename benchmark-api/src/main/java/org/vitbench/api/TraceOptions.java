package org.vitbench.api;

import java.util.Objects;

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
 * @param readout per-block readout logits {@code head(norm(pool(z_out^l)))} kept inside the traced
 *     graph (brief §2.2 S10, LeGrad), with the pooling given; {@link Readout#NONE} keeps none
 */
public record TraceOptions(boolean attention, boolean tokens, boolean attentionGradTaps,
        boolean norm1GradTaps, boolean inputGradient, boolean detachSoftmax,
        boolean detachLayerNormStd, boolean detachLayerNormMean, boolean geluIdentity,
        boolean attentionUniformSplit, Readout readout) {

    /** How a per-block readout pools the block's output tokens {@code [B, N, D] -> [B, D]}. */
    public enum Readout {
        /** No per-block readouts. */
        NONE,
        /** Token 0, the classifier's own pooling. */
        CLS,
        /** Mean over all N tokens, CLS included, as the LeGrad reference's CLIP code. */
        TOKEN_MEAN
    }

    /** Logits only. */
    public static final TraceOptions NONE = new TraceOptions(false, false, false, false, false, false, false,
            false, false, false, Readout.NONE);

    public TraceOptions {
        Objects.requireNonNull(readout, "readout must be one of " + java.util.Arrays.toString(Readout.values()));
        if (detachSoftmax && attentionUniformSplit) {
            throw new IllegalArgumentException(
                    "detachSoftmax and attentionUniformSplit are exclusive rules for attention");
        }
    }

    public TraceOptions withAttention(boolean v) {
        return new TraceOptions(v, tokens, attentionGradTaps, norm1GradTaps, inputGradient, detachSoftmax,
                detachLayerNormStd, detachLayerNormMean, geluIdentity, attentionUniformSplit, readout);
    }

    public TraceOptions withTokens(boolean v) {
        return new TraceOptions(attention, v, attentionGradTaps, norm1GradTaps, inputGradient, detachSoftmax,
                detachLayerNormStd, detachLayerNormMean, geluIdentity, attentionUniformSplit, readout);
    }

    public TraceOptions withAttentionGradTaps(boolean v) {
        return new TraceOptions(attention, tokens, v, norm1GradTaps, inputGradient, detachSoftmax,
                detachLayerNormStd, detachLayerNormMean, geluIdentity, attentionUniformSplit, readout);
    }

    public TraceOptions withNorm1GradTaps(boolean v) {
        return new TraceOptions(attention, tokens, attentionGradTaps, v, inputGradient, detachSoftmax,
                detachLayerNormStd, detachLayerNormMean, geluIdentity, attentionUniformSplit, readout);
    }

    public TraceOptions withInputGradient(boolean v) {
        return new TraceOptions(attention, tokens, attentionGradTaps, norm1GradTaps, v, detachSoftmax,
                detachLayerNormStd, detachLayerNormMean, geluIdentity, attentionUniformSplit, readout);
    }

    public TraceOptions withDetachSoftmax(boolean v) {
        return new TraceOptions(attention, tokens, attentionGradTaps, norm1GradTaps, inputGradient, v,
                detachLayerNormStd, detachLayerNormMean, geluIdentity, attentionUniformSplit, readout);
    }

    public TraceOptions withDetachLayerNormStd(boolean v) {
        return new TraceOptions(attention, tokens, attentionGradTaps, norm1GradTaps, inputGradient, detachSoftmax,
                v, detachLayerNormMean, geluIdentity, attentionUniformSplit, readout);
    }

    public TraceOptions withDetachLayerNormMean(boolean v) {
        return new TraceOptions(attention, tokens, attentionGradTaps, norm1GradTaps, inputGradient, detachSoftmax,
                detachLayerNormStd, v, geluIdentity, attentionUniformSplit, readout);
    }

    public TraceOptions withGeluIdentity(boolean v) {
        return new TraceOptions(attention, tokens, attentionGradTaps, norm1GradTaps, inputGradient, detachSoftmax,
                detachLayerNormStd, detachLayerNormMean, v, attentionUniformSplit, readout);
    }

    public TraceOptions withAttentionUniformSplit(boolean v) {
        return new TraceOptions(attention, tokens, attentionGradTaps, norm1GradTaps, inputGradient, detachSoftmax,
                detachLayerNormStd, detachLayerNormMean, geluIdentity, v, readout);
    }

    public TraceOptions withReadout(Readout v) {
        return new TraceOptions(attention, tokens, attentionGradTaps, norm1GradTaps, inputGradient, detachSoftmax,
                detachLayerNormStd, detachLayerNormMean, geluIdentity, attentionUniformSplit, v);
    }
}
