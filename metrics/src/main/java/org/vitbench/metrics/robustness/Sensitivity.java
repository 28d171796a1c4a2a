package org.vitbench.metrics.robustness;

import ai.djl.ndarray.NDManager;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import java.util.function.Supplier;
import org.apache.commons.rng.UniformRandomProvider;
import org.apache.commons.rng.sampling.distribution.ContinuousSampler;
import org.apache.commons.rng.sampling.distribution.ZigguratSampler;
import org.apache.commons.rng.simple.RandomSource;
import org.vitbench.api.Arguments;
import org.vitbench.api.Category;
import org.vitbench.api.Context;
import org.vitbench.api.Direction;
import org.vitbench.api.Heatmaps;
import org.vitbench.api.Image;
import org.vitbench.api.Metric;
import org.vitbench.api.MetricDeclaration;
import org.vitbench.api.MetricInfo;
import org.vitbench.api.MetricResult;
import org.vitbench.api.MetricSpec;
import org.vitbench.api.ModelInfo;
import org.vitbench.api.Parameter;
import org.vitbench.api.Progress;
import org.vitbench.api.Requirement;
import org.vitbench.api.Sample;
import org.vitbench.api.Seeds;
import org.vitbench.api.VitModel;
import org.vitbench.metrics.internal.Inputs;

/**
 * The computation behind {@link MaxSensitivity}, {@link AvgSensitivity} and {@link LocalLipschitz}
 * (for the last, the noise and the comparison of {@link Kind#LIPSCHITZ}). Sensitivity (Yeh, Hsieh, Suggala,
 * Inouye &amp; Ravikumar 2019, "On the (In)fidelity and Sensitivity of Explanations", NeurIPS, arXiv
 * 1901.09392): per sample, {@code samples} copies of the image with independent uniform noise in
 * {@code [-radius, radius]} added to every input value, each explained again for the same target
 * class by the method that produced the heatmap, and the relative change
 * {@code ||a - a'||_2 / ||a||_2} of the target map; the score is the largest (max-sensitivity) or
 * the mean (avg-sensitivity) of these. Lower is better.
 *
 * <p>Presets:
 * <ul>
 *   <li>{@code quantus} (default; Quantus {@code MaxSensitivity} / {@code AvgSensitivity},
 *       {@code quantus/metrics/robustness/}): {@code samples} 200, {@code radius} 0.2, similarity
 *       {@code difference}, Frobenius norms of the difference and of the original map,
 *       {@code abs=False}, {@code normalise=False}, no prediction-change check
 *       ({@code return_nan_when_prediction_changes=False});
 *   <li>{@code captum} (Captum {@code sensitivity_max}, {@code captum/metrics/_core/sensitivity.py}):
 *       {@code samples} 10, {@code radius} 0.02, the same ratio.
 * </ul>
 * Both add the noise to the tensor the model is given, that is after normalisation; vitbench's
 * images are in [0, 1] and the model normalises inside, so a pixel of channel {@code c} gets
 * {@code u * std_c} with {@code u} uniform in {@code [-radius, radius]}, which is the same input
 * to the network. The maps are compared on the patch grid: for the nearest-neighbour upsampling of
 * {@link Heatmaps#toPixels} both norms scale by the patch size, so the ratio equals the one on
 * pixel maps. An all-zero original map gives a denominator of 1, as in Captum (Quantus divides by
 * zero).
 *
 * <p>Randomness: the noise from {@code XO_RO_SHI_RO_128_PP} seeded by
 * {@code Seeds.of(runSeed, sampleId, metricId)}; each perturbed copy is explained as a sample of
 * its own, with id {@code sampleId + "#" + metricId + "-" + j}, so a stochastic method (random,
 * SmoothGrad, RISE) draws fresh randomness per copy, as a Quantus {@code explain_func} does.
 *
 * <p>Cost: {@code samples} explanations per sample (200 for the Quantus preset), in calls of
 * {@code batchSize} copies ({@code batchSize}, default 16, changes memory, not scores). The
 * perturbed copies are explained on the explained model with the run's evaluation model offered
 * (ViT Shapley's surrogate), as the run explains. Instances are thread-safe if the model and the
 * method are.
 */
abstract class Sensitivity implements Metric {

    /** Quantus' defaults. */
    static final String QUANTUS = "quantus";
    /** Captum's {@code sensitivity_max} defaults. */
    static final String CAPTUM = "captum";

    /** How the relative changes of one sample become its score. */
    enum Aggregate { MAX, MEAN }

    /** What perturbs the input and how a copy's map is compared with the original. */
    enum Kind {
        /** Yeh et al.: uniform noise of half-width {@code radius}; {@code ||a - a'||_2 / ||a||_2}. */
        SENSITIVITY,
        /**
         * Alvarez-Melis &amp; Jaakkola, as Quantus estimates it: Gaussian noise of {@code std}; both maps
         * divided by their largest absolute value and upsampled to pixels, {@code ||a - a'||_2 /
         * (||x - x'||_2 + 1e-10)} with {@code x} the normalised input.
         */
        LIPSCHITZ
    }

    private static final Parameter<Integer> SAMPLES = Parameter.integer("samples", 200, 1, 1 << 20,
            "perturbed copies explained per sample (Quantus' nr_samples, Captum's n_perturb_samples)");
    private static final Parameter<Double> RADIUS = Parameter.number("radius", 0.2, 0, 1e6,
            "half-width of the uniform noise on the normalised input (Quantus' lower_bound, Captum's perturb_radius)");
    private static final Parameter<Double> STD = Parameter.number("std", 0.1, 0, 1e6,
            "standard deviation of the Gaussian noise on the normalised input (Quantus' perturb_std)");
    private static final Parameter<Integer> BATCH_SIZE = Parameter.integer("batchSize", 16, 1, 1 << 20,
            "perturbed copies per explain call; changes memory, not scores").outsideSpec();

    /** Quantus' {@code lipschitz_constant} guard against a zero input distance. */
    private static final double EPS = 1e-10;

    private final MetricInfo info;
    private final String id;
    private final Kind kind;
    private final Aggregate aggregate;
    private final Arguments arguments;
    private final int samples;
    /** The uniform noise's half-width or the Gaussian noise's standard deviation. */
    private final double scale;
    private final int batchSize;

    Sensitivity(MetricInfo info, Kind kind, Aggregate aggregate, Arguments arguments) {
        this.info = info;
        this.id = info.id();
        this.kind = kind;
        this.aggregate = aggregate;
        this.arguments = arguments;
        this.samples = arguments.get(SAMPLES);
        this.scale = kind == Kind.SENSITIVITY ? arguments.get(RADIUS) : arguments.get(STD);
        this.batchSize = arguments.get(BATCH_SIZE);
    }

    /** The registration of a sensitivity metric: its info, the presets and the parameters. */
    static MetricDeclaration declaration(MetricInfo info, Function<Arguments, Metric> factory) {
        return MetricDeclaration.of(info, List.of(SAMPLES, RADIUS, BATCH_SIZE), factory)
                .preset(CAPTUM, Map.of("samples", "10", "radius", "0.02"));
    }

    /** The registration of the local Lipschitz estimate: Quantus' preset only. */
    static MetricDeclaration lipschitzDeclaration(MetricInfo info, Function<Arguments, Metric> factory) {
        return MetricDeclaration.of(info, List.of(SAMPLES, STD, BATCH_SIZE), factory);
    }

    /** The info of a sensitivity metric. */
    static MetricInfo info(String id, String name, Function<String, String> reference) {
        return new MetricInfo(id, name, Category.ROBUSTNESS, Direction.LOWER_IS_BETTER, Set.of(Requirement.REEXPLAINS),
                List.of(QUANTUS, CAPTUM), reference.apply("Yeh, Hsieh, Suggala, Inouye & Ravikumar 2019, NeurIPS, "
                        + "arXiv 1901.09392"));
    }

    @Override
    public MetricInfo info() {
        return info;
    }

    @Override
    public MetricSpec spec() {
        return arguments.metricSpec();
    }

    @Override
    public MetricResult evaluate(Context context, List<Sample> batch, int[] targets, Heatmaps heatmaps) {
        Context.Explained explained = Inputs.explainedBy(context, id, "explains perturbed copies of the samples again");
        Inputs.check(explained.model().info(), batch, targets, heatmaps);
        double[] scores = new double[batch.size()];
        for (int b = 0; b < batch.size(); b++) {
            Sample sample = batch.get(b);
            Supplier<float[]> noise = noise(Seeds.of(context.seed(), sample.id(), id), kind, scale,
                    sample.image().pixels().length);
            scores[b] = score(changes(context, explained, sample, targets[b], heatmaps.target()[b], samples, noise,
                    heatmaps.grid()), aggregate);
            context.progress().update(b + 1, batch.size());
        }
        return MetricResult.of(scores);
    }

    /**
     * The relative change of the target map for each noise row: the copies explained again in
     * calls of {@code batchSize}, on the explained model with the scoring model offered as the
     * evaluation model.
     *
     * @param original the sample's map, {@code [P]}
     * @param copies how many perturbed copies
     * @param noise the next copy's row of noise on the normalised input (see {@link #perturbed}),
     *     asked for one call at a time, so only {@code batchSize} rows are held at once
     */
    double[] changes(Context context, Context.Explained explained, Sample sample, int target, float[] original,
            int copies, Supplier<float[]> noise, int grid) {
        VitModel model = explained.model();
        double[] changes = new double[copies];
        for (int start = 0; start < copies; start += batchSize) {
            int n = Math.min(batchSize, copies - start);
            float[][] rows = new float[n][];
            List<Sample> perturbed = new ArrayList<>(n);
            for (int j = start; j < start + n; j++) {
                rows[j - start] = noise.get();
                perturbed.add(perturbed(sample, rows[j - start], model.info(), sample.id() + "#" + id + "-" + j));
            }
            int[] copyTargets = new int[n];
            Arrays.fill(copyTargets, target);
            float[][] again;
            try (NDManager scope = context.manager().newSubManager()) {
                Context c = new Context(model, context.seed(), scope, Progress.NONE)
                        .withMemoryBudget(context.memoryBudget()).withEvaluationModel(context.model());
                again = checked(explained.explainer().explain(c, perturbed, copyTargets), perturbed, grid,
                        explained);
            }
            for (int r = 0; r < n; r++) {
                changes[start + r] = kind == Kind.SENSITIVITY ? relativeChange(original, again[r])
                        : lipschitz(original, again[r], rows[r], grid, model.info().patchSize());
            }
        }
        return changes;
    }

    /**
     * Rows of {@code length} noise values on the normalised input (times each channel's std when
     * applied to pixels), each call the next row of one stream from a generator seeded with
     * {@code seed}: uniform in {@code [-scale, scale]} for {@link Kind#SENSITIVITY}, Gaussian with
     * standard deviation {@code scale} for {@link Kind#LIPSCHITZ}.
     */
    static Supplier<float[]> noise(long seed, Kind kind, double scale, int length) {
        UniformRandomProvider rng = RandomSource.XO_RO_SHI_RO_128_PP.create(seed);
        ContinuousSampler gaussian = ZigguratSampler.NormalizedGaussian.of(rng);
        return () -> {
            float[] row = new float[length];
            for (int i = 0; i < length; i++) {
                row[i] = (float) (kind == Kind.SENSITIVITY ? scale * (2 * rng.nextDouble() - 1)
                        : scale * gaussian.sample());
            }
            return row;
        };
    }

    /**
     * Quantus' {@code lipschitz_constant} with Euclidean distances: the maps, each divided by its
     * largest absolute value (an all-zero map stays), upsampled to pixels by nearest neighbour,
     * their distance over the distance of the normalised inputs, {@code ||noise||_2}, plus 1e-10.
     */
    static double lipschitz(float[] original, float[] again, float[] noise, int grid, int patchSize) {
        float[] a = Heatmaps.toPixels(original, grid, patchSize);
        float[] b = Heatmaps.toPixels(again, grid, patchSize);
        double ma = maxAbs(a);
        double mb = maxAbs(b);
        double diff = 0;
        for (int i = 0; i < a.length; i++) {
            double d = (ma == 0 ? a[i] : a[i] / ma) - (mb == 0 ? b[i] : b[i] / mb);
            diff += d * d;
        }
        double input = 0;
        for (float u : noise) {
            input += (double) u * u;
        }
        return Math.sqrt(diff) / (Math.sqrt(input) + EPS);
    }

    private static double maxAbs(float[] v) {
        double m = 0;
        for (float x : v) {
            m = Math.max(m, Math.abs(x));
        }
        return m;
    }

    /**
     * The sample with {@code noise} added in the model's normalised space: pixel {@code i} of
     * channel {@code c} gets {@code noise[i] * std_c}. Label and mask stay.
     */
    static Sample perturbed(Sample sample, float[] noise, ModelInfo info, String id) {
        Image im = sample.image();
        float[] std = info.preprocessing().std();
        int plane = im.height() * im.width();
        float[] px = im.pixels().clone();
        for (int i = 0; i < px.length; i++) {
            px[i] += noise[i] * std[i / plane];
        }
        return new Sample(id, sample.label(), new Image(im.channels(), im.height(), im.width(), px), sample.mask());
    }

    /** {@code ||a - b||_2 / ||a||_2}, with a denominator of 1 when {@code a} is all zero (Captum's rule). */
    static double relativeChange(float[] a, float[] b) {
        double diff = 0;
        double norm = 0;
        for (int i = 0; i < a.length; i++) {
            double d = (double) a[i] - b[i];
            diff += d * d;
            norm += (double) a[i] * a[i];
        }
        return Math.sqrt(diff) / (norm == 0 ? 1 : Math.sqrt(norm));
    }

    /** The largest or the mean relative change. */
    static double score(double[] changes, Aggregate aggregate) {
        return aggregate == Aggregate.MAX ? Arrays.stream(changes).max().orElseThrow()
                : Arrays.stream(changes).average().orElseThrow();
    }

    private static float[][] checked(Heatmaps maps, List<Sample> copies, int grid, Context.Explained explained) {
        String method = explained.explainer().info().id();
        if (maps.batchSize() != copies.size() || maps.grid() != grid) {
            throw new IllegalStateException(method + " returned " + maps.batchSize() + " heatmaps on a " + maps.grid()
                    + "x" + maps.grid() + " grid for " + copies.size() + " perturbed copies on a " + grid + "x" + grid
                    + " grid");
        }
        for (int b = 0; b < copies.size(); b++) {
            float[] map = maps.target()[b];
            for (int i = 0; i < map.length; i++) {
                if (!Float.isFinite(map[i])) {
                    throw new IllegalStateException(method + " gave " + map[i] + " at patch " + i + " of the perturbed "
                            + "copy " + copies.get(b).id() + "; every value must be finite");
                }
            }
        }
        return maps.target();
    }

    @Override
    public String toString() {
        return spec().canonical() + "[batchSize=" + batchSize + "]";
    }
}
