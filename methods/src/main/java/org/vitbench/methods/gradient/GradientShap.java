package org.vitbench.methods.gradient;

import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.apache.commons.rng.UniformRandomProvider;
import org.apache.commons.rng.sampling.distribution.ZigguratSampler;
import org.apache.commons.rng.simple.RandomSource;
import org.vitbench.api.Arguments;
import org.vitbench.api.Batches;
import org.vitbench.api.Context;
import org.vitbench.api.Explainer;
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
import org.vitbench.api.Seeds;
import org.vitbench.api.VitModel;
import org.vitbench.models.PixelRemoval;

/**
 * GradientSHAP (expected gradients with a fixed baseline): the gradient at a random point of the
 * straight path from a baseline to a noisy copy of the input, times the difference between them,
 * averaged over samples (Lundberg &amp; Lee 2017, arXiv 1705.07874, section on DeepSHAP and expected
 * gradients; Erion et al. 2021, "Improving performance of deep learning models with axiomatic
 * attribution priors and expected gradients", arXiv 1906.10670). As Captum's
 * {@code GradientShap.attribute} ({@code captum/attr/_core/gradient_shap.py}: a
 * {@code NoiseTunnel} of type smoothgrad around {@code InputBaselineXGradient}), per image and
 * sample {@code k = 1 .. n}:
 * <pre>
 *   x_k = x + eps_k,        eps_k ~ N(0, stdevs^2) per pixel
 *   a_k ~ U(0, 1)
 *   g_k = d y_c / d x at x0 + a_k (x_k - x0)
 *   map = aggregate( mean_k g_k * (x_k - x0) )
 * </pre>
 * Captum draws each sample's baseline from the baselines it is given; vitbench gives one, so every
 * sample uses it. In expectation over {@code a} (and with {@code stdevs = 0}) the map is Integrated
 * Gradients' with the same baseline (tested), so {@code sum(map)} approaches
 * {@code y_c(x) - y_c(x0)} as {@code samples} grows.
 *
 * <p>Parameters (defaults Captum's): {@code samples} 5 ({@code n_samples}), {@code stdevs} 0.0
 * (noise in [0, 1] pixel units), {@code baseline} {@code zero} (Captum has no default baseline and
 * its examples use zeros) | {@code mean} | {@code blur} as {@link IntegratedGradients};
 * {@code aggregation} {@code sum} (default) | {@code abs-sum}; {@code batchSize} 16 inputs per
 * forward/backward pass. The target is the pre-softmax logit.
 *
 * <p>Randomness: one generator per image, {@code Seeds.of(runSeed, sampleId, "gradient-shap")},
 * drawing that image's {@code a_k} and then its noise; so maps do not depend on batching.
 * Immutable and thread-safe.
 */
public final class GradientShap implements Explainer {

    /** The stable id. */
    public static final String ID = "gradient-shap";

    private static final ExplainerInfo INFO = new ExplainerInfo(ID, "GradientSHAP", Family.GRADIENT,
            Set.of(Requirement.GRADIENTS), false,
            "Lundberg & Lee 2017, arXiv 1705.07874; Erion et al. 2021, arXiv 1906.10670; Captum GradientShap");

    private static final Parameter<Integer> SAMPLES = Parameter.integer("samples", 5, 1, 100_000,
            "random path points per image (Captum's n_samples)");
    private static final Parameter<Double> STDEVS = Parameter.number("stdevs", 0.0, 0.0, 100.0,
            "std of the Gaussian noise added to the input, in [0, 1] pixel units (Captum's stdevs)");
    private static final Parameter<PixelBaseline> BASELINE = Parameter.oneOf("baseline", PixelBaseline.ZERO,
            List.of(PixelBaseline.ZERO, PixelBaseline.MEAN, PixelBaseline.BLUR),
            b -> b.name().toLowerCase(Locale.ROOT), "the path's start: zero, mean or blur");

    /** The registration: parameters and factory. */
    public static final MethodDeclaration DECLARATION = MethodDeclaration.of(INFO, List.of(SAMPLES, STDEVS, BASELINE,
            Aggregation.PARAMETER, InputGradients.BATCH_SIZE_PARAMETER), GradientShap::new);

    private final Arguments arguments;
    private final int samples;
    private final double stdevs;
    private final PixelBaseline baseline;
    private final Aggregation aggregation;
    private final int batchSize;

    /** Captum's defaults: 5 samples, no noise, a zero baseline. */
    public GradientShap() {
        this(DECLARATION.resolve(Map.of()));
    }

    private GradientShap(Arguments arguments) {
        this.arguments = arguments;
        this.samples = arguments.get(SAMPLES);
        this.stdevs = arguments.get(STDEVS);
        this.baseline = arguments.get(BASELINE);
        this.aggregation = arguments.get(Aggregation.PARAMETER);
        this.batchSize = arguments.get(InputGradients.BATCH_SIZE_PARAMETER);
    }

    /** Creates the method from parameters; unknown keys fail. */
    public static GradientShap create(Parameters parameters) {
        return (GradientShap) DECLARATION.create(parameters);
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
        VitModel model = context.model();
        ModelInfo info = model.info();
        InputGradients.checkTargets(targets, batch.size(), info.numClasses());
        int b = batch.size();
        if (b == 0) {
            return Heatmaps.of(info.grid(), new float[0][]);
        }
        try (NDManager scope = context.manager().newSubManager()) {
            float[] images = Batches.images(scope, batch, info).toFloatArray();
            int size = images.length / b;
            float[] base;
            try (NDManager local = scope.newSubManager()) {
                Shape shape = new Shape(b, info.channels(), info.imageSize(), info.imageSize());
                base = PixelRemoval.baseline(local.create(images, shape), baseline, info).toFloatArray();
            }
            // row r is sample r % samples of image r / samples: its end point x_k and path point
            float[][] ends = new float[b * samples][];
            double[] alphas = new double[b * samples];
            for (int j = 0; j < b; j++) {
                UniformRandomProvider random = RandomSource.XO_RO_SHI_RO_128_PP.create(
                        Seeds.of(context.seed(), batch.get(j).id(), ID));
                for (int k = 0; k < samples; k++) {
                    alphas[j * samples + k] = random.nextDouble();
                }
                ZigguratSampler.NormalizedGaussian gaussian = ZigguratSampler.NormalizedGaussian.of(random);
                for (int k = 0; k < samples; k++) {
                    float[] end = new float[size];
                    for (int i = 0; i < size; i++) {
                        double noise = stdevs == 0 ? 0 : stdevs * gaussian.sample();
                        end[i] = (float) (images[j * size + i] + noise);
                    }
                    ends[j * samples + k] = end;
                }
            }
            int[] rowTargets = new int[b * samples];
            for (int r = 0; r < rowTargets.length; r++) {
                rowTargets[r] = targets[r / samples];
            }
            double[] sum = new double[images.length];
            InputGradients.compute(model, scope, rowTargets, InputGradients.chunk(batchSize, model,
                    context.memoryBudget()), (start, end) -> {
                        float[] points = new float[(end - start) * size];
                        for (int r = start; r < end; r++) {
                            int j = r / samples;
                            for (int i = 0; i < size; i++) {
                                double x0 = base[j * size + i];
                                points[(r - start) * size + i] = (float) (x0 + alphas[r] * (ends[r][i] - x0));
                            }
                        }
                        return points;
                    }, (start, end, gradients) -> {
                        for (int r = start; r < end; r++) {
                            int j = r / samples;
                            for (int i = 0; i < size; i++) {
                                sum[j * size + i] += gradients[(r - start) * size + i]
                                        * ((double) ends[r][i] - base[j * size + i]);
                            }
                        }
                    });
            float[] pixels = new float[images.length];
            for (int i = 0; i < pixels.length; i++) {
                pixels[i] = (float) (sum[i] / samples);
            }
            return Heatmaps.of(info.grid(), aggregation.toPatches(pixels, b, info));
        }
    }

    @Override
    public String toString() {
        return ID + parameters();
    }
}
