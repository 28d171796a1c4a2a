package org.vitbench.metrics.faithfulness;

import ai.djl.ndarray.NDManager;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.commons.rng.UniformRandomProvider;
import org.apache.commons.rng.simple.RandomSource;
import org.vitbench.api.Arguments;
import org.vitbench.api.Batches;
import org.vitbench.api.Category;
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
 * ViT Shapley's faithfulness ("Faith."): the Spearman correlation, over random patch subsets
 * {@code S} of uniformly random size, between the attributions summed over the <em>kept</em>
 * patches {@code S} and the evaluation model's target probability {@code v(S)} with only
 * {@code S} kept (Covert, Kim &amp; Lee 2023, ICLR, arXiv 2206.05282, stage "5_sensitivity",
 * {@code num_included_players = "all"}). An additive model explained by its own weights scores 1.
 * Higher is better.
 *
 * <p>Preset {@code vit-shapley} (the only preset):
 * <ul>
 *   <li>evaluation model: {@code context.model()} (for the protocol, the surrogate), patches held
 *       out by {@code removal} (default {@code attention-mask}, the reference's pre-softmax
 *       attention masking);
 *   <li>subsets: {@code subsets} per sample (default 1000, the reference's 20 x 50); each draws
 *       its size {@code k} uniformly from {@code 0 .. P}, then {@code k} distinct patches
 *       uniformly. The reference's {@code generate_mask(mode="uniform")} keeps every patch with
 *       probability {@code 1 - t}, {@code t ~ U(0, 1)}, which gives the same distribution
 *       (a beta-binomial(1, 1) size is uniform on {@code 0 .. P});
 *   <li>seeding: {@code Seeds.of(runSeed, sampleId, "faithfulness")}, so every method of a sample
 *       sees the same subsets (the reference reuses {@code RandomState(0..19)} for all images);
 *   <li>output: the softmax probability of the target class, in double from the logits;
 *   <li>ties: Spearman with average ranks ({@code scipy.stats.spearmanr}). The reference adds
 *       {@code U(0, 1e-40)} noise to the explanation, which breaks only exact ties among sums;
 *       vitbench keeps ties, which is deterministic and differs only for maps with tied sums.
 * </ul>
 * The reference's fixed-size variants ({@code n = 14, 28, .., 182} kept patches) are not part of
 * this metric; {@link SensitivityN} gives per-size correlations.
 *
 * <p>When the sums or the probabilities are constant (for example an all-zero heatmap) the
 * correlation is undefined and counts as 0 ({@link Correlation}). A heatmap with a NaN or
 * infinite value fails the batch with the sample named. Model calls per sample: {@code subsets}.
 *
 * <p>The probabilities on a sample's subsets do not depend on the heatmap, so an instance
 * computes them once per (model, sample, target, run seed) and reuses them for every method it
 * scores, in a bounded thread-safe {@link SubsetCache}. Instances are thread-safe if the model is.
 */
public final class Faithfulness implements Metric {

    /** The stable id. */
    public static final String ID = "faithfulness";

    /** The ViT Shapley preset. */
    public static final String VIT_SHAPLEY = "vit-shapley";

    public static final int DEFAULT_SUBSETS = 1000;
    public static final int DEFAULT_BATCH_SIZE = 64;

    private static final MetricInfo INFO = new MetricInfo(ID, "Faithfulness (ViT Shapley)", Category.FAITHFULNESS,
            Direction.HIGHER_IS_BETTER, Set.of(Requirement.MASKING), List.of(VIT_SHAPLEY),
            "Covert, Kim & Lee 2023, ICLR, arXiv 2206.05282 (stage 5_sensitivity)");

    private static final Parameter<Removal> REMOVAL = Removal.parameter(Removal.ATTENTION_MASK);
    private static final Parameter<Integer> SUBSETS = Parameter.integer("subsets", DEFAULT_SUBSETS, 2, 1 << 20,
            "random subsets per image");
    private static final Parameter<Integer> BATCH_SIZE = Parameter.integer("batchSize", DEFAULT_BATCH_SIZE, 1,
            1 << 20, "masked images per model call; changes memory, not scores").outsideSpec();

    /** The registration: parameters and factory. */
    public static final MetricDeclaration DECLARATION = MetricDeclaration.of(INFO, List.of(REMOVAL, SUBSETS,
            BATCH_SIZE), Faithfulness::new);

    private final Arguments arguments;
    private final Removal removal;
    private final int subsets;
    private final int batchSize;
    private final SubsetCache cache = new SubsetCache();

    /**
     * @param removal how patches outside a subset are held out
     * @param subsets random subsets per sample, at least 2
     * @param batchSize masked images per model call, at least 1; does not change scores
     */
    public Faithfulness(Removal removal, int subsets, int batchSize) {
        this(DECLARATION.resolve(Map.of(REMOVAL.name(), removal.id(), SUBSETS.name(), Integer.toString(subsets),
                BATCH_SIZE.name(), Integer.toString(batchSize))));
    }

    /** The {@code vit-shapley} preset: attention masking, 1000 subsets. */
    public Faithfulness() {
        this(DECLARATION.resolve(Map.of()));
    }

    private Faithfulness(Arguments arguments) {
        this.arguments = arguments;
        this.removal = arguments.get(REMOVAL);
        this.subsets = arguments.get(SUBSETS);
        this.batchSize = arguments.get(BATCH_SIZE);
    }

    /** Creates the metric from validated parameters; unknown keys fail. */
    public static Faithfulness create(Parameters parameters) {
        return (Faithfulness) DECLARATION.create(parameters);
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
        int p = info.numPatches();
        double[] scores = new double[batch.size()];
        for (int b = 0; b < batch.size(); b++) {
            Sample sample = batch.get(b);
            boolean[][] keep = subsets(context.seed(), sample.id(), p); // [subsets][P]
            int target = targets[b];
            double[] probabilities = cache.get(model, sample, target, context.seed(),
                    () -> probabilities(context, model, sample, target, keep));
            float[] map = heatmaps.target()[b];
            double[] sums = new double[subsets];
            for (int j = 0; j < subsets; j++) {
                for (int i = 0; i < p; i++) {
                    sums[j] += keep[j][i] ? map[i] : 0;
                }
            }
            scores[b] = Correlation.undefinedAsZero(Correlation.spearman(sums, probabilities));
            context.progress().update(b + 1, batch.size());
        }
        return MetricResult.of(scores);
    }

    /** Kept-patch masks: size uniform on {@code 0 .. P}, then a uniform set of that size. */
    private boolean[][] subsets(long seed, String sampleId, int p) {
        UniformRandomProvider rng = RandomSource.XO_RO_SHI_RO_128_PP.create(Seeds.of(seed, sampleId, ID));
        boolean[][] keep = new boolean[subsets][p];
        int[] indices = new int[p];
        for (int j = 0; j < subsets; j++) {
            int k = rng.nextInt(p + 1);
            Arrays.setAll(indices, i -> i);
            for (int i = 0; i < k; i++) { // partial Fisher-Yates: the first k are a uniform k-set
                int r = i + rng.nextInt(p - i);
                int t = indices[i];
                indices[i] = indices[r];
                indices[r] = t;
                keep[j][indices[i]] = true;
            }
        }
        return keep;
    }

    private double[] probabilities(Context context, VitModel model, Sample sample, int target, boolean[][] keep) {
        double[][] values;
        try (NDManager scope = context.manager().newSubManager()) {
            values = MaskedEvaluator.within(removal, batchSize, model.info(), context.memoryBudget()).evaluate(model,
                    Batches.images(scope, List.of(sample), model.info()), keep,
                    MaskedEvaluator.Output.TARGET_PROBABILITY, target, Progress.NONE);
        }
        return Arrays.stream(values).mapToDouble(v -> v[0]).toArray();
    }

    @Override
    public String toString() {
        return spec().canonical() + "[batchSize=" + batchSize + "]";
    }
}
