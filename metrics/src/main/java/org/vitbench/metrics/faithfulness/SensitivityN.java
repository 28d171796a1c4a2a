package org.vitbench.metrics.faithfulness;

import ai.djl.ndarray.NDManager;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
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
import org.vitbench.api.Progress;
import org.vitbench.api.Removal;
import org.vitbench.api.Requirement;
import org.vitbench.api.Sample;
import org.vitbench.api.Seeds;
import org.vitbench.api.VitModel;
import org.vitbench.metrics.internal.Inputs;
import org.vitbench.metrics.internal.SubsetCache;
import org.vitbench.metrics.statistics.Correlation;
import org.vitbench.models.masking.MaskedEvaluator;

/**
 * Sensitivity-n: for random sets {@code S} of {@code n} patches, the attributions summed over
 * {@code S} should equal the drop of the target output when {@code S} is removed; the score is
 * the Pearson correlation of the two over the sets, for each {@code n} on a grid (Ancona,
 * Ceolini, Öztireli &amp; Gross 2018, ICLR, arXiv 1711.06104). Higher is better.
 *
 * <p>Preset {@code ancona} (the only preset), with the patch as the feature:
 * <ul>
 *   <li>grid: {@code n_k = round(P * maxFraction * k / points)} for {@code k = 1 .. points},
 *       clamped to {@code [1, P - 1]}, repeated values dropped (they occur when {@code P} is
 *       small). Defaults {@code maxFraction = 0.8} and {@code points = 8}, so
 *       {@code n / P = 0.1, 0.2, ..., 0.8}: the paper runs {@code n} from 1 to about 80% of
 *       the features, as PostHocEval's {@code max_feats = 0.8};
 *   <li>sets: {@code subsets} per {@code n} (default 100, PostHocEval's {@code n_subsets}),
 *       drawn uniformly among the sets of size {@code n} (with replacement between draws) by a
 *       generator seeded with {@code Seeds.of(runSeed, sampleId, "sensitivity-n")} only, so every
 *       method is scored on the same sets;
 *   <li>removal: {@code removal} (default {@code attention-mask}); output: {@code output},
 *       {@code probability} (softmax of the target class, default) or {@code logit}. Ancona et
 *       al. and the research brief lean to the logit; vitbench defaults to the probability so
 *       that the metric reads the same output as deletion and insertion;
 *   <li>drop: {@code f(x) - f(x without S)}; attribution sum: the heatmap summed over
 *       {@code S}, in double;
 *   <li>curve: the Pearson correlation per {@code n}, {@code curveX = n / P};
 *   <li>score: the plain mean of the curve, each {@code n} weighted alike.
 * </ul>
 * Quantus' {@code SensitivityN} computes something else (cumulative ranked removal, correlation
 * across the images of a batch); its numbers are not comparable.
 *
 * <p>When the attribution sums or the drops at one {@code n} are constant (a constant heatmap,
 * a model that ignores the input), the correlation is undefined and counts as 0
 * ({@link Correlation}). A heatmap with a NaN or infinite value fails the batch with the sample
 * named. Model calls per sample: {@code 1 + |grid| * subsets}.
 *
 * <p>The model's outputs on a sample's sets do not depend on the heatmap, so an instance computes
 * them once per (model, sample, target, run seed) and reuses them for every method it scores, in
 * a bounded thread-safe {@link SubsetCache}. Instances are thread-safe if the model is.
 */
public final class SensitivityN implements Metric {

    /** The stable id. */
    public static final String ID = "sensitivity-n";

    /** The paper's protocol with patches as features. */
    public static final String ANCONA = "ancona";

    /** The model's output that is correlated. */
    public enum Output {
        /** Softmax probability of the target class. */
        PROBABILITY,
        /** Pre-softmax logit of the target class. */
        LOGIT;

        String id() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    public static final double DEFAULT_MAX_FRACTION = 0.8;
    public static final int DEFAULT_POINTS = 8;
    public static final int DEFAULT_SUBSETS = 100;
    public static final int DEFAULT_BATCH_SIZE = 64;

    private static final MetricInfo INFO = new MetricInfo(ID, "Sensitivity-n", Category.FAITHFULNESS,
            Direction.HIGHER_IS_BETTER, Set.of(Requirement.MASKING), List.of(ANCONA),
            "Ancona, Ceolini, Oztireli & Gross 2018, ICLR, arXiv 1711.06104");

    private static final Parameter<Removal> REMOVAL = Removal.parameter(Removal.ATTENTION_MASK);
    private static final Parameter<Output> OUTPUT = Parameter.oneOf("output", Output.PROBABILITY,
            List.of(Output.PROBABILITY, Output.LOGIT), Output::id, "the output whose change is correlated");
    private static final Parameter<Double> MAX_FRACTION = Parameter.number("maxFraction", DEFAULT_MAX_FRACTION, 0, 1,
            "the largest subset size, as a fraction of the patches, in (0, 1]");
    private static final Parameter<Integer> POINTS = Parameter.integer("points", DEFAULT_POINTS, 1, 1000,
            "subset sizes on the curve");
    private static final Parameter<Integer> SUBSETS = Parameter.integer("subsets", DEFAULT_SUBSETS, 2, 1 << 20,
            "random subsets per size");
    private static final Parameter<Integer> BATCH_SIZE = Parameter.integer("batchSize", DEFAULT_BATCH_SIZE, 1,
            1 << 20, "masked images per model call; changes memory, not scores").outsideSpec();

    /** The registration: parameters and factory. */
    public static final MetricDeclaration DECLARATION = MetricDeclaration.of(INFO, List.of(REMOVAL, OUTPUT,
            MAX_FRACTION, POINTS, SUBSETS, BATCH_SIZE), SensitivityN::new);

    private final Arguments arguments;
    private final Removal removal;
    private final Output output;
    private final double maxFraction;
    private final int points;
    private final int subsets;
    private final int batchSize;
    private final SubsetCache cache = new SubsetCache();

    /**
     * @param removal how removed patches are held out
     * @param output the target output that is correlated
     * @param maxFraction the largest {@code n / P} of the grid, in (0, 1]
     * @param points grid points, at least 1
     * @param subsets random sets per {@code n}, at least 2
     * @param batchSize masked images per model call, at least 1; does not change scores
     */
    public SensitivityN(Removal removal, Output output, double maxFraction, int points, int subsets, int batchSize) {
        this(DECLARATION.resolve(Map.of(REMOVAL.name(), removal.id(), OUTPUT.name(), output.id(),
                MAX_FRACTION.name(), Double.toString(maxFraction), POINTS.name(), Integer.toString(points),
                SUBSETS.name(), Integer.toString(subsets), BATCH_SIZE.name(), Integer.toString(batchSize))));
    }

    /** The defaults: attention masking, probability, {@code n / P = 0.1 .. 0.8}, 100 sets per n. */
    public SensitivityN() {
        this(DECLARATION.resolve(Map.of()));
    }

    private SensitivityN(Arguments arguments) {
        this.arguments = arguments;
        this.removal = arguments.get(REMOVAL);
        this.output = arguments.get(OUTPUT);
        this.maxFraction = arguments.get(MAX_FRACTION);
        if (maxFraction == 0) {
            throw new ConfigurationException("invalid value '0' for parameter 'maxFraction' of " + ID
                    + "; allowed: a number in (0, 1]");
        }
        this.points = arguments.get(POINTS);
        this.subsets = arguments.get(SUBSETS);
        this.batchSize = arguments.get(BATCH_SIZE);
    }

    /** Creates the metric from validated parameters; unknown keys fail. */
    public static SensitivityN create(Parameters parameters) {
        return (SensitivityN) DECLARATION.create(parameters);
    }

    @Override
    public MetricInfo info() {
        return INFO;
    }

    @Override
    public MetricSpec spec() {
        return arguments.metricSpec();
    }

    /**
     * The sizes {@code n} of the grid for {@code p} patches, increasing and distinct.
     *
     * @throws IllegalArgumentException when {@code p < 2} (no {@code n} leaves a patch)
     */
    public int[] grid(int p) {
        if (p < 2) {
            throw new IllegalArgumentException("sensitivity-n needs at least 2 patches, got " + p);
        }
        TreeSet<Integer> sizes = new TreeSet<>();
        for (int k = 1; k <= points; k++) {
            long n = Math.round(p * maxFraction * k / points);
            sizes.add((int) Math.max(1, Math.min(p - 1, n)));
        }
        return sizes.stream().mapToInt(Integer::intValue).toArray();
    }

    @Override
    public MetricResult evaluate(Context context, List<Sample> batch, int[] targets, Heatmaps heatmaps) {
        VitModel model = context.model();
        ModelInfo info = model.info();
        Inputs.check(info, batch, targets, heatmaps);
        int p = info.numPatches();
        int[] grid = grid(p);
        double[] scores = new double[batch.size()];
        double[][] curves = new double[batch.size()][];
        for (int b = 0; b < batch.size(); b++) {
            Sample sample = batch.get(b);
            int[][][] sets = sets(context.seed(), sample.id(), p, grid); // [|grid|][subsets][n]
            int target = targets[b];
            double[] outputs = cache.get(model, sample, target, context.seed(),
                    () -> outputs(context, model, sample, target, sets));
            float[] map = heatmaps.target()[b];
            curves[b] = new double[grid.length];
            double[] sums = new double[subsets];
            double[] drops = new double[subsets];
            for (int g = 0; g < grid.length; g++) {
                for (int j = 0; j < subsets; j++) {
                    double sum = 0;
                    for (int i : sets[g][j]) {
                        sum += map[i];
                    }
                    sums[j] = sum;
                    drops[j] = outputs[0] - outputs[1 + g * subsets + j];
                }
                curves[b][g] = Correlation.undefinedAsZero(Correlation.pearson(sums, drops));
            }
            scores[b] = Arrays.stream(curves[b]).average().orElseThrow();
            context.progress().update(b + 1, batch.size());
        }
        double[] x = Arrays.stream(grid).mapToDouble(n -> (double) n / p).toArray();
        return new MetricResult(scores, curves, x);
    }

    /**
     * The removed sets of one sample: for each {@code n} of the grid, {@code subsets} uniform
     * draws of {@code n} distinct patches (a partial Fisher-Yates shuffle), from a generator that
     * depends on the run seed and the sample id only.
     */
    private int[][][] sets(long seed, String sampleId, int p, int[] grid) {
        UniformRandomProvider rng = RandomSource.XO_RO_SHI_RO_128_PP.create(Seeds.of(seed, sampleId, ID));
        int[][][] sets = new int[grid.length][subsets][];
        int[] indices = new int[p];
        for (int g = 0; g < grid.length; g++) {
            for (int j = 0; j < subsets; j++) {
                Arrays.setAll(indices, i -> i);
                for (int i = 0; i < grid[g]; i++) {
                    int r = i + rng.nextInt(p - i);
                    int t = indices[i];
                    indices[i] = indices[r];
                    indices[r] = t;
                }
                sets[g][j] = Arrays.copyOf(indices, grid[g]);
            }
        }
        return sets;
    }

    /** The target output on the full image (index 0), then with each set removed, in grid order. */
    private double[] outputs(Context context, VitModel model, Sample sample, int target, int[][][] sets) {
        int p = model.info().numPatches();
        int rows = 1;
        for (int[][] perN : sets) {
            rows += perN.length;
        }
        boolean[][] keep = new boolean[rows][p];
        Arrays.fill(keep[0], true);
        int row = 1;
        for (int[][] perN : sets) {
            for (int[] set : perN) {
                Arrays.fill(keep[row], true);
                for (int i : set) {
                    keep[row][i] = false;
                }
                row++;
            }
        }
        MaskedEvaluator evaluator = MaskedEvaluator.within(removal, batchSize, model.info(), context.memoryBudget());
        double[][] values;
        try (NDManager scope = context.manager().newSubManager()) {
            values = output == Output.PROBABILITY
                    ? evaluator.evaluate(model, Batches.images(scope, List.of(sample), model.info()), keep,
                            MaskedEvaluator.Output.TARGET_PROBABILITY, target, Progress.NONE)
                    : evaluator.evaluate(model, Batches.images(scope, List.of(sample), model.info()), keep,
                            MaskedEvaluator.Output.LOGITS, target, Progress.NONE);
        }
        int column = output == Output.PROBABILITY ? 0 : target;
        return Arrays.stream(values).mapToDouble(v -> v[column]).toArray();
    }

    @Override
    public String toString() {
        return spec().canonical() + "[batchSize=" + batchSize + "]";
    }
}
