package org.vitbench.metrics.sanity;

import ai.djl.ndarray.NDManager;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.vitbench.api.Arguments;
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
import org.vitbench.api.Parameter;
import org.vitbench.api.Parameters;
import org.vitbench.api.Progress;
import org.vitbench.api.Randomisable;
import org.vitbench.api.Requirement;
import org.vitbench.api.Sample;
import org.vitbench.api.Seeds;
import org.vitbench.api.VitModel;
import org.vitbench.metrics.internal.Inputs;
import org.vitbench.metrics.statistics.Correlation;
import org.vitbench.models.RandomisedCascade;

/**
 * Cascading model-parameter randomisation: re-initialise the model's layers from the top down,
 * explain the same samples and targets again after each step, and measure how similar the new maps
 * remain to the original ones; a method that passes the sanity check loses the similarity, so
 * lower is better (Adebayo, Gilmer, Muelly, Goodfellow, Hardt &amp; Kim 2018, "Sanity Checks for
 * Saliency Maps", NeurIPS, arXiv 1810.03292; Quantus' {@code MPRT}).
 *
 * <p>Preset {@code adebayo}, for a model with {@code L} blocks:
 * <ul>
 *   <li>stages, cumulative from the top: {@code head} (final LayerNorm and classifier), then
 *       {@code block-(L-1)} down to {@code block-0}, then {@code embedding} (patch projection,
 *       position embedding and CLS token) unless {@code embedding=false}; {@code S = L + 2} stages
 *       (or {@code L + 1}). A stage is a whole block rather than each linear layer as in Quantus,
 *       so a ViT-B/16 costs 14 extra explanations per batch instead of about 75. Re-initialised
 *       values are timm's initial weights drawn with {@code Seeds.of(runSeed, modelName,
 *       "randomization")} ({@link RandomisedCascade});
 *   <li>similarity per sample and stage: {@code spearman-abs} (default; Spearman rank
 *       correlation of {@code |a|} and {@code |a'|}, Adebayo's "rank correlation (abs)" and
 *       Quantus' {@code abs=True}) or {@code spearman} (signed values), on the patch grid, ties
 *       sharing their average rank. Identical maps, and two constant maps, score 1; exactly one
 *       constant map scores 0 ({@link Correlation}'s convention);
 *   <li>score = the mean similarity over the {@code S} stages, as Quantus' average over layers:
 *       the last stage alone barely separates model-dependent methods (most end near 0), while the
 *       mean also rewards an early drop. In {@code [-1, 1]}; 1 for a map that ignores the model;
 *   <li>curve: the {@code S} similarities, at {@code x = 1 .. S} (the number of stages
 *       randomised; {@link #stageNames} gives their ids).
 * </ul>
 *
 * <p>The heatmaps scored are the original maps; the method and the model they explain come from
 * {@link Context#explainedBy()} (not {@code context.model()}, which may be a surrogate), and the
 * model must offer the {@link Randomisable} capability. The method runs again with the run seed, so a
 * stochastic method draws the same noise per sample on every stage. A method with a trained
 * artifact (for example an amortised explainer) keeps the artifact trained for the original model.
 *
 * <p>Cost: {@code S} explanations per batch. The randomised copies are built once per (explained
 * model, run seed) and kept in this instance; they share the original's arrays and add one model's
 * worth of new ones in a sub-manager of the original's manager, so they are freed when the model
 * closes or, earlier, by {@link #close}. A randomised map with a NaN or infinite value fails the
 * batch with the sample and stage named. Thread-safe; {@link #close} must not run concurrently with
 * {@link #evaluate}.
 */
public final class Randomization implements Metric, AutoCloseable {

    /** The stable id. */
    public static final String ID = "randomization";

    /** Adebayo et al.'s cascading randomisation. */
    public static final String ADEBAYO = "adebayo";

    /** Spearman rank correlation of the absolute values (default). */
    public static final String SPEARMAN_ABS = "spearman-abs";

    /** Spearman rank correlation of the signed values. */
    public static final String SPEARMAN = "spearman";

    private static final MetricInfo INFO = new MetricInfo(ID, "Model-parameter randomisation",
            Category.RANDOMISATION, Direction.LOWER_IS_BETTER, Set.of(Requirement.RANDOMISED_MODELS, Requirement.REEXPLAINS),
            List.of(ADEBAYO),
            "Adebayo, Gilmer, Muelly, Goodfellow, Hardt & Kim 2018, NeurIPS, arXiv 1810.03292");

    private static final Parameter<String> SIMILARITY = Parameter.choice("similarity", SPEARMAN_ABS,
            List.of(SPEARMAN, SPEARMAN_ABS), "rank correlation of the maps, of their absolute values by default");
    private static final Parameter<Boolean> EMBEDDING = Parameter.flag("embedding", true,
            "randomise the patch embedding as the cascade's last stage");

    /** The registration: parameters and factory. */
    public static final MetricDeclaration DECLARATION = MetricDeclaration.of(INFO, List.of(SIMILARITY, EMBEDDING),
            Randomization::new);

    private final Arguments arguments;
    private final boolean abs;
    private final boolean embedding;
    private final List<Built> cascades = new ArrayList<>();

    /**
     * @param similarity {@value #SPEARMAN_ABS} or {@value #SPEARMAN}
     * @param embedding whether the last stage re-initialises the patch and position embeddings
     */
    public Randomization(String similarity, boolean embedding) {
        this(DECLARATION.resolve(Map.of(SIMILARITY.name(), similarity, EMBEDDING.name(), Boolean.toString(embedding))));
    }

    /** The {@code adebayo} preset: Spearman of absolute values, embedding randomised last. */
    public Randomization() {
        this(DECLARATION.resolve(Map.of()));
    }

    private Randomization(Arguments arguments) {
        this.arguments = arguments;
        this.abs = arguments.get(SIMILARITY).equals(SPEARMAN_ABS);
        this.embedding = arguments.get(EMBEDDING);
    }

    /** Creates the metric from {@code preset}, {@code similarity} and {@code embedding}; other keys fail. */
    public static Randomization create(Parameters parameters) {
        return (Randomization) DECLARATION.create(parameters);
    }

    /** The stage ids of a model with {@code depth} blocks, top first: the labels of the curve's points. */
    public static List<String> stageNames(int depth, boolean embedding) {
        return RandomisedCascade.stageNames(depth, embedding);
    }

    /**
     * The similarity of an original and a randomised map.
     *
     * @param original {@code [P]} finite values, {@code P >= 2}
     * @param randomised {@code [P]} finite values
     * @param abs whether to rank absolute values
     * @return Spearman's rho in [-1, 1]; 1 for identical maps and for two constant maps, 0 when
     *     exactly one map is constant
     */
    public static double similarity(float[] original, float[] randomised, boolean abs) {
        double[] x = values(original, abs);
        double[] y = values(randomised, abs);
        // Rounding in the rank correlation could put identical maps a hair below 1.
        if (Arrays.equals(x, y) || isConstant(x) && isConstant(y)) {
            return 1;
        }
        return Correlation.undefinedAsZero(Correlation.spearman(x, y));
    }

    private static double[] values(float[] map, boolean abs) {
        double[] v = new double[map.length];
        for (int i = 0; i < v.length; i++) {
            v[i] = abs ? Math.abs((double) map[i]) : map[i];
        }
        return v;
    }

    private static boolean isConstant(double[] v) {
        for (double d : v) {
            if (d != v[0]) {
                return false;
            }
        }
        return true;
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
        Context.Explained explained = Inputs.explainedBy(context, ID,
                "explains the samples again on randomised models");
        VitModel model = explained.model();
        Randomisable randomisable = model.capability(Randomisable.class).orElseThrow(() -> new ConfigurationException(
                ID + " re-initialises the layers of the model, and model " + model.info().name() + " does not offer "
                        + "randomised copies (the Randomisable capability); use a checkpoint or embedded ViT"));
        Inputs.check(model.info(), batch, targets, heatmaps);
        Randomisable.Cascade cascade = cascade(model, randomisable, context.seed());
        int stages = cascade.stages().size();
        double[][] curves = new double[batch.size()][stages];
        for (int s = 0; s < stages; s++) {
            float[][] maps;
            try (NDManager scope = context.manager().newSubManager()) {
                Context randomised = new Context(cascade.model(s), context.seed(), scope, Progress.NONE);
                Heatmaps again = explained.explainer().explain(randomised, batch, targets);
                maps = checked(again, batch, heatmaps.grid(), explained, cascade.stages().get(s));
            }
            for (int b = 0; b < batch.size(); b++) {
                curves[b][s] = similarity(heatmaps.target()[b], maps[b], abs);
            }
            context.progress().update(s + 1, stages);
        }
        double[] scores = new double[batch.size()];
        for (int b = 0; b < scores.length; b++) {
            double sum = 0;
            for (double v : curves[b]) {
                sum += v;
            }
            scores[b] = sum / stages;
        }
        double[] x = new double[stages];
        for (int s = 0; s < stages; s++) {
            x[s] = s + 1;
        }
        return new MetricResult(scores, curves, x);
    }

    private static float[][] checked(Heatmaps maps, List<Sample> batch, int grid, Context.Explained explained,
            String stage) {
        String method = explained.explainer().info().id();
        if (maps.batchSize() != batch.size() || maps.grid() != grid) {
            throw new IllegalStateException(method + " returned " + maps.batchSize() + " heatmaps on a " + maps.grid()
                    + "x" + maps.grid() + " grid for " + batch.size() + " samples on a " + grid + "x" + grid
                    + " grid, on the model randomised down to " + stage);
        }
        for (int b = 0; b < batch.size(); b++) {
            float[] map = maps.target()[b];
            for (int i = 0; i < map.length; i++) {
                if (!Float.isFinite(map[i])) {
                    throw new IllegalStateException(method + " gave " + map[i] + " at patch " + i + " of sample "
                            + batch.get(b).id() + " on the model randomised down to " + stage
                            + "; every value must be finite");
                }
            }
        }
        return maps.target();
    }

    /** The cascade of {@code model} for the run seed, built on first use; drops cascades of closed models. */
    private synchronized Randomisable.Cascade cascade(VitModel model, Randomisable randomisable, long runSeed) {
        cascades.removeIf(c -> !c.cascade().isOpen());
        long seed = Seeds.of(runSeed, model.info().name(), ID);
        for (Built c : cascades) {
            if (c.model() == model && c.seed() == seed) {
                return c.cascade();
            }
        }
        Built c = new Built(model, seed, randomisable.cascade(seed, embedding));
        cascades.add(c);
        return c.cascade();
    }

    /** A cascade with the model and seed it was built for. */
    private record Built(VitModel model, long seed, Randomisable.Cascade cascade) {
    }

    /** Frees the randomised models built so far; they are rebuilt if the metric is used again. */
    @Override
    public synchronized void close() {
        cascades.forEach(c -> c.cascade().close());
        cascades.clear();
    }

    @Override
    public String toString() {
        return spec().canonical();
    }
}
