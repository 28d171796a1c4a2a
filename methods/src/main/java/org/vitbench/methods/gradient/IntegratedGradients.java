package org.vitbench.methods.gradient;

import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.vitbench.api.Arguments;
import org.vitbench.api.ConfigurationException;
import org.vitbench.api.Context;
import org.vitbench.api.ExplainerInfo;
import org.vitbench.api.Family;
import org.vitbench.api.Heatmaps;
import org.vitbench.api.MethodDeclaration;
import org.vitbench.api.ModelInfo;
import org.vitbench.api.Parameter;
import org.vitbench.api.Parameters;
import org.vitbench.api.Removal.PixelBaseline;
import org.vitbench.api.Requirement;
import org.vitbench.api.Sample;
import org.vitbench.api.VitModel;
import org.vitbench.models.PixelRemoval;

/**
 * Integrated Gradients: the input's difference from a baseline, weighted by the gradient averaged
 * along the straight path between them (Sundararajan, Taly &amp; Yan 2017, "Axiomatic Attribution
 * for Deep Networks", arXiv 1703.01365).
 *
 * <pre>
 *   x_k = x0 + a_k (x - x0)                      k = 0 .. steps-1, [B * steps, C, S, S]
 *   a   = (x - x0) * sum_k w_k d y_c / d x (x_k)  [B, C, S, S], signed
 *   map = aggregate(a)                            [B, P]
 * </pre>
 * Completeness: {@code sum(a) = y_c(x) - y_c(x0)} up to the quadrature error, so with the signed
 * {@code sum} aggregation the patch map sums to the logit difference.
 *
 * <p>Parameters (defaults follow Captum's {@code IntegratedGradients.attribute}):
 * <ul>
 *   <li>{@code baseline} = {@code zero} (default: Captum's zeros, here black in [0, 1] pixel space)
 *       | {@code mean} (the model's normalisation mean, i.e. zero after normalisation, ViT Shapley's
 *       baseline) | {@code blur} (a Gaussian blur with sigma = patch size); built by
 *       {@link PixelRemoval#baseline}.
 *   <li>{@code steps} (default 50, Captum's {@code n_steps}; ViT Shapley uses 10, LATEC 30).
 *   <li>{@code method} = {@code gauss-legendre} (default, Captum's {@code gausslegendre}) |
 *       {@code riemann-trapezoid} | {@code riemann-left} | {@code riemann-right} |
 *       {@code riemann-middle} (see {@link Quadrature}).
 *   <li>{@code aggregation} = {@code sum} (default, keeps completeness) | {@code abs-sum}.
 *   <li>{@code batchSize} (default 16): path points per forward/backward pass; the points of all
 *       images are stacked on the batch axis and cut into chunks of this size, fewer when the
 *       run's memory budget requires. Captum runs all points in one pass
 *       ({@code internal_batch_size=None}). On the embedded model {@code batchSize=64} took 0.74x
 *       the time per image of 16 ({@code MethodBenchmark}, 2 threads); the default stays 16
 *       because a method's parameters are its stored identity, and changing a default would
 *       orphan stored results and baselines ({@code SpecStabilityTest}).
 * </ul>
 *
 * <p>The target is the pre-softmax logit. Gradients are accumulated per image in double and in
 * step order, so a map does not depend on the chunking. When {@code x = x0} the map is 0.
 * Immutable and thread-safe.
 */
public final class IntegratedGradients implements PixelAttribution {

    /** The stable id. */
    public static final String ID = "integrated-gradients";

    private static final ExplainerInfo INFO = new ExplainerInfo(ID, "Integrated Gradients", Family.GRADIENT,
            Set.of(Requirement.GRADIENTS), false,
            "Sundararajan, Taly & Yan 2017, Axiomatic Attribution for Deep Networks, arXiv 1703.01365");

    private static final Parameter<PixelBaseline> BASELINE = Parameter.oneOf("baseline", PixelBaseline.ZERO,
            List.of(PixelBaseline.ZERO, PixelBaseline.MEAN, PixelBaseline.BLUR),
            b -> b.name().toLowerCase(Locale.ROOT), "the path's start: zero (the reference), mean or blur");
    private static final Parameter<Integer> STEPS = Parameter.integer("steps", 50, 1, 100_000,
            "points of the path integral");
    private static final Parameter<Quadrature> METHOD = Parameter.oneOf("method", Quadrature.GAUSS_LEGENDRE,
            List.of(Quadrature.values()), Quadrature::id, "the quadrature rule, as captum's method");

    /** The registration: parameters and factory. */
    public static final MethodDeclaration DECLARATION = MethodDeclaration.of(INFO, List.of(BASELINE, STEPS, METHOD,
            Aggregation.PARAMETER, InputGradients.BATCH_SIZE_PARAMETER), IntegratedGradients::new);

    private final Arguments arguments;
    private final PixelBaseline baseline;
    private final int steps;
    private final Quadrature method;
    private final Aggregation aggregation;
    private final int batchSize;
    private final double[] alphas;
    private final double[] weights;

    /** captum's defaults: a zero baseline, 50 Gauss-Legendre steps. */
    public IntegratedGradients() {
        this(DECLARATION.resolve(Map.of()));
    }

    private IntegratedGradients(Arguments arguments) {
        this.arguments = arguments;
        this.baseline = arguments.get(BASELINE);
        this.steps = arguments.get(STEPS);
        this.method = arguments.get(METHOD);
        if (steps < method.minSteps()) {
            throw new ConfigurationException("invalid value '" + steps + "' for parameter 'steps' of " + ID
                    + " with method " + method.id() + "; allowed: an integer from " + method.minSteps());
        }
        this.aggregation = arguments.get(Aggregation.PARAMETER);
        this.batchSize = arguments.get(InputGradients.BATCH_SIZE_PARAMETER);
        double[][] rule = method.rule(steps);
        this.alphas = rule[0];
        this.weights = rule[1];
    }

    /** Creates the method from parameters; unknown keys fail. */
    public static IntegratedGradients create(Parameters parameters) {
        return (IntegratedGradients) DECLARATION.create(parameters);
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
        ModelInfo info = model.info();
        int n = targets.length;
        if (n == 0) {
            return new float[0];
        }
        int size = images.length / n;
        float[] base;
        try (NDManager local = scope.newSubManager()) {
            Shape shape = new Shape(n, info.channels(), info.imageSize(), info.imageSize());
            base = PixelRemoval.baseline(local.create(images, shape), baseline, info).toFloatArray();
        }
        int[] pointTargets = new int[n * steps]; // row r is image r / steps at step r % steps
        for (int r = 0; r < pointTargets.length; r++) {
            pointTargets[r] = targets[r / steps];
        }
        double[] integral = new double[images.length];
        InputGradients.compute(model, scope, pointTargets, InputGradients.chunk(batchSize, model, memoryBudget),
                (start, end) -> {
                    float[] points = new float[(end - start) * size];
                    for (int r = start; r < end; r++) {
                        int b = r / steps;
                        double alpha = alphas[r % steps];
                        for (int i = 0; i < size; i++) {
                            double x0 = base[b * size + i];
                            points[(r - start) * size + i] = (float) (x0 + alpha * (images[b * size + i] - x0));
                        }
                    }
                    return points;
                },
                (start, end, gradients) -> {
                    for (int r = start; r < end; r++) {
                        int b = r / steps;
                        double w = weights[r % steps];
                        for (int i = 0; i < size; i++) {
                            integral[b * size + i] += w * gradients[(r - start) * size + i];
                        }
                    }
                });
        float[] out = new float[images.length];
        for (int i = 0; i < out.length; i++) {
            out[i] = (float) (((double) images[i] - base[i]) * integral[i]);
        }
        return out;
    }

    @Override
    public int batchSize() {
        return batchSize;
    }

    @Override
    public int inputsPerImage() {
        return steps;
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
