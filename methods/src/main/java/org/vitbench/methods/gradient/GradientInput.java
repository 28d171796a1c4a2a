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
import org.vitbench.api.Parameters;
import org.vitbench.api.Requirement;
import org.vitbench.api.Sample;
import org.vitbench.api.VitModel;

/**
 * Gradient times input: the input pixels weighted by the gradient of the target logit (Shrikumar,
 * Greenside, Shcherbina &amp; Kundaje 2016, "Not Just a Black Box: Learning Important Features
 * Through Propagating Activation Differences", arXiv 1605.01713; Captum's {@code InputXGradient}).
 *
 * <pre>
 *   a = x * d y_c / d x        [B, C, S, S], signed, x in [0, 1] pixel space
 *   map = aggregate(a)         [B, P]
 * </pre>
 *
 * <p>Parameters: {@code aggregation} = {@code sum} (default, ViT Shapley's {@code patchsum}) |
 * {@code abs-sum} ({@code patchabssum}, "sum of |grad x input| over the patch pixels");
 * {@code batchSize} (default 16) model inputs per pass.
 *
 * <p>The input is the unnormalised [0, 1] image, so black pixels get zero attribution whatever
 * their gradient; the product is the same as in normalised space only up to the normalisation's
 * shift. For a model linear in the pixels, {@code a = w_c * x} exactly. Immutable and thread-safe.
 */
public final class GradientInput implements PixelAttribution {

    /** The stable id. */
    public static final String ID = "gradient-input";

    private static final ExplainerInfo INFO = new ExplainerInfo(ID, "Gradient x input", Family.GRADIENT,
            Set.of(Requirement.GRADIENTS), false,
            "Shrikumar, Greenside, Shcherbina & Kundaje 2016, Not Just a Black Box: Learning Important "
                    + "Features Through Propagating Activation Differences, arXiv 1605.01713");

    /** The registration: parameters and factory. */
    public static final MethodDeclaration DECLARATION = MethodDeclaration.of(INFO, List.of(Aggregation.PARAMETER,
            InputGradients.BATCH_SIZE_PARAMETER), GradientInput::new);

    private final Arguments arguments;
    private final Aggregation aggregation;
    private final int batchSize;

    /** Gradient times input, summed per patch. */
    public GradientInput() {
        this(DECLARATION.resolve(Map.of()));
    }

    private GradientInput(Arguments arguments) {
        this.arguments = arguments;
        this.aggregation = arguments.get(Aggregation.PARAMETER);
        this.batchSize = arguments.get(InputGradients.BATCH_SIZE_PARAMETER);
    }

    /** Creates the method from parameters; unknown keys fail. */
    public static GradientInput create(Parameters parameters) {
        return (GradientInput) DECLARATION.create(parameters);
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
                        out[start * size + i] = images[start * size + i] * gradients[i];
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
