package org.vitbench.methods.gradient;

import ai.djl.ndarray.NDManager;
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
import org.vitbench.api.Declaration;
import org.vitbench.api.Explainer;
import org.vitbench.api.ExplainerInfo;
import org.vitbench.api.Family;
import org.vitbench.api.Heatmaps;
import org.vitbench.api.MethodDeclaration;
import org.vitbench.api.ModelInfo;
import org.vitbench.api.Parameter;
import org.vitbench.api.Parameters;
import org.vitbench.api.Requirement;
import org.vitbench.api.Sample;
import org.vitbench.api.Seeds;
import org.vitbench.api.VitModel;

/**
 * SmoothGrad and its relatives around any pixel gradient method: statistics of the base method's
 * pixel maps over Gaussian-noised copies of the input (Smilkov, Thorat, Kim, Viégas &amp; Wattenberg
 * 2017, "SmoothGrad: removing noise by adding noise", arXiv 1706.03825; VarGrad from Adebayo,
 * Gilmer, Goodfellow &amp; Kim 2018, "Local Explanation Methods for Deep Neural Networks Lack
 * Sensitivity to Parameter Values", arXiv 1810.03307).
 *
 * <pre>
 *   m_s = base(x + e_s),  e_s ~ N(0, sigma_x^2 I),  s = 1 .. samples   [B, C, S, S] each
 *   smoothgrad          a = mean_s m_s
 *   smoothgrad-squared  a = mean_s m_s^2
 *   vargrad             a = mean_s (m_s - mean_s m_s)^2   (population variance, as Captum's vargrad)
 *   map = aggregate(a)                                      [B, P]
 * </pre>
 * The statistic is taken per pixel before aggregation (Captum's {@code NoiseTunnel} order), with
 * Welford's running mean and variance in double: identical maps give exactly their value and
 * exactly zero variance. Noisy inputs are not clipped to [0, 1].
 *
 * <p>Parameters:
 * <ul>
 *   <li>{@code base} (default {@code saliency}): {@code saliency}, {@code gradient-input} or
 *       {@code integrated-gradients}; the base's own parameters follow as {@code base.key=value}
 *       (for example {@code base.steps=10}); all of them, defaults resolved, appear in
 *       {@link #parameters()}. The base's {@code aggregation} is not used: set it here.
 *   <li>{@code samples} (default 50, the SmoothGrad paper's n; Captum's {@code nt_samples} default is
 *       5 and ViT Shapley uses 10).
 *   <li>{@code sigma} (default 0.15, the paper's 15% noise level) and {@code noise} =
 *       {@code relative} (default: {@code sigma_x = sigma * (max(x) - min(x))} over all pixels and
 *       channels of each image, the paper's definition) | {@code absolute} ({@code sigma_x = sigma}
 *       in [0, 1] pixel units). Captum's {@code stdevs} (default 1.0) is absolute in the model's
 *       normalised units, i.e. {@code stdevs * std_c} here; with equal channel stds use
 *       {@code noise=absolute,sigma=stdevs*std}. A constant image has no noise in relative mode.
 *   <li>{@code variant} = {@code smoothgrad} (default) | {@code smoothgrad-squared} | {@code vargrad}.
 *   <li>{@code aggregation} = {@code sum} (default) | {@code abs-sum}, applied to the statistic.
 * </ul>
 *
 * <p>Randomness: one generator per image ({@link RandomSource#XO_RO_SHI_RO_128_PP}), seeded by
 * {@code Seeds.of(runSeed, sampleId, "smoothgrad")}; it draws the noise of sample 1, 2, ... in
 * pixel order, so a map depends on neither its batch nor its position in it. Draws are grouped so
 * that one base call gets about {@code base.batchSize} model inputs. Immutable and thread-safe.
 */
public final class SmoothGrad implements Explainer {

    /** The stable id. */
    public static final String ID = "smoothgrad";

    private static final ExplainerInfo INFO = new ExplainerInfo(ID, "SmoothGrad / VarGrad", Family.GRADIENT,
            Set.of(Requirement.GRADIENTS), false,
            "Smilkov, Thorat, Kim, Viegas & Wattenberg 2017, SmoothGrad: removing noise by adding noise, "
                    + "arXiv 1706.03825; VarGrad: Adebayo, Gilmer, Goodfellow & Kim 2018, arXiv 1810.03307");

    private static final String BASE = "base";
    private static final String PREFIX = "base.";

    /** The statistic over the noisy maps. */
    public enum Variant {
        SMOOTHGRAD, SMOOTHGRAD_SQUARED, VARGRAD;

        /** The parameter value, e.g. {@code smoothgrad-squared}. */
        public String id() {
            return name().toLowerCase(Locale.ROOT).replace('_', '-');
        }
    }

    /** How {@code sigma} is read. */
    public enum Noise {
        /** A fraction of the image's value range (max - min). */
        RELATIVE,
        /** A standard deviation in [0, 1] pixel units. */
        ABSOLUTE;

        public String id() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    private static final Parameter<String> BASE_PARAMETER = Parameter.choice(BASE, Saliency.ID,
            GradientMethods.ids(), "the pixel gradient method whose maps are averaged; its parameters as base.<key>");
    private static final Parameter<Integer> SAMPLES = Parameter.integer("samples", 50, 1, 100_000,
            "noisy copies per image");
    private static final Parameter<Double> SIGMA = Parameter.number("sigma", 0.15, 0.0, 100.0,
            "noise standard deviation, relative to the image's range or absolute (see noise)");
    private static final Parameter<Noise> NOISE = Parameter.oneOf("noise", Noise.RELATIVE, List.of(Noise.values()),
            Noise::id, "relative (sigma times max - min of the image, as the paper) or absolute");
    private static final Parameter<Variant> VARIANT = Parameter.oneOf("variant", Variant.SMOOTHGRAD,
            List.of(Variant.values()), Variant::id, "the statistic over the copies: mean, mean of squares, variance");

    /** The registration: parameters, the base method's parameters under base., and the factory. */
    public static final MethodDeclaration DECLARATION = MethodDeclaration.of(INFO, List.of(BASE_PARAMETER,
            SAMPLES, SIGMA, NOISE, VARIANT, Aggregation.PARAMETER), SmoothGrad::new)
            .nested(new Declaration.Nested(PREFIX, BASE_PARAMETER, GradientMethods::declaration,
                    Map.of(Aggregation.KEY, "the statistic is taken on pixel maps and then aggregated; set "
                            + "'aggregation' instead")));

    private final Arguments arguments;
    private final PixelAttribution base;
    private final int samples;
    private final double sigma;
    private final Noise noise;
    private final Variant variant;
    private final Aggregation aggregation;

    /** The paper's SmoothGrad of saliency: 50 copies, noise of 15 % of the image's range. */
    public SmoothGrad() {
        this(DECLARATION.resolve(Map.of()));
    }

    private SmoothGrad(Arguments arguments) {
        this.arguments = arguments;
        this.base = GradientMethods.create(arguments.get(BASE_PARAMETER), arguments.nested(PREFIX));
        this.samples = arguments.get(SAMPLES);
        this.sigma = arguments.get(SIGMA);
        this.noise = arguments.get(NOISE);
        this.variant = arguments.get(VARIANT);
        this.aggregation = arguments.get(Aggregation.PARAMETER);
    }

    /** Creates the method from parameters; unknown keys fail. */
    public static SmoothGrad create(Parameters parameters) {
        return (SmoothGrad) DECLARATION.create(parameters);
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
            ZigguratSampler.NormalizedGaussian[] gaussians = new ZigguratSampler.NormalizedGaussian[b];
            double[] scale = new double[b];
            for (int j = 0; j < b; j++) {
                UniformRandomProvider random = RandomSource.XO_RO_SHI_RO_128_PP.create(
                        Seeds.of(context.seed(), batch.get(j).id(), ID));
                gaussians[j] = ZigguratSampler.NormalizedGaussian.of(random);
                scale[j] = noise == Noise.ABSOLUTE ? sigma : sigma * range(images, j * size, size);
            }
            int group = Math.max(1, base.batchSize() / (b * base.inputsPerImage()));
            double[] mean = new double[images.length];
            double[] m2 = variant == Variant.VARGRAD ? new double[images.length] : null;
            for (int done = 0; done < samples; ) {
                int g = Math.min(group, samples - done);
                float[] noisy = new float[g * b * size]; // row d * b + j is draw done + d of image j
                int[] rowTargets = new int[g * b];
                for (int j = 0; j < b; j++) {
                    for (int d = 0; d < g; d++) {
                        int row = d * b + j;
                        rowTargets[row] = targets[j];
                        for (int i = 0; i < size; i++) {
                            noisy[row * size + i] = (float) (images[j * size + i] + scale[j] * gaussians[j].sample());
                        }
                    }
                }
                float[] maps = base.attribute(model, scope, noisy, rowTargets, context.memoryBudget());
                for (int d = 0; d < g; d++) {
                    int count = done + d + 1;
                    for (int j = 0; j < b; j++) {
                        for (int i = 0; i < size; i++) {
                            double v = maps[(d * b + j) * size + i];
                            if (variant == Variant.SMOOTHGRAD_SQUARED) {
                                v *= v;
                            }
                            int at = j * size + i;
                            double delta = v - mean[at];
                            mean[at] += delta / count;
                            if (m2 != null) {
                                m2[at] += delta * (v - mean[at]);
                            }
                        }
                    }
                }
                done += g;
            }
            float[] statistic = new float[images.length];
            for (int i = 0; i < statistic.length; i++) {
                statistic[i] = (float) (m2 != null ? m2[i] / samples : mean[i]);
            }
            return Heatmaps.of(info.grid(), aggregation.toPatches(statistic, b, info));
        }
    }

    /** {@code max - min} of {@code size} values from {@code offset}. */
    private static double range(float[] values, int offset, int size) {
        float min = Float.POSITIVE_INFINITY;
        float max = Float.NEGATIVE_INFINITY;
        for (int i = offset; i < offset + size; i++) {
            min = Math.min(min, values[i]);
            max = Math.max(max, values[i]);
        }
        return (double) max - min;
    }

    @Override
    public String toString() {
        return ID + parameters();
    }
}
