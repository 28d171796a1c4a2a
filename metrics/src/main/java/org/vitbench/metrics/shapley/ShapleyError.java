package org.vitbench.metrics.shapley;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
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
import org.vitbench.models.masking.CoalitionGame;
import org.vitbench.models.masking.MaskedEvaluator;
import org.vitbench.models.masking.ShapleyRegression;
import org.vitbench.models.masking.ShapleyRegression.Estimate;
import org.vitbench.models.masking.ShapleyRegression.Settings;
import org.vitbench.models.masking.ShapleyRegression.Variant;

/**
 * ViT Shapley's estimation error: the L2 distance between a heatmap and ground-truth Shapley values
 * of the evaluation model, the players being the patches and the value of a patch subset the
 * model's softmax probabilities with only that subset kept (Covert, Kim &amp; Lee 2023, ICLR, arXiv
 * 2206.05282, stage "9_estimationerror"). Lower is better; a method that returns the Shapley values
 * themselves scores about the truth's own sampling error.
 *
 * <p>Ground truth, per sample: KernelSHAP with the efficiency constraint imposed exactly
 * ({@link ShapleyRegression}, Covert &amp; Lee 2021, arXiv 2012.01536) on the game
 * {@link MaskedEvaluator#game} of {@code context.model()} (for the ViT Shapley protocol, the
 * surrogate) with {@link MaskedEvaluator.Output#PROBABILITIES}, all {@code K} classes jointly:
 * <ul>
 *   <li>{@code subsets} paired coalitions per iteration (default 128, i.e. 256 evaluations), each
 *       with its complement, drawn from the Shapley kernel;
 *   <li>{@code budget} evaluations per image (default 4096), {@code v(empty)} and {@code v(all)}
 *       included, so whole iterations up to it run;
 *   <li>{@code threshold} (default 0, the whole budget): stop early when shapley-regression's
 *       std ratio falls below it; the reference's ground truth uses 0.1 with no budget;
 *   <li>{@code removal} {@code token-drop} (default) or {@code attention-mask}: for a ViT whose
 *       output is read at CLS with absolute position embeddings the two are equal, and dropping
 *       tokens is cheaper;
 *   <li>the generator {@code XO_RO_SHI_RO_128_PP} seeded by
 *       {@code Seeds.of(runSeed, sampleId, "shapley-error/truth")}, so the truth of a sample does not
 *       depend on the batch or on the method being scored, but does depend on the run seed.
 * </ul>
 *
 * <p>Score ({@code preset = kernel-shap}, the only one): with {@code classes=target} (default) the
 * L2 distance {@code ||h - phi_t||_2} between the target map {@code h} ({@code [P]}) and the truth
 * of the target class {@code phi_t}; with {@code classes=non-target} the mean of that distance over
 * the {@code K - 1} other classes, each with its own map, which requires
 * {@link Requirement#ALL_CLASSES}. The distance is in units of probability and is not normalised:
 * as in the reference, methods whose maps are on another scale (attention, gradients) are compared
 * as they are. The reference's Pearson and Spearman correlations have the opposite direction and
 * are not scores of this metric, whose {@link MetricInfo#direction()} is fixed per id.
 *
 * <p>Cost: one truth per (model, sample, target, run seed) and truth settings in a JVM, shared by
 * every instance of this metric and of {@link ShapleyCorrelation} with the same settings, that is
 * {@code 2 + 2 * subsets * floor((budget - 2) / (2 * subsets))} masked forward passes (3842 by
 * default) per sample however many methods the instance scores; it is kept in a bounded
 * thread-safe {@link SubsetCache} (the model compared by identity, the image by a pixel
 * fingerprint), which holds the target row only, or all {@code K} rows for {@code non-target}.
 * {@code batchSize} (default 64) sets the masked images per forward pass, which changes memory
 * but not scores.
 *
 * <p>A heatmap with a NaN or infinite value fails the batch with the sample named. Instances are
 * thread-safe if the model is.
 */
public final class ShapleyError implements Metric {

    /** The stable id. */
    public static final String ID = "shapley-error";

    /** The only preset: KernelSHAP ground truth as in the reference's estimation-error stage. */
    public static final String KERNEL_SHAP = "kernel-shap";

    /** The component id of the truth's generator seed. */
    static final String TRUTH_COMPONENT = ID + "/truth";

    // The default run's cost (4k forwards/image); ViT Shapley's truth runs to convergence at threshold 0.1 (~150k+).
    public static final int DEFAULT_BUDGET = 4096;
    public static final int DEFAULT_SUBSETS = 128;
    public static final double DEFAULT_THRESHOLD = 0;
    public static final int DEFAULT_BATCH_SIZE = 64;

    /** Cached truths with all classes: {@code K * P} doubles each (1.5 MB for ImageNet ViT-B/16). */
    private static final int ALL_CLASSES_CAPACITY = 128;

    private static final String REFERENCE = "Covert, Kim & Lee 2023, ICLR, arXiv 2206.05282 (stage "
            + "9_estimationerror); KernelSHAP: Covert & Lee 2021, AISTATS, arXiv 2012.01536";

    private static final MetricInfo INFO = info(Set.of(Requirement.MASKING));

    private static final Parameter<Integer> BUDGET = Parameter.integer("budget", DEFAULT_BUDGET, 1, Integer.MAX_VALUE,
            "evaluations per image for the reference values");
    private static final Parameter<Integer> SUBSETS = Parameter.integer("subsets", DEFAULT_SUBSETS, 1, 1 << 16,
            "paired coalitions per iteration");
    private static final Parameter<Double> THRESHOLD = Parameter.number("threshold", DEFAULT_THRESHOLD, 0, 1,
            "stop when the std ratio falls below it; 0 spends the whole budget");
    private static final Parameter<Removal> REMOVAL = Parameter.oneOf("removal", Removal.TOKEN_DROP,
            List.of(Removal.TOKEN_DROP, Removal.ATTENTION_MASK), Removal::id, "how absent patches are removed");
    private static final Parameter<String> CLASSES = Parameter.choice("classes", "target",
            List.of("target", "non-target"), "score the target's map, or every other class's map");
    private static final Parameter<Integer> BATCH_SIZE = Parameter.integer("batchSize", DEFAULT_BATCH_SIZE, 1,
            1 << 20, "masked images per model call; changes memory, not scores").outsideSpec();

    /** The parameters of the reference values, shared with {@link ShapleyCorrelation}. */
    static final List<Parameter<?>> TRUTH = List.of(BUDGET, SUBSETS, THRESHOLD, REMOVAL, CLASSES, BATCH_SIZE);

    /** The registration: parameters and factory. */
    public static final MetricDeclaration DECLARATION = MetricDeclaration.of(INFO, TRUTH, ShapleyError::new);

    private final Arguments arguments;
    private final Settings settings;
    private final Removal removal;
    private final boolean nonTarget;
    private final int batchSize;
    private final SubsetCache cache;
    private final java.util.concurrent.atomic.AtomicLong computed = new java.util.concurrent.atomic.AtomicLong();

    /**
     * @param budget game evaluations of the truth per sample, at least {@code 2 + 2 * subsets}
     * @param subsets paired coalitions per KernelSHAP iteration, at least 1
     * @param threshold the std ratio below which the truth stops early, at least 0; 0 runs the budget
     * @param removal {@link Removal#TOKEN_DROP} or {@link Removal#ATTENTION_MASK}
     * @param nonTarget score the mean over the non-target classes instead of the target class
     * @param batchSize masked images per forward pass, at least 1; does not change scores
     * @throws IllegalArgumentException naming the bad value
     */
    public ShapleyError(long budget, int subsets, double threshold, Removal removal, boolean nonTarget,
            int batchSize) {
        this(DECLARATION.resolve(Map.of(BUDGET.name(), Long.toString(budget), SUBSETS.name(), Integer.toString(subsets),
                THRESHOLD.name(), Double.toString(threshold), REMOVAL.name(), removal.id(), CLASSES.name(),
                nonTarget ? "non-target" : "target", BATCH_SIZE.name(), Integer.toString(batchSize))));
    }

    /** The truths of {@code arguments}, which hold {@link #TRUTH} (a correlation's arguments hold more). */
    ShapleyError(Arguments arguments) {
        int subsets = arguments.get(SUBSETS);
        long minimum = Settings.minimumBudget(subsets, true);
        int budget = arguments.get(BUDGET);
        if (budget < minimum) {
            throw new ConfigurationException("parameter 'budget' of " + arguments.metricSpec().metricId() + " is "
                    + budget + " evaluations, which does not allow one iteration of " + subsets + " paired subsets; it "
                    + "must be at least " + minimum);
        }
        this.arguments = arguments;
        // varianceBatches 0 and 5 block estimates: shapley-regression's convergence rule, as the reference.
        this.settings = new Settings(subsets, true, arguments.get(THRESHOLD), 0, 5, budget, Variant.KERNEL);
        this.removal = arguments.get(REMOVAL);
        this.nonTarget = arguments.get(CLASSES).equals("non-target");
        this.batchSize = arguments.get(BATCH_SIZE);
        this.cache = SHARED.computeIfAbsent(truthKey(), k -> nonTarget ? new SubsetCache(ALL_CLASSES_CAPACITY)
                : new SubsetCache());
    }

    /**
     * Truth caches by truth settings, shared by every instance in this JVM (of this metric and of
     * {@link ShapleyCorrelation}), so a truth is computed once per (model, sample, target, seed)
     * whichever metric asks first.
     */
    private static final ConcurrentHashMap<String, SubsetCache> SHARED = new ConcurrentHashMap<>();

    /** What the truth depends on besides model, sample, target and seed (the batch size does not change it). */
    private String truthKey() {
        return settings.budget() + "/" + settings.subsets() + "/" + settings.threshold() + "/" + removal.id() + "/"
                + (nonTarget ? "all-classes" : "target");
    }

    /** The defaults: 4096 evaluations, 128 paired subsets, no early stop, token dropping, target class. */
    public ShapleyError() {
        this(DECLARATION.resolve(Map.of()));
    }

    /** Creates the metric from validated parameters; unknown keys and bad values fail. */
    public static ShapleyError create(Parameters parameters) {
        return (ShapleyError) DECLARATION.create(parameters);
    }

    private static MetricInfo info(Set<Requirement> requirements) {
        return new MetricInfo(ID, "Shapley estimation error (L2)", Category.ESTIMATION, Direction.LOWER_IS_BETTER,
                requirements, List.of(KERNEL_SHAP), REFERENCE);
    }

    /** The metric's description; with {@code classes=non-target} it also requires every class's map. */
    @Override
    public MetricInfo info() {
        return nonTarget ? info(Set.of(Requirement.MASKING, Requirement.ALL_CLASSES)) : INFO;
    }

    @Override
    public MetricSpec spec() {
        return MetricSpec.of(ID, KERNEL_SHAP, truthParameters());
    }

    @Override
    public MetricResult evaluate(Context context, List<Sample> batch, int[] targets, Heatmaps heatmaps) {
        VitModel model = context.model();
        ModelInfo info = model.info();
        Inputs.check(info, batch, targets, heatmaps);
        if (nonTarget) {
            checkPerClass(info, batch, heatmaps);
        }
        double[] scores = new double[batch.size()];
        for (int b = 0; b < batch.size(); b++) {
            Truth truth = truth(context, batch.get(b), targets[b]);
            int t = targets[b];
            if (!nonTarget) {
                scores[b] = l2(heatmaps.target()[b], truth.values()[t]);
            } else {
                double sum = 0;
                for (int c = 0; c < info.numClasses(); c++) {
                    if (c != t) {
                        sum += l2(heatmaps.perClass()[b][c], truth.values()[c]);
                    }
                }
                // One class has no non-target class; its mean is undefined.
                scores[b] = info.numClasses() > 1 ? sum / (info.numClasses() - 1) : Double.NaN;
            }
            context.progress().update(b + 1, batch.size());
        }
        return MetricResult.of(scores);
    }

    /**
     * The ground truth of a sample for this instance's settings, from the cache or computed now.
     *
     * @return rows {@code [K][P]}: the target row always, the others only for {@code non-target}
     */
    Truth truth(Context context, Sample sample, int target) {
        VitModel model = context.model();
        return Truth.unpack(cache.get(model, sample, target, context.seed(), () -> {
            computed.incrementAndGet();
            return compute(context, model, sample, target).pack(nonTarget);
        }));
    }

    /** Truths computed (not served from the shared cache) by this instance so far. */
    long truthComputations() {
        return computed.get();
    }

    /** Whether this instance scores the non-target classes. */
    boolean nonTarget() {
        return nonTarget;
    }

    /** The truth settings as spec parameters (shared with {@link ShapleyCorrelation}). */
    Map<String, String> truthParameters() {
        Map<String, String> parameters = new TreeMap<>();
        TRUTH.forEach(p -> {
            String value = arguments.spec().get(p.name());
            if (value != null) {
                parameters.put(p.name(), value);
            }
        });
        return parameters;
    }

    private Truth compute(Context context, VitModel model, Sample sample, int target) {
        try (NDManager scope = context.manager().newSubManager()) {
            NDArray image = Batches.images(scope, List.of(sample), model.info()); // [1, C, S, S]
            CoalitionGame game = MaskedEvaluator.within(removal, batchSize, model.info(), context.memoryBudget()).game(model, image,
                    MaskedEvaluator.Output.PROBABILITIES, 0, Progress.NONE);
            Estimate e = ShapleyRegression.estimate(game, settings,
                    RandomSource.XO_RO_SHI_RO_128_PP.create(Seeds.of(context.seed(), sample.id(), TRUTH_COMPONENT)));
            double variance = 0;
            for (double s : e.std()[target]) {
                variance += s * s;
            }
            return new Truth(target, e.values(), e.evaluations(), e.ratio(), Math.sqrt(variance));
        }
    }

    private static void checkPerClass(ModelInfo info, List<Sample> batch, Heatmaps heatmaps) {
        if (heatmaps.perClass() == null) {
            throw new IllegalArgumentException(ID + " with classes=non-target needs a map for every class "
                    + "(requirement ALL_CLASSES), but the heatmaps hold the target class only");
        }
        for (int b = 0; b < batch.size(); b++) {
            float[][] maps = heatmaps.perClass()[b];
            if (maps.length != info.numClasses()) {
                throw new IllegalArgumentException("sample " + batch.get(b).id() + " has maps for " + maps.length
                        + " classes, model " + info.name() + " has " + info.numClasses());
            }
            for (int c = 0; c < maps.length; c++) {
                for (int i = 0; i < maps[c].length; i++) {
                    if (!Float.isFinite(maps[c][i])) {
                        throw new IllegalArgumentException("heatmap of sample " + batch.get(b).id() + ", class " + c
                                + " has " + maps[c][i] + " at index " + i + "; every value must be finite");
                    }
                }
            }
        }
    }

    /** {@code ||map - truth||_2} in double. */
    static double l2(float[] map, double[] truth) {
        double sum = 0;
        for (int i = 0; i < map.length; i++) {
            double d = map[i] - truth[i];
            sum += d * d;
        }
        return Math.sqrt(sum);
    }

    @Override
    public String toString() {
        return spec().canonical() + "[batchSize=" + batchSize + "]";
    }

    /**
     * The ground truth of one sample and its own uncertainty.
     *
     * @param target the explained class
     * @param values {@code [K][P]} Shapley values in probability units; rows other than the target's
     *     are {@code null} when the instance scores the target class only
     * @param evaluations game evaluations spent, {@code v(empty)} and {@code v(all)} included
     * @param ratio shapley-regression's convergence ratio, NaN when the run was too short for five
     *     block estimates
     * @param l2Std {@code sqrt(sum_i std_i^2)} of the target row, the expected L2 error of the truth
     *     itself; NaN when {@code ratio} is
     */
    record Truth(int target, double[][] values, long evaluations, double ratio, double l2Std) {

        private static final int HEADER = 6;

        /** {@code [target, K, stored rows, evaluations, ratio, l2Std, rows...]} for {@link SubsetCache}. */
        double[] pack(boolean allRows) {
            int k = values.length;
            int p = values[target].length;
            int rows = allRows ? k : 1;
            double[] packed = new double[HEADER + rows * p];
            packed[0] = target;
            packed[1] = k;
            packed[2] = rows;
            packed[3] = evaluations;
            packed[4] = ratio;
            packed[5] = l2Std;
            for (int r = 0; r < rows; r++) {
                System.arraycopy(values[allRows ? r : target], 0, packed, HEADER + r * p, p);
            }
            return packed;
        }

        static Truth unpack(double[] packed) {
            int target = (int) packed[0];
            int k = (int) packed[1];
            int rows = (int) packed[2];
            int p = (packed.length - HEADER) / rows;
            double[][] values = new double[k][];
            for (int r = 0; r < rows; r++) {
                double[] row = new double[p];
                System.arraycopy(packed, HEADER + r * p, row, 0, p);
                values[rows == k ? r : target] = row;
            }
            return new Truth(target, values, (long) packed[3], packed[4], packed[5]);
        }
    }
}
