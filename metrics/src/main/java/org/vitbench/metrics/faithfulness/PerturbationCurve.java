package org.vitbench.metrics.faithfulness;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import org.apache.commons.rng.simple.RandomSource;
import org.vitbench.api.Arguments;
import org.vitbench.api.Batches;
import org.vitbench.api.ConfigurationException;
import org.vitbench.api.Context;
import org.vitbench.api.Declaration;
import org.vitbench.api.Heatmaps;
import org.vitbench.api.Metric;
import org.vitbench.api.MetricDeclaration;
import org.vitbench.api.MetricInfo;
import org.vitbench.api.MetricResult;
import org.vitbench.api.MetricSpec;
import org.vitbench.api.ModelInfo;
import org.vitbench.api.Parameter;
import org.vitbench.api.Progress;
import org.vitbench.api.Removal;
import org.vitbench.api.Sample;
import org.vitbench.api.Seeds;
import org.vitbench.api.VitModel;
import org.vitbench.metrics.internal.Auc;
import org.vitbench.metrics.internal.Ranking;
import org.vitbench.models.masking.MaskedEvaluator;

/**
 * The ordered perturbation curve shared by {@link Deletion} and {@link Insertion}: rank the patches
 * by the heatmap, evaluate the model with the first {@code n_t} patches of that order removed (or,
 * for insertion, with only those kept), and integrate the curve as the preset says.
 *
 * <p>Presets (the preset name fixes the output, the x-grid and the area rule; the parameters listed
 * in {@link #spec()} fix the rest):
 * <ul>
 *   <li>{@code vit-shapley} (Covert, Kim &amp; Lee 2023, arXiv 2206.05282, stage
 *       "4_insert_delete"): removal {@code attention-mask}; softmax probability of the class; one
 *       patch per step, {@code P + 1} points at {@code x = k / P}; area = plain mean of the points;
 *       {@code classes} = {@code target} or {@code non-target} (the pointwise mean of the curves of
 *       every other class, each ranked by its own map).
 *   <li>{@code rise} (Petsiuk, Das &amp; Saenko 2018, arXiv 1806.07421, eclique/RISE
 *       {@code evaluation.py}): removal {@code pixel-mean} for deletion (RISE's zeros in normalised
 *       space) and {@code pixel-blur} for insertion; softmax probability of the class; one patch
 *       per step, {@code P + 1} points at {@code x = k / P} (RISE takes 224 pixels per step on
 *       224-pixel images, i.e. 224 steps; one ViT-B/16 patch is 256 pixels); area = trapezoid on
 *       [0, 1].
 *   <li>{@code chefer} (Chefer, Gur &amp; Wolf 2021, arXiv 2012.09838,
 *       {@code baselines/ViT/pertubation_eval_from_hdf5.py}): removal {@code pixel-zero} (black
 *       in [0, 1] space, before normalisation); the first {@code floor(P * f)} patches of the
 *       order removed for {@code f = 0, 0.1, ..., 0.9}; the point is 1 when the model's top-1
 *       class equals the reference class ({@code reference} = {@code label}, as the code, or
 *       {@code prediction} on the clean image) and 0 otherwise; area = trapezoid on the nominal
 *       fractions {@code [0, 0.9]} (Chefer's tables show it times 100). {@code order} =
 *       {@code positive} removes the most relevant patches first (deletion), {@code negative} the
 *       least relevant first (insertion read backwards).
 * </ul>
 *
 * <p>Every preset ranks at the patch grid and breaks ties at random with a generator seeded by
 * {@code Seeds.of(runSeed, sampleId, metricId)} ({@code metricId + "/class-" + k} for the maps of
 * non-target classes), so scores do not depend on batch composition. Immutable and thread-safe
 * if the model is.
 */
final class PerturbationCurve {

    /** Which metric the curve serves: it decides the default removal, order and the curve rows. */
    enum Kind { DELETION, INSERTION }

    static final String VIT_SHAPLEY = "vit-shapley";
    static final String RISE = "rise";
    static final String CHEFER = "chefer";

    /** The presets; the first is the default. */
    static final List<String> PRESETS = List.of(VIT_SHAPLEY, RISE, CHEFER);

    static final int DEFAULT_BATCH_SIZE = 64;

    /** Chefer's {@code perturbation_steps}, as the literals of the reference. */
    private static final double[] CHEFER_FRACTIONS = {0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9};

    private static final Parameter<Removal> REMOVAL = Removal.parameter(Removal.ATTENTION_MASK);
    private static final Parameter<String> DELETION_ORDER = order("positive");
    private static final Parameter<String> INSERTION_ORDER = order("negative");

    private static final Parameter<String> CLASSES = Parameter.choice("classes", "target",
            List.of("target", "non-target"), "score the target's curve, or the mean curve of the other classes")
            // added after specs were first stored: omitted at its default so that they keep their hash
            .onlyWhen(Declaration.PRESET, VIT_SHAPLEY).omittedAtDefault();
    private static final Parameter<String> REFERENCE = Parameter.choice("reference", "label",
            List.of("label", "prediction"), "the class a top-1 hit is counted against")
            .onlyWhen(Declaration.PRESET, CHEFER);
    private static final Parameter<Integer> BATCH_SIZE = Parameter.integer("batchSize", DEFAULT_BATCH_SIZE, 1,
            1 << 20, "masked images per model call; changes memory, not scores").outsideSpec();

    private final String metricId;
    private final Kind kind;
    private final Arguments arguments;
    private final String preset;
    private final Removal removal;
    private final boolean nonTarget;
    /** Chefer's order: most relevant first; the other presets always rank most relevant first. */
    private final boolean positive;
    private final boolean labelReference;
    private final int batchSize;

    PerturbationCurve(String metricId, Kind kind, Arguments arguments) {
        this.metricId = metricId;
        this.kind = kind;
        this.arguments = arguments;
        this.preset = arguments.preset();
        this.removal = arguments.get(REMOVAL);
        this.nonTarget = "non-target".equals(arguments.get(CLASSES));
        String defaultOrder = order(kind).defaultValue();
        String order = preset.equals(CHEFER) ? arguments.get(order(kind)) : defaultOrder;
        if (!order.equals(defaultOrder)) {
            // The score direction belongs to the metric, and the two orders have opposite directions.
            throw new ConfigurationException("order=" + order + " of preset chefer is not a " + metricId
                    + " protocol: positive perturbation (most relevant first, lower is better) is "
                    + "deletion:preset=chefer, negative perturbation (least relevant first, higher is better) "
                    + "is insertion:preset=chefer");
        }
        this.positive = order.equals("positive");
        this.labelReference = !preset.equals(CHEFER) || arguments.get(REFERENCE).equals("label");
        this.batchSize = arguments.get(BATCH_SIZE);
    }

    /**
     * The declaration of the curve metric {@code info} of {@code kind}: {@code removal} (its default
     * set by the preset), {@code classes} for {@code vit-shapley}, {@code order} and {@code reference}
     * for {@code chefer}, and {@code batchSize}.
     */
    static MetricDeclaration declaration(MetricInfo info, Kind kind, Function<PerturbationCurve, Metric> metric) {
        return MetricDeclaration.of(info, List.of(REMOVAL, CLASSES, order(kind), REFERENCE, BATCH_SIZE),
                arguments -> metric.apply(new PerturbationCurve(info.id(), kind, arguments)))
                .preset(RISE, Map.of("removal", (kind == Kind.DELETION ? Removal.pixel(Removal.PixelBaseline.MEAN)
                        : Removal.pixel(Removal.PixelBaseline.BLUR)).id()))
                .preset(CHEFER, Map.of("removal", Removal.pixel(Removal.PixelBaseline.ZERO).id()));
    }

    private static Parameter<String> order(String defaultOrder) {
        return Parameter.choice("order", defaultOrder, List.of("positive", "negative"),
                "most (positive) or least (negative) relevant patches first; fixed by the metric")
                .onlyWhen(Declaration.PRESET, CHEFER);
    }

    private static Parameter<String> order(Kind kind) {
        return kind == Kind.DELETION ? DELETION_ORDER : INSERTION_ORDER;
    }

    /** The id of the metric this curve belongs to. */
    String id() {
        return metricId;
    }

    /** True when the maps of every class are scored ({@code classes=non-target}). */
    boolean needsAllClasses() {
        return nonTarget;
    }

    int batchSize() {
        return batchSize;
    }

    /** The preset, the removal and the preset's own parameters. */
    MetricSpec spec() {
        return arguments.metricSpec();
    }

    /**
     * One curve and score per sample.
     *
     * @param targets {@code [B]} the explained class of each sample
     * @param heatmaps target maps, or per-class maps for {@code classes=non-target}
     */
    MetricResult evaluate(Context context, List<Sample> batch, int[] targets, Heatmaps heatmaps) {
        VitModel model = context.model();
        ModelInfo info = model.info();
        check(info, batch, targets, heatmaps);
        int p = info.numPatches();
        int[] counts = counts(p);
        double[] x = x(p);
        MaskedEvaluator evaluator = MaskedEvaluator.within(removal, batchSize, info, context.memoryBudget());
        double[] scores = new double[batch.size()];
        double[][] curves = new double[batch.size()][];
        for (int b = 0; b < batch.size(); b++) {
            Sample sample = batch.get(b);
            try (NDManager scope = context.manager().newSubManager()) {
                NDArray image = Batches.images(scope, List.of(sample), info); // [1, C, S, S]
                if (!nonTarget) {
                    curves[b] = classCurve(model, evaluator, image, sample, heatmaps.target()[b], targets[b], counts,
                            Seeds.of(context.seed(), sample.id(), metricId));
                } else {
                    double[] mean = new double[counts.length];
                    int k = info.numClasses();
                    for (int c = 0; c < k; c++) {
                        if (c == targets[b]) {
                            continue;
                        }
                        double[] curve = classCurve(model, evaluator, image, sample, heatmaps.perClass()[b][c], c, counts,
                                Seeds.of(context.seed(), sample.id(), metricId + "/class-" + c));
                        for (int t = 0; t < mean.length; t++) {
                            mean[t] += curve[t] / (k - 1);
                        }
                    }
                    curves[b] = mean;
                }
            }
            // Both areas are linear in the curve, so the area of the mean curve is the mean of the areas.
            scores[b] = preset.equals(VIT_SHAPLEY) ? Auc.mean(curves[b]) : Auc.trapezoid(x, curves[b]);
            context.progress().update(b + 1, batch.size());
        }
        return new MetricResult(scores, curves, x);
    }

    /** Patches perturbed at each point of the curve. */
    private int[] counts(int p) {
        if (preset.equals(CHEFER)) {
            int[] counts = new int[CHEFER_FRACTIONS.length + 1];
            for (int t = 0; t < CHEFER_FRACTIONS.length; t++) {
                counts[t + 1] = (int) (p * CHEFER_FRACTIONS[t]); // Python's int(base_size * step)
            }
            return counts;
        }
        int[] counts = new int[p + 1];
        Arrays.setAll(counts, k -> k);
        return counts;
    }

    /** The x-axis: the fraction of patches inserted or removed; Chefer's nominal fractions for chefer. */
    private double[] x(int p) {
        if (preset.equals(CHEFER)) {
            double[] x = new double[CHEFER_FRACTIONS.length + 1];
            System.arraycopy(CHEFER_FRACTIONS, 0, x, 1, CHEFER_FRACTIONS.length);
            return x;
        }
        double[] x = new double[p + 1];
        Arrays.setAll(x, k -> (double) k / p);
        return x;
    }

    /**
     * The curve of one class map.
     *
     * @param image {@code [1, C, S, S]}
     */
    private double[] classCurve(VitModel model, MaskedEvaluator evaluator, NDArray image, Sample sample, float[] map,
            int cls, int[] counts, long seed) {
        int[] order;
        try {
            float[] ranked = map;
            if (preset.equals(CHEFER) && !positive) {
                ranked = new float[map.length]; // negation is exact, so least relevant first with the same ties
                for (int i = 0; i < map.length; i++) {
                    ranked[i] = -map[i];
                }
            }
            order = Ranking.descendingOrder(ranked, RandomSource.XO_RO_SHI_RO_128_PP.create(seed));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("heatmap of sample " + sample.id()
                    + (nonTarget ? ", class " + cls : "") + ": " + e.getMessage(), e);
        }
        // Insertion keeps the first n patches of the order; deletion and both chefer curves remove them.
        boolean keepFirst = kind == Kind.INSERTION && !preset.equals(CHEFER);
        int p = order.length;
        boolean[][] keep = new boolean[counts.length][p];
        for (int t = 0; t < counts.length; t++) {
            Arrays.fill(keep[t], !keepFirst);
            for (int r = 0; r < counts[t]; r++) {
                keep[t][order[r]] = keepFirst;
            }
        }
        double[] curve = new double[counts.length];
        if (!preset.equals(CHEFER)) {
            double[][] probability = evaluator.evaluate(model, image, keep,
                    MaskedEvaluator.Output.TARGET_PROBABILITY, cls, Progress.NONE);
            for (int t = 0; t < curve.length; t++) {
                curve[t] = probability[t][0];
            }
            return curve;
        }
        double[][] logits = evaluator.evaluate(model, image, keep, MaskedEvaluator.Output.LOGITS);
        int reference = labelReference ? sample.label() : argMax(logits[0]); // row 0 is the clean image
        for (int t = 0; t < curve.length; t++) {
            curve[t] = argMax(logits[t]) == reference ? 1 : 0;
        }
        return curve;
    }

    /** The first index of the largest value, as {@code torch.max}; NaN is never the maximum. */
    private static int argMax(double[] row) {
        int best = 0;
        for (int i = 1; i < row.length; i++) {
            if (row[i] > row[best] || Double.isNaN(row[best])) {
                best = i;
            }
        }
        return best;
    }

    private void check(ModelInfo info, List<Sample> batch, int[] targets, Heatmaps heatmaps) {
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
        if (nonTarget) {
            if (!heatmaps.hasAllClasses()) {
                throw new IllegalArgumentException(metricId + " with classes=non-target needs the heatmaps of "
                        + "every class; these explain the target class only");
            }
            if (info.numClasses() < 2) {
                throw new IllegalArgumentException("classes=non-target needs at least two classes, model "
                        + info.name() + " has " + info.numClasses());
            }
            for (int b = 0; b < batch.size(); b++) {
                if (heatmaps.perClass()[b].length != info.numClasses()) {
                    throw new IllegalArgumentException("sample " + batch.get(b).id() + " has heatmaps of "
                            + heatmaps.perClass()[b].length + " classes, model " + info.name() + " has "
                            + info.numClasses());
                }
            }
        }
        if (preset.equals(CHEFER) && labelReference) {
            for (Sample sample : batch) {
                if (sample.label() < 0 || sample.label() >= info.numClasses()) {
                    throw new IllegalArgumentException("sample " + sample.id() + " has label " + sample.label()
                            + ", not a class of model " + info.name() + "; preset chefer with reference=label "
                            + "needs labelled samples (reference=prediction uses the clean prediction)");
                }
            }
        }
    }

    @Override
    public String toString() {
        return spec().canonical() + "[batchSize=" + batchSize + "]";
    }
}
