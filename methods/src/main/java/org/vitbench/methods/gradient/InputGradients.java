package org.vitbench.methods.gradient;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import java.util.Arrays;
import org.vitbench.api.ForwardTrace;
import org.vitbench.api.Gradients;
import org.vitbench.api.ModelInfo;
import org.vitbench.api.Parameter;
import org.vitbench.api.TraceOptions;
import org.vitbench.api.VitModel;
import org.vitbench.models.masking.MaskedEvaluator;

/**
 * Gradients of each row's target logit with respect to its input pixels, in chunks of at most
 * {@code batchSize} model inputs. Per chunk: one traced forward with the input as a gradient leaf,
 * and one backward of {@code sum_r logits[r, target_r]}, which gives every row's gradient at once
 * because rows do not interact (whitebox brief, sections 3.11 and 4.2). Rows are produced and
 * consumed as plain float arrays, so that callers can build path points or noisy copies chunk by
 * chunk and accumulate in a fixed order, independent of the chunking.
 */
final class InputGradients {

    /** The parameter name of the chunk size. */
    static final String BATCH_SIZE = "batchSize";

    /** Model inputs per forward/backward pass; bounds the activation memory of one backward. */
    static final int DEFAULT_BATCH_SIZE = 16;

    /** Produces the pixels of rows {@code [start, end)}. */
    @FunctionalInterface
    interface Rows {
        /** @return {@code (end - start) * C * S * S} values, channel-major per row */
        float[] pixels(int start, int end);
    }

    /** Receives the gradients of rows {@code [start, end)}. */
    @FunctionalInterface
    interface Sink {
        /** @param gradients {@code (end - start) * C * S * S} values, channel-major per row */
        void accept(int start, int end, float[] gradients);
    }

    private InputGradients() {
    }

    /** The {@code batchSize} parameter, default {@value #DEFAULT_BATCH_SIZE}. */
    static final Parameter<Integer> BATCH_SIZE_PARAMETER = Parameter.integer(BATCH_SIZE, DEFAULT_BATCH_SIZE, 1,
            1 << 16, "images per forward and backward pass");

    /**
     * Rows per pass: {@code batchSize}, or fewer when their forward activations and gradients
     * (twice {@link MaskedEvaluator#bytesPerCopy}) would exceed {@code memoryBudget} bytes.
     */
    static int chunk(int batchSize, VitModel model, long memoryBudget) {
        return Math.min(batchSize, MaskedEvaluator.batchSizeFor(model.info(), Math.max(1, memoryBudget / 2)));
    }

    /**
     * @param model the model; its {@code trace} must honour {@code inputGradient}
     * @param scope the caller's scope; every array is created in a sub-manager of it and closed
     * @param targets the class of each row, {@code [M]}
     * @param batchSize rows per pass
     * @param rows the input pixels, chunk by chunk
     * @param sink the gradients, chunk by chunk, in increasing row order
     */
    static void compute(VitModel model, NDManager scope, int[] targets, int batchSize, Rows rows, Sink sink) {
        ModelInfo info = model.info();
        int c = info.channels();
        int s = info.imageSize();
        int k = info.numClasses();
        checkTargets(targets, targets.length, k);
        for (int start = 0; start < targets.length; start += batchSize) {
            int end = Math.min(targets.length, start + batchSize);
            int m = end - start;
            float[] pixels = rows.pixels(start, end);
            if (pixels.length != m * c * s * s) {
                throw new IllegalStateException(pixels.length + " pixels for " + m + " rows of " + c * s * s);
            }
            float[] oneHot = new float[m * k];
            for (int r = 0; r < m; r++) {
                oneHot[r * k + targets[start + r]] = 1f;
            }
            float[] gradients;
            try (NDManager chunk = scope.newSubManager()) {
                NDArray images = chunk.create(pixels, new Shape(m, c, s, s));
                NDArray select = chunk.create(oneHot, new Shape(m, k));
                gradients = Gradients.compute(collector -> {
                    ForwardTrace trace = model.trace(images, TraceOptions.NONE.withInputGradient(true));
                    // [m, K] * [m, K] -> scalar: d/dlogits is exactly the one-hot selection.
                    collector.backward(trace.logits().mul(select).sum());
                    return trace.input().getGradient().toFloatArray();
                });
            }
            sink.accept(start, end, gradients);
        }
    }

    /**
     * @throws IllegalArgumentException when the counts differ or a target is not a class index
     */
    static void checkTargets(int[] targets, int samples, int classes) {
        if (targets.length != samples) {
            throw new IllegalArgumentException(targets.length + " targets for " + samples + " samples");
        }
        for (int t : targets) {
            if (t < 0 || t >= classes) {
                throw new IllegalArgumentException("target class " + t + " is not in [0, " + classes
                        + "); targets: " + Arrays.toString(targets));
            }
        }
    }
}
