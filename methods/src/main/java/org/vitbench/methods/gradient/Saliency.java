package org.vitbench.methods.gradient;

import ai.djl.ndarray.NDManager;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.vitbench.api.Context;
import org.vitbench.api.Explainer;
import org.vitbench.api.ExplainerInfo;
import org.vitbench.api.ExplainerProvider;
import org.vitbench.api.Family;
import org.vitbench.api.Heatmaps;
import org.vitbench.api.Parameters;
import org.vitbench.api.Requirement;
import org.vitbench.api.Sample;
import org.vitbench.api.VitModel;

/**
 * Vanilla gradient saliency: the gradient of the target logit with respect to the input pixels
 * (Simonyan, Vedaldi &amp; Zisserman 2014, "Deep Inside Convolutional Networks: Visualising Image
 * Classification Models and Saliency Maps", arXiv 1312.6034).
 *
 * <pre>
 *   a = |d y_c / d x|          [B, C, S, S], x in [0, 1] pixel space, y_c the pre-softmax logit
 *   map = aggregate(a)         [B, P]
 * </pre>
 *
 * <p>Parameters:
 * <ul>
 *   <li>{@code abs} (default true): take absolute values, as Captum's {@code Saliency(abs=True)};
 *       {@code false} keeps the signed gradient.
 *   <li>{@code aggregation} = {@code sum} (default) | {@code abs-sum}: summing to patches as the
 *       ViT Shapley benchmark's {@code patchsum}; with {@code abs} both are the same.
 *   <li>{@code batchSize} (default 16): model inputs per forward/backward pass.
 * </ul>
 *
 * <p>The gradient is taken in [0, 1] pixel space, as vitbench models normalise internally; it is
 * the normalised-space gradient divided by the channel's std. The target is the logit (Captum's
 * convention), not ViT Shapley's softmax probability. One backward per chunk of images. A constant
 * image needs no special case. Immutable and thread-safe (gradient work is serialised by
 * {@link org.vitbench.api.Gradients}).
 */
public final class Saliency implements PixelAttribution {

    /** The stable id. */
    public static final String ID = "saliency";

    private static final ExplainerInfo INFO = new ExplainerInfo(ID, "Saliency (vanilla gradient)",
            Family.GRADIENT, Set.of(Requirement.GRADIENTS), false,
            "Simonyan, Vedaldi & Zisserman 2014, Deep Inside Convolutional Networks: Visualising Image "
                    + "Classification Models and Saliency Maps, arXiv 1312.6034");

    private static final Set<String> KEYS = Set.of("abs", Aggregation.KEY, InputGradients.BATCH_SIZE);

    private final boolean abs;
    private final Aggregation aggregation;
    private final int batchSize;

    Saliency(boolean abs, Aggregation aggregation, int batchSize) {
        if (batchSize < 1) {
            throw new IllegalArgumentException("batchSize must be 1 or more, got " + batchSize);
        }
        this.abs = abs;
        this.aggregation = aggregation;
        this.batchSize = batchSize;
    }

    /** The reference configuration: absolute gradients, signed patch sums, 16 images per pass. */
    public Saliency() {
        this(true, Aggregation.SUM, InputGradients.DEFAULT_BATCH_SIZE);
    }

    /** Creates the method from validated parameters; unknown keys fail. */
    public static Saliency create(Parameters parameters) {
        parameters.requireOnly(KEYS);
        return new Saliency(parameters.getBoolean("abs", true), Aggregation.parse(parameters),
                InputGradients.batchSize(parameters));
    }

    @Override
    public ExplainerInfo info() {
        return INFO;
    }

    /** The resolved parameters, defaults included. */
    @Override
    public Parameters parameters() {
        return Parameters.of(ID, Map.of("abs", Boolean.toString(abs), Aggregation.KEY, aggregation.id(),
                InputGradients.BATCH_SIZE, Integer.toString(batchSize)));
    }

    @Override
    public Heatmaps explain(Context context, List<Sample> batch, int[] targets) {
        return PixelAttribution.explain(this, context, batch, targets);
    }

    @Override
    public float[] attribute(VitModel model, NDManager scope, float[] images, int[] targets, long memoryBudget) {
        int size = images.length / Math.max(1, targets.length);
        float[] out = new float[images.length];
        InputGradients.compute(model, scope, targets, InputGradients.chunk(batchSize, model, memoryBudget),
                (start, end) -> Arrays.copyOfRange(images, start * size, end * size),
                (start, end, gradients) -> {
                    for (int i = 0; i < gradients.length; i++) {
                        out[start * size + i] = abs ? Math.abs(gradients[i]) : gradients[i];
                    }
                });
        return out;
    }

    @Override
    public int batchSize() {
        return batchSize;
    }

    @Override
    public Aggregation aggregation() {
        return aggregation;
    }

    @Override
    public String toString() {
        return ID + parameters();
    }

    /** Registers {@link Saliency} with {@link java.util.ServiceLoader}. */
    public static final class Provider implements ExplainerProvider {

        @Override
        public ExplainerInfo info() {
            return INFO;
        }

        @Override
        public Explainer create(Parameters parameters) {
            return Saliency.create(parameters);
        }
    }
}
