package org.vitbench.metrics.faithfulness;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.commons.rng.simple.RandomSource;
import org.vitbench.api.Batches;
import org.vitbench.api.Category;
import org.vitbench.api.ConfigurationException;
import org.vitbench.api.Context;
import org.vitbench.api.Direction;
import org.vitbench.api.Heatmaps;
import org.vitbench.api.Metric;
import org.vitbench.api.MetricInfo;
import org.vitbench.api.MetricProvider;
import org.vitbench.api.MetricResult;
import org.vitbench.api.MetricSpec;
import org.vitbench.api.ModelInfo;
import org.vitbench.api.Parameters;
import org.vitbench.api.Progress;
import org.vitbench.api.Removal;
import org.vitbench.api.Requirement;
import org.vitbench.api.Sample;
import org.vitbench.api.Seeds;
import org.vitbench.api.VitModel;
import org.vitbench.metrics.internal.Auc;
import org.vitbench.metrics.internal.Ranking;
import org.vitbench.models.masking.MaskedEvaluator;

/**
 * Deletion: remove patches from most to least important according to the heatmap and follow the
 * model's confidence in the target class; a faithful map makes it drop fast, so a lower area is
 * better (Petsiuk, Das &amp; Saenko 2018, RISE, arXiv 1806.07421).
 *
 * <p>Preset {@code vit-shapley} (Covert, Kim &amp; Lee 2023, arXiv 2206.05282, stage
 * "4_insert_delete"), the only preset so far:
 * <ul>
 *   <li>evaluation model: {@code context.model()} (for the ViT Shapley protocol, the surrogate),
 *       patches held out by {@code removal} (default {@code attention-mask});
 *   <li>output: the softmax probability of the target class (computed in double from the logits);
 *   <li>order: patches by decreasing heatmap value, ties broken at random by a generator seeded
 *       with {@code Seeds.of(runSeed, sampleId, "deletion")};
 *   <li>curve: one patch per step, {@code P + 1} points for {@code k = 0 .. P} patches removed,
 *       {@code curveX = k / P};
 *   <li>score: the plain mean of the curve values ({@link Auc#mean}).
 * </ul>
 *
 * <p>Parameters: {@code preset} (default {@code vit-shapley}); {@code removal}, any
 * {@link Removal#parse} value; {@code batchSize} (default 64), the masked images evaluated per
 * model call, which changes memory use but not scores and is therefore not in the {@link #spec()}.
 *
 * <p>Only the target-class maps are scored. A heatmap with a NaN or infinite value fails the
 * batch with the sample named. Instances are immutable and thread-safe if the model is.
 */
public final class Deletion implements Metric {

    /** The stable id. */
    public static final String ID = "deletion";

    /** The ViT Shapley preset. */
    public static final String VIT_SHAPLEY = "vit-shapley";

    /** Masked images per model call unless configured. */
    public static final int DEFAULT_BATCH_SIZE = 64;

    private static final MetricInfo INFO = new MetricInfo(ID, "Deletion", Category.FAITHFULNESS,
            Direction.LOWER_IS_BETTER, Set.of(Requirement.MASKING), List.of(VIT_SHAPLEY),
            "Petsiuk, Das & Saenko 2018, RISE, arXiv 1806.07421; preset vit-shapley: "
                    + "Covert, Kim & Lee 2023, arXiv 2206.05282");

    private static final Set<String> KEYS = Set.of("preset", "removal", "batchSize");

    private final Removal removal;
    private final int batchSize;

    /**
     * The {@code vit-shapley} preset.
     *
     * @param removal how removed patches are held out
     * @param batchSize masked images per model call, at least 1
     */
    public Deletion(Removal removal, int batchSize) {
        if (batchSize < 1) {
            throw new IllegalArgumentException("batchSize must be at least 1, got " + batchSize);
        }
        this.removal = removal;
        this.batchSize = batchSize;
    }

    /** The {@code vit-shapley} preset with attention masking and the default batch size. */
    public Deletion() {
        this(Removal.ATTENTION_MASK, DEFAULT_BATCH_SIZE);
    }

    /** Creates the metric from validated parameters; unknown keys fail. */
    public static Deletion create(Parameters parameters) {
        parameters.requireOnly(KEYS);
        parameters.getChoice("preset", VIT_SHAPLEY, Set.of(VIT_SHAPLEY));
        Removal removal;
        try {
            removal = Removal.parse(parameters.getString("removal", Removal.ATTENTION_MASK.id()));
        } catch (ConfigurationException e) {
            throw new ConfigurationException("parameter 'removal' of " + ID + ": " + e.getMessage(), e);
        }
        return new Deletion(removal, parameters.getInt("batchSize", DEFAULT_BATCH_SIZE, 1, 1 << 20));
    }

    @Override
    public MetricInfo info() {
        return INFO;
    }

    @Override
    public MetricSpec spec() {
        return MetricSpec.of(ID, VIT_SHAPLEY, Map.of("removal", removal.id()));
    }

    @Override
    public MetricResult evaluate(Context context, List<Sample> batch, int[] targets, Heatmaps heatmaps) {
        VitModel model = context.model();
        ModelInfo info = model.info();
        check(info, batch, targets, heatmaps);
        int p = info.numPatches();
        double[] scores = new double[batch.size()];
        double[][] curves = new double[batch.size()][];
        for (int b = 0; b < batch.size(); b++) {
            Sample sample = batch.get(b);
            int[] order;
            try {
                order = Ranking.descendingOrder(heatmaps.target()[b],
                        RandomSource.XO_RO_SHI_RO_128_PP.create(Seeds.of(context.seed(), sample.id(), ID)));
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("heatmap of sample " + sample.id() + ": " + e.getMessage(), e);
            }
            try (NDManager scope = context.manager().newSubManager()) {
                curves[b] = curve(model, Batches.images(scope, List.of(sample), info), order, targets[b]);
            }
            scores[b] = Auc.mean(curves[b]);
            context.progress().update(b + 1, batch.size());
        }
        double[] x = new double[p + 1];
        Arrays.setAll(x, k -> (double) k / p);
        return new MetricResult(scores, curves, x);
    }

    /**
     * The target probability with the first {@code k} patches of {@code order} removed, for
     * {@code k = 0 .. P}, through the shared {@link MaskedEvaluator} in chunks of {@code batchSize}.
     *
     * @param image {@code [1, C, S, S]}
     */
    private double[] curve(VitModel model, NDArray image, int[] order, int target) {
        int p = order.length;
        boolean[][] keep = new boolean[p + 1][p];
        for (int k = 0; k <= p; k++) { // row k has the first k patches of the order removed
            Arrays.fill(keep[k], true);
            for (int r = 0; r < k; r++) {
                keep[k][order[r]] = false;
            }
        }
        double[][] probability = new MaskedEvaluator(removal, batchSize)
                .evaluate(model, image, keep, MaskedEvaluator.Output.TARGET_PROBABILITY, target, Progress.NONE);
        double[] curve = new double[p + 1];
        for (int k = 0; k <= p; k++) {
            curve[k] = probability[k][0];
        }
        return curve;
    }

    private static void check(ModelInfo info, List<Sample> batch, int[] targets, Heatmaps heatmaps) {
        if (targets.length != batch.size() || heatmaps.batchSize() != batch.size()) {
            throw new IllegalArgumentException(batch.size() + " samples, " + targets.length + " targets and "
                    + heatmaps.batchSize() + " heatmaps; one of each per sample is needed");
        }
        if (heatmaps.grid() != info.grid()) {
            throw new IllegalArgumentException("heatmaps are on a " + heatmaps.grid() + "x" + heatmaps.grid()
                    + " grid, model " + info.name() + " has " + info.grid() + "x" + info.grid() + " patches");
        }
        for (int b = 0; b < targets.length; b++) {
            if (targets[b] < 0 || targets[b] >= info.numClasses()) {
                throw new IllegalArgumentException("target " + targets[b] + " of sample " + batch.get(b).id()
                        + " is not a class of model " + info.name() + " (0 to " + (info.numClasses() - 1) + ")");
            }
        }
    }

    @Override
    public String toString() {
        return spec().canonical() + "[batchSize=" + batchSize + "]";
    }

    /** Registers {@link Deletion} with {@link java.util.ServiceLoader}. */
    public static final class Provider implements MetricProvider {

        @Override
        public MetricInfo info() {
            return INFO;
        }

        @Override
        public Metric create(Parameters parameters) {
            return Deletion.create(parameters);
        }
    }
}
