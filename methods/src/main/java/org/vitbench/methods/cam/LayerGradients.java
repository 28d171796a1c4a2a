package org.vitbench.methods.cam;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import java.util.List;
import java.util.function.Function;
import org.vitbench.api.ForwardTrace;
import org.vitbench.api.Gradients;
import org.vitbench.api.TraceOptions;
import org.vitbench.api.VitModel;

/**
 * One traced forward and one backward of a scalar score, returning a tapped activation of the last
 * block and its gradient as Java arrays. The samples of a batch are independent, so the gradient
 * of {@code sum_b score[b]} with respect to sample b's activation is the gradient of
 * {@code score[b]} alone: one backward serves the whole batch.
 */
final class LayerGradients {

    /**
     * An activation and its gradient, both row-major over {@code shape}.
     *
     * @param shape e.g. {@code [B, N, D]} or {@code [B, H, N, N]}
     */
    record Pair(long[] shape, float[] activation, float[] gradient) {
    }

    private LayerGradients() {
    }

    /**
     * The last block's LayerNorm-1 output {@code u} {@code [B, N, D]} and {@code d score / d u}.
     *
     * @param score builds the scalar to differentiate from the trace (inside gradient mode)
     */
    static Pair lastNorm1(VitModel model, NDArray images, Function<ForwardTrace, NDArray> score) {
        return Gradients.compute(collector -> {
            ForwardTrace trace = model.trace(images, TraceOptions.NONE.withTokens(true).withNorm1GradTaps(true));
            collector.backward(score.apply(trace));
            return pair(trace.norm1(), trace.norm1Taps());
        });
    }

    /** The last block's attention probabilities {@code A} {@code [B, H, N, N]} and {@code d score / d A}. */
    static Pair lastAttention(VitModel model, NDArray images, Function<ForwardTrace, NDArray> score) {
        return Gradients.compute(collector -> {
            ForwardTrace trace = model.trace(images,
                    TraceOptions.NONE.withAttention(true).withAttentionGradTaps(true));
            collector.backward(score.apply(trace));
            return pair(trace.attention(), trace.attentionTaps());
        });
    }

    private static Pair pair(List<NDArray> activations, List<NDArray> taps) {
        if (activations.isEmpty() || activations.size() != taps.size()) {
            throw new IllegalStateException("the trace kept " + activations.size() + " activations and "
                    + taps.size() + " gradient taps; expected one of each per block");
        }
        int last = activations.size() - 1;
        // The tapped activation is u + 0 (or A + 0): forward values are those of the model.
        NDArray activation = activations.get(last);
        NDArray gradient = taps.get(last).getGradient();
        return new Pair(activation.getShape().getShape(), activation.stopGradient().toFloatArray(),
                gradient.toFloatArray());
    }

    /**
     * The sum over the batch of each sample's target logit, {@code sum_b logits[b, targets[b]]}.
     *
     * @param logits {@code [B, K]}
     */
    static NDArray targetLogits(NDArray logits, int[] targets) {
        Shape shape = logits.getShape();
        int k = (int) shape.get(1);
        float[] oneHot = new float[targets.length * k];
        for (int b = 0; b < targets.length; b++) {
            oneHot[b * k + targets[b]] = 1f;
        }
        NDManager manager = logits.getManager();
        return logits.mul(manager.create(oneHot, shape)).sum(); // [B, K] * [B, K] -> scalar
    }

    /** Fails unless there is one target per sample, each a valid class index. */
    static void checkTargets(int[] targets, int batchSize, int numClasses) {
        if (targets.length != batchSize) {
            throw new IllegalArgumentException(targets.length + " targets for " + batchSize + " samples");
        }
        for (int b = 0; b < targets.length; b++) {
            if (targets[b] < 0 || targets[b] >= numClasses) {
                throw new IllegalArgumentException("target " + targets[b] + " of sample " + b
                        + " is not a class index; allowed: 0 to " + (numClasses - 1));
            }
        }
    }
}
