package org.vitbench.methods.perturbation;

import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.commons.rng.UniformRandomProvider;
import org.apache.commons.rng.simple.RandomSource;
import org.vitbench.api.Arguments;
import org.vitbench.api.ConfigurationException;
import org.vitbench.api.Context;
import org.vitbench.api.Explainer;
import org.vitbench.api.ExplainerInfo;
import org.vitbench.api.Family;
import org.vitbench.api.Heatmaps;
import org.vitbench.api.MethodDeclaration;
import org.vitbench.api.Parameter;
import org.vitbench.api.Parameters;
import org.vitbench.api.Progress;
import org.vitbench.api.Removal;
import org.vitbench.api.Requirement;
import org.vitbench.api.Sample;
import org.vitbench.api.Seeds;
import org.vitbench.models.masking.CoalitionGame;
import org.vitbench.models.masking.MaskedEvaluator;
import org.vitbench.models.masking.MaskedEvaluator.Output;
import org.vitbench.models.masking.ShapleyRegression;
import org.vitbench.models.masking.ShapleyRegression.Settings;
import org.vitbench.models.masking.ShapleyRegression.Variant;

/**
 * KernelSHAP over the patches of an image: Shapley values of the game "the model's output with only
 * these patches present", estimated by the Shapley-kernel weighted regression with exact efficiency
 * (Lundberg &amp; Lee 2017, arXiv 1705.07874; the estimator of Covert &amp; Lee 2021, arXiv
 * 2012.01536, as ViT Shapley runs it, Covert, Kim, Lee 2023, arXiv 2206.05282).
 *
 * <p>Coalition sizes are drawn exactly from the kernel, each coalition with its complement
 * (paired); {@code A} and {@code b} are running means; the solution imposes
 * {@code sum_i phi_i = v(all) - v(empty)} with a Lagrange multiplier, so every map sums exactly to
 * the output's change between the full image and the empty coalition, at every budget. Iterations
 * continue until the std ratio falls below {@code threshold} or the next iteration would exceed
 * {@code budget} evaluations (see {@link ShapleyRegression}). All classes come from the same
 * coalitions.
 *
 * <p>Parameters (defaults keep the embedded benchmark fast; {@code preset=vit-shapley} gives the
 * paper's settings):
 * <ul>
 *   <li>{@code budget} game evaluations per image, default 1024 (ViT Shapley reports a target L2
 *       error of 0.062 at 1,024 evaluations for 196 players; 49 need fewer).
 *   <li>{@code subsets} coalitions per iteration, default 32 (64 evaluations when paired), so the
 *       budget is used in fine steps; ViT Shapley uses 64.
 *   <li>{@code paired} default true; {@code threshold} default 0.2 (ViT Shapley's benchmark value;
 *       0 disables convergence detection); {@code varianceBatches} default 0, meaning
 *       {@code ceil(10 P / subsets)} as in shapley-regression.
 *   <li>{@code estimator} {@code kernel} (estimated {@code A}, default) or {@code unbiased} (exact
 *       {@code A}: unbiased but with higher variance).
 *   <li>{@code removal} default {@code token-drop}: it equals attention masking for a ViT with a CLS
 *       read-out and absolute positions (tested to 1e-5) and costs less, since small coalitions run
 *       short sequences.
 *   <li>{@code output} default {@code probability} (ViT Shapley explains softmax outputs);
 *       {@code batchSize} default 0 (sized from the activation memory budget of the context: 512 MiB unless the run is given --memory).
 *   <li>{@code preset=vit-shapley}: 64 paired subsets per iteration, threshold 0.2, 60 variance
 *       batches, attention masking, probabilities, a budget of 400,000 evaluations (ViT Shapley's
 *       converged runs needed about 150k to 200k for 196 players).
 * </ul>
 *
 * <p>Randomness: one generator per image, seeded by {@code Seeds.of(runSeed, sampleId,
 * "kernel-shap")}, so maps do not depend on batching. Instances are immutable and thread-safe.
 */
public final class KernelShap implements Explainer {

    /** The stable id. */
    public static final String ID = "kernel-shap";

    private static final ExplainerInfo INFO = new ExplainerInfo(ID, "KernelSHAP", Family.SHAPLEY,
            Set.of(Requirement.MASKING), true,
            "Lundberg & Lee 2017, arXiv 1705.07874; Covert & Lee 2021, Improving KernelSHAP, arXiv 2012.01536");

    private static final Parameter<Integer> SUBSETS = Parameter.integer("subsets", 32, 1, 1 << 16,
            "coalitions per iteration (each with its complement when paired)");
    private static final Parameter<Boolean> PAIRED = Parameter.flag("paired", true,
            "sample each coalition with its complement");
    private static final Parameter<Integer> BUDGET = Parameter.integer("budget", 1024, 1, Integer.MAX_VALUE,
            "game evaluations per image at most");
    private static final Parameter<Double> THRESHOLD = Parameter.number("threshold", 0.2, 0, 1e6,
            "stop when the std ratio falls below it; 0 disables convergence detection");
    private static final Parameter<Integer> VARIANCE_BATCHES = Parameter.integer("varianceBatches", 0, 0, 1 << 20,
            "batches for the variance estimate; 0 means ceil(10 P / subsets)");
    private static final Parameter<Variant> ESTIMATOR = Parameter.oneOf("estimator", Variant.KERNEL,
            List.of(Variant.KERNEL, Variant.UNBIASED), v -> v == Variant.KERNEL ? "kernel" : "unbiased",
            "kernel (estimated A) or unbiased (exact A, higher variance)");
    // token drop equals attention masking here (tested to 1e-5) and costs less
    private static final Parameter<Removal> REMOVAL = Removal.parameter(Removal.TOKEN_DROP);

    /** The registration: parameters, the vit-shapley preset, and the factory. */
    public static final MethodDeclaration DECLARATION = MethodDeclaration.of(INFO, List.of(BUDGET, SUBSETS,
            PAIRED, THRESHOLD, VARIANCE_BATCHES, ESTIMATOR, REMOVAL, Perturbation.OUTPUT_PARAMETER,
            Perturbation.BATCH_SIZE_PARAMETER), KernelShap::new)
            .preset("vit-shapley", Map.of("budget", "400000", "subsets", "64", "paired", "true", "threshold", "0.2",
                    "varianceBatches", "60", "estimator", "kernel", Perturbation.REMOVAL, "attention-mask",
                    Perturbation.OUTPUT, "probability"));

    private final Arguments arguments;
    private final Settings settings;
    private final Removal removal;
    private final Output output;
    private final int batchSize;

    /** The defaults: a budget of 1,024 evaluations, token dropping, probabilities. */
    public KernelShap() {
        this(DECLARATION.resolve(Map.of()));
    }

    private KernelShap(Arguments arguments) {
        int subsets = arguments.get(SUBSETS);
        boolean paired = arguments.get(PAIRED);
        long minimum = Settings.minimumBudget(subsets, paired);
        int budget = arguments.get(BUDGET);
        if (budget < minimum) {
            throw new ConfigurationException(ID + ": budget " + budget + " does not allow one iteration of " + subsets
                    + (paired ? " paired" : "") + " subsets; use budget >= " + minimum + " or fewer subsets");
        }
        this.arguments = arguments;
        this.settings = new Settings(subsets, paired, arguments.get(THRESHOLD), arguments.get(VARIANCE_BATCHES), 5,
                budget, arguments.get(ESTIMATOR));
        this.removal = arguments.get(REMOVAL);
        this.output = arguments.get(Perturbation.OUTPUT_PARAMETER);
        this.batchSize = arguments.get(Perturbation.BATCH_SIZE_PARAMETER);
    }

    /** Creates the method from parameters; unknown keys fail. */
    public static KernelShap create(Parameters given) {
        return (KernelShap) DECLARATION.create(given);
    }

    @Override
    public ExplainerInfo info() {
        return INFO;
    }

    @Override
    public Parameters parameters() {
        return arguments.parameters();
    }

    public Settings settings() {
        return settings;
    }

    @Override
    public Heatmaps explain(Context context, List<Sample> batch, int[] targets) {
        MaskedEvaluator evaluator = Perturbation.evaluator(removal, batchSize, context);
        return Perturbation.explainEach(context, batch, targets, (image, sample, target, progress) -> {
            CoalitionGame game = evaluator.game(context.model(), image, output, target, Progress.NONE);
            UniformRandomProvider random = RandomSource.XO_RO_SHI_RO_128_PP.create(
                    Seeds.of(context.seed(), sample.id(), ID));
            return ShapleyRegression.estimate(game, settings, random,
                    e -> progress.update(e.evaluations(), settings.budget())).values();
        });
    }

    @Override
    public String toString() {
        return ID + parameters();
    }
}
