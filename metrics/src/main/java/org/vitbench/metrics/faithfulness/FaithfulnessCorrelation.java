package org.vitbench.metrics.faithfulness;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.apache.commons.rng.UniformRandomProvider;
import org.apache.commons.rng.simple.RandomSource;
import org.vitbench.api.Arguments;
import org.vitbench.api.Batches;
import org.vitbench.api.Category;
import org.vitbench.api.ConfigurationException;
import org.vitbench.api.Context;
import org.vitbench.api.Direction;
import org.vitbench.api.Heatmaps;
import org.vitbench.api.Metric;
import org.vitbench.api.MetricDeclaration;
import org.vitbench.api.MetricInfo;
import org.vitbench.api.MetricResult;
import org.vitbench.api.MetricSpec;
import org.vitbench.api.ModelInfo;
import org.vitbench.api.Parameter;
import org.vitbench.api.Parameters;
import org.vitbench.api.Sample;
import org.vitbench.api.Seeds;
import org.vitbench.api.VitModel;
import org.vitbench.metrics.internal.Inputs;
import org.vitbench.metrics.internal.SubsetCache;
import org.vitbench.metrics.statistics.Correlation;
import org.vitbench.models.masking.MaskedEvaluator;

/**
 * Faithfulness correlation: the Pearson correlation, over random pixel subsets {@code S} of a fixed
 * size, between the attributions summed over {@code S} and the drop of the target logit when the
 * pixels of {@code S} are replaced by a baseline (Bhatt, Weller &amp; Moura 2020, "Evaluating and
 * Aggregating Feature-based Model Explanations", IJCAI, arXiv 2005.00631; Quantus
 * {@code FaithfulnessCorrelation}, {@code quantus/metrics/faithfulness/faithfulness_correlation.py}).
 * In {@code [-1, 1]}, higher is better.
 *
 * <p>Preset {@code quantus} (its defaults):
 * <ul>
 *   <li>the target-class map upsampled to the model's {@code S x S} input by nearest neighbour
 *       ({@link Heatmaps#toPixels}), signed ({@code abs=False}; the default normalisation scales
 *       the sums and so leaves the correlation unchanged);
 *   <li>{@code runs} subsets per sample (default 100, {@code nr_runs}), each {@code subsetSize}
 *       distinct pixels drawn uniformly (default 224, {@code subset_size}; it must be below
 *       {@code S^2}, 784 for the embedded model), replaced in every channel;
 *   <li>{@code baseline} {@code black} (default: the image's smallest value, Quantus'
 *       {@code arr.min()}), {@code white} (its largest) or {@code mean} (its mean); vitbench's
 *       models take images in [0, 1] and normalise inside, so these are taken in [0, 1] space,
 *       which equals Quantus' normalised-space value for one channel;
 *   <li>the output is the target logit ({@code softmax=False}); the delta is
 *       {@code y(x) - y(x with S replaced)}; the similarity is Pearson's r.
 * </ul>
 * Seeding: {@code Seeds.of(runSeed, sampleId, "faithfulness-correlation")}, so every method of a
 * sample sees the same subsets (Quantus draws from NumPy's global generator). Where the sums or
 * the deltas are constant (an all-zero map), the correlation is undefined and counts as 0 as in
 * {@link Faithfulness} (scipy returns NaN). Model calls per sample: {@code runs + 1}, once per
 * sample for all methods: the deltas do not depend on the map and are cached
 * ({@link SubsetCache}). Instances are thread-safe if the model is.
 */
public final class FaithfulnessCorrelation implements Metric {

    /** The stable id. */
    public static final String ID = "faithfulness-correlation";

    /** Quantus' defaults. */
    public static final String QUANTUS = "quantus";

    /** The value that replaces a subset's pixels, from the image itself. */
    public enum Baseline {
        /** The image's smallest value (Quantus' {@code "black"}). */
        BLACK,
        /** The image's largest value (Quantus' {@code "white"}). */
        WHITE,
        /** The image's mean value (Quantus' {@code "mean"}). */
        MEAN;

        double of(float[] pixels) {
            double min = Double.POSITIVE_INFINITY;
            double max = Double.NEGATIVE_INFINITY;
            double sum = 0;
            for (float v : pixels) {
                min = Math.min(min, v);
                max = Math.max(max, v);
                sum += v;
            }
            return switch (this) {
                case BLACK -> min;
                case WHITE -> max;
                case MEAN -> sum / pixels.length;
            };
        }
    }

    private static final MetricInfo INFO = new MetricInfo(ID, "Faithfulness correlation", Category.FAITHFULNESS,
            Direction.HIGHER_IS_BETTER, Set.of(), List.of(QUANTUS),
            "Bhatt, Weller & Moura 2020, IJCAI, arXiv 2005.00631; Quantus FaithfulnessCorrelation");

    private static final Parameter<Integer> RUNS = Parameter.integer("runs", 100, 2, 1 << 20,
            "random pixel subsets per image (Quantus' nr_runs)");
    private static final Parameter<Integer> SUBSET_SIZE = Parameter.integer("subsetSize", 224, 1, Integer.MAX_VALUE,
            "pixels per subset (Quantus' subset_size); below the image's pixel count");
    private static final Parameter<Baseline> BASELINE = Parameter.oneOf("baseline", Baseline.BLACK,
            List.of(Baseline.values()), b -> b.name().toLowerCase(Locale.ROOT),
            "what replaces a subset: the image's black (min), white (max) or mean value");
    private static final Parameter<Integer> BATCH_SIZE = Parameter.integer("batchSize", 64, 1, 1 << 20,
            "perturbed images per model call; changes memory, not scores").outsideSpec();

    /** The registration: parameters and factory. */
    public static final MetricDeclaration DECLARATION = MetricDeclaration.of(INFO, List.of(RUNS, SUBSET_SIZE,
            BASELINE, BATCH_SIZE), FaithfulnessCorrelation::new);

    private final Arguments arguments;
    private final int runs;
    private final int subsetSize;
    private final Baseline baseline;
    private final int batchSize;
    private final SubsetCache cache = new SubsetCache();

    /** Quantus' defaults: 100 subsets of 224 pixels, black baseline. */
    public FaithfulnessCorrelation() {
        this(DECLARATION.resolve(Map.of()));
    }

    private FaithfulnessCorrelation(Arguments arguments) {
        this.arguments = arguments;
        this.runs = arguments.get(RUNS);
        this.subsetSize = arguments.get(SUBSET_SIZE);
        this.baseline = arguments.get(BASELINE);
        this.batchSize = arguments.get(BATCH_SIZE);
    }

    /** Creates the metric from validated parameters; unknown keys fail. */
    public static FaithfulnessCorrelation create(Parameters parameters) {
        return (FaithfulnessCorrelation) DECLARATION.create(parameters);
    }

    @Override
    public MetricInfo info() {
        return INFO;
    }

    @Override
    public MetricSpec spec() {
        return arguments.metricSpec();
    }

    @Override
    public MetricResult evaluate(Context context, List<Sample> batch, int[] targets, Heatmaps heatmaps) {
        VitModel model = context.model();
        ModelInfo info = model.info();
        Inputs.check(info, batch, targets, heatmaps);
        int pixels = info.imageSize() * info.imageSize();
        if (subsetSize >= pixels) {
            throw new ConfigurationException(ID + ": subsetSize=" + subsetSize + " is not below the " + pixels
                    + " pixels of model " + info.name() + "'s " + info.imageSize() + "x" + info.imageSize()
                    + " input; give a smaller one, for example " + ID + ":subsetSize="
                    + Math.max(1, Math.round(pixels * 224.0 / (224 * 224)))
                    + " (the share of Quantus' 224 of 224x224), or " + pixels / 4 + " for a quarter");
        }
        double[] scores = new double[batch.size()];
        for (int b = 0; b < batch.size(); b++) {
            Sample sample = batch.get(b);
            int[][] subsets = subsets(context.seed(), sample.id(), pixels);
            int target = targets[b];
            double[] deltas = cache.get(model, sample, target, context.seed(),
                    () -> deltas(context, sample, target, subsets));
            float[] map = Heatmaps.toPixels(heatmaps.target()[b], heatmaps.grid(), info.patchSize());
            scores[b] = correlation(map, subsets, deltas);
            context.progress().update(b + 1, batch.size());
        }
        return MetricResult.of(scores);
    }

    /**
     * Pearson's r between the map's sums over the subsets and the deltas; 0 where undefined.
     *
     * @param map {@code [S * S]} pixel attributions
     * @param subsets {@code [runs][subsetSize]} pixel indices
     * @param deltas {@code [runs]}: the target output's drop per subset
     */
    static double correlation(float[] map, int[][] subsets, double[] deltas) {
        double[] sums = new double[subsets.length];
        for (int j = 0; j < subsets.length; j++) {
            for (int p : subsets[j]) {
                sums[j] += map[p];
            }
        }
        return Correlation.undefinedAsZero(Correlation.pearson(sums, deltas));
    }

    /** {@code runs} subsets of {@code subsetSize} distinct pixels, each a partial Fisher-Yates shuffle. */
    private int[][] subsets(long seed, String sampleId, int pixels) {
        UniformRandomProvider rng = RandomSource.XO_RO_SHI_RO_128_PP.create(Seeds.of(seed, sampleId, ID));
        int[][] subsets = new int[runs][subsetSize];
        int[] indices = new int[pixels];
        for (int j = 0; j < runs; j++) {
            for (int i = 0; i < pixels; i++) {
                indices[i] = i;
            }
            for (int i = 0; i < subsetSize; i++) {
                int r = i + rng.nextInt(pixels - i);
                int t = indices[i];
                indices[i] = indices[r];
                indices[r] = t;
                subsets[j][i] = indices[i];
            }
        }
        return subsets;
    }

    /**
     * The drops of the target logit, {@code y(x) - y(x with subset j replaced)}, per subset.
     *
     * @param subsets {@code [runs][k]} pixel indices of the {@code S x S} grid; every channel is replaced
     */
    double[] deltas(Context context, Sample sample, int target, int[][] subsets) {
        VitModel model = context.model();
        ModelInfo info = model.info();
        int channels = info.channels();
        int plane = info.imageSize() * info.imageSize();
        float[] image = sample.image().pixels();
        float fill = (float) baseline.of(image);
        int chunk = Math.max(1, Math.min(batchSize,
                MaskedEvaluator.batchSizeFor(info, context.memoryBudget())));
        double[] deltas = new double[subsets.length];
        try (NDManager scope = context.manager().newSubManager()) {
            double original = targetLogits(model, Batches.images(scope, List.of(sample), info), target)[0];
            for (int start = 0; start < subsets.length; start += chunk) {
                int n = Math.min(chunk, subsets.length - start);
                float[] perturbed = new float[n * image.length];
                for (int r = 0; r < n; r++) {
                    System.arraycopy(image, 0, perturbed, r * image.length, image.length);
                    for (int p : subsets[start + r]) {
                        for (int c = 0; c < channels; c++) {
                            perturbed[r * image.length + c * plane + p] = fill;
                        }
                    }
                }
                try (NDManager step = scope.newSubManager()) {
                    NDArray images = step.create(perturbed, new Shape(n, channels, info.imageSize(), info.imageSize()));
                    double[] logits = targetLogits(model, images, target);
                    for (int r = 0; r < n; r++) {
                        deltas[start + r] = original - logits[r];
                    }
                }
            }
        }
        return deltas;
    }

    private static double[] targetLogits(VitModel model, NDArray images, int target) {
        float[][] rows = Batches.rows(model.logits(images));
        double[] out = new double[rows.length];
        for (int r = 0; r < rows.length; r++) {
            out[r] = rows[r][target];
        }
        return out;
    }

    @Override
    public String toString() {
        return spec().canonical() + "[batchSize=" + batchSize + "]";
    }
}
