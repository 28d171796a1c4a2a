package org.vitbench.methods.gradient;

import ai.djl.ndarray.NDManager;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.vitbench.api.Arguments;
import org.vitbench.api.Context;
import org.vitbench.api.ExplainerInfo;
import org.vitbench.api.Family;
import org.vitbench.api.Heatmaps;
import org.vitbench.api.MethodDeclaration;
import org.vitbench.api.Parameter;
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

    private static final Parameter<Boolean> ABS = Parameter.flag("abs", true,
            "the absolute gradient, as the reference");

    /** The registration: parameters and factory. */
    public static final MethodDeclaration DECLARATION = MethodDeclaration.of(INFO, List.of(ABS,
            Aggregation.PARAMETER, InputGradients.BATCH_SIZE_PARAMETER), Saliency::new);

    private final Arguments arguments;
    private final boolean abs;
    private final Aggregation aggregation;
    private final int batchSize;

    /** The reference's saliency: absolute gradients summed per patch. */
    public Saliency() {
        this(DECLARATION.resolve(Map.of()));
    }

    private Saliency(Arguments arguments) {
        this.arguments = arguments;
        this.abs = arguments.get(ABS);
        this.aggregation = arguments.get(Aggregation.PARAMETER);
        this.batchSize = arguments.get(InputGradients.BATCH_SIZE_PARAMETER);
    }

    /** Creates the method from parameters; unknown keys fail. */
    public static Saliency create(Parameters parameters) {
        return (Saliency) DECLARATION.create(parameters);
    }

    @Override
    public ExplainerInfo info() {
        return INFO;
    }

    @Override
    public Parameters parameters() {
        return arguments.parameters();
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
}
