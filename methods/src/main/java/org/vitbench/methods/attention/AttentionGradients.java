package org.vitbench.methods.attention;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.Shape;
import java.util.ArrayList;
import java.util.List;
import org.vitbench.api.ForwardTrace;
import org.vitbench.api.Gradients;
import org.vitbench.api.ModelInfo;
import org.vitbench.api.TraceOptions;
import org.vitbench.api.VitModel;

/**
 * One traced forward and one backward of {@code sum_b logits[b, targets[b]]}: the attention
 * probabilities, their gradients (read from zero-leaf taps, whitebox brief §2.2 S1) and the
 * logits. Images are independent in a ViT, so the batch sum gives each image its own gradient.
 *
 * @param attention per block {@code [B, H, N, N]}, detached
 * @param gradients per block {@code [B, H, N, N]}: d(target logit)/d(attention) under the backward
 *     that {@code options} selects
 * @param logits {@code [B, K]}, detached
 */
record AttentionGradients(List<NDArray> attention, List<NDArray> gradients, NDArray logits) {

    /**
     * Runs the pass; every result lives on the manager of {@code images}.
     *
     * @param images {@code [B, C, S, S]} in [0, 1]
     * @param targets one class per image
     * @param switches propagation switches (only the backward changes); taps and attention are
     *     added here
     */
    static AttentionGradients of(VitModel model, NDArray images, int[] targets, TraceOptions switches) {
        NDArray mask = targetMask(model.info(), images, targets);
        TraceOptions options = switches.withAttention(true).withAttentionGradTaps(true);
        return Gradients.compute(collector -> {
            ForwardTrace trace = model.trace(images, options);
            // One scalar, so one backward serves the whole batch (DJL allows one backward per graph).
            collector.backward(trace.logits().mul(mask).sum());
            List<NDArray> attention = new ArrayList<>();
            List<NDArray> gradients = new ArrayList<>();
            for (int l = 0; l < trace.attention().size(); l++) {
                attention.add(trace.attention().get(l).stopGradient());
                gradients.add(trace.attentionTaps().get(l).getGradient());
            }
            return new AttentionGradients(attention, gradients, trace.logits().stopGradient());
        });
    }

    /**
     * One traced forward and one backward of {@code sum_b readouts[block][b, targets[b]]}, the
     * target logit of block {@code block}'s own readout {@code head(norm(pool(z_out^block)))}
     * (whitebox brief §2.2 S10), read at that block's attention tap only. Later blocks are not in
     * the readout's graph, so no gradient through them can leak in.
     *
     * @param images {@code [B, C, S, S]} in [0, 1]
     * @param targets one class per image
     * @param block the block index, 0 .. depth-1
     * @param pool the readout's pooling, not {@link TraceOptions.Readout#NONE}
     * @return {@code [B, H, N, N]} on the manager of {@code images}
     */
    static NDArray readoutGradient(VitModel model, NDArray images, int[] targets, int block,
            TraceOptions.Readout pool) {
        if (pool == TraceOptions.Readout.NONE) {
            throw new IllegalArgumentException("a readout gradient needs a pooling, got " + pool);
        }
        NDArray mask = targetMask(model.info(), images, targets);
        TraceOptions options = TraceOptions.NONE.withAttentionGradTaps(true).withReadout(pool);
        return Gradients.compute(collector -> {
            ForwardTrace trace = model.trace(images, options);
            // One scalar per pass: DJL allows one backward per graph, so every block gets its own forward.
            collector.backward(trace.readouts().get(block).mul(mask).sum());
            return trace.attentionTaps().get(block).getGradient();
        });
    }

    /** One-hot {@code [B, K]} of the targets on the manager of {@code images}. */
    private static NDArray targetMask(ModelInfo info, NDArray images, int[] targets) {
        int b = (int) images.getShape().get(0);
        int k = info.numClasses();
        if (targets.length != b) {
            throw new IllegalArgumentException(targets.length + " targets for " + b + " images");
        }
        float[] onehot = new float[b * k];
        for (int i = 0; i < b; i++) {
            if (targets[i] < 0 || targets[i] >= k) {
                throw new IllegalArgumentException("target " + targets[i] + " of sample " + i
                        + " is not a class of model " + info.name() + " (0 to " + (k - 1) + ")");
            }
            onehot[i * k + targets[i]] = 1f;
        }
        return images.getManager().create(onehot, new Shape(b, k));
    }
}
