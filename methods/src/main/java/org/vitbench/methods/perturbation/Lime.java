package org.vitbench.methods.perturbation;

import java.util.Arrays;
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
import org.vitbench.api.Removal;
import org.vitbench.api.Requirement;
import org.vitbench.api.Sample;
import org.vitbench.api.Seeds;
import org.vitbench.models.masking.MaskedEvaluator;
import org.vitbench.models.masking.MaskedEvaluator.Output;

/**
 * LIME on patches: the coefficients of a weighted ridge regression of the model's outputs on which
 * patches were kept, fitted to random patch subsets near the full image (Ribeiro, Singh, Guestrin
 * 2016, "Why Should I Trust You?": Explaining the Predictions of Any Classifier, KDD, arXiv
 * 1602.04938).
 *
 * <p>The features are the {@code M = P} patches (not superpixels: the patch-level ViT variant of the
 * blackbox brief, section 7). For {@code n} samples:
 * <pre>
 *   z_0 = all ones;  z_j ~ Bernoulli(0.5)^M for j >= 1         ([n][M], 1 = kept)
 *   y_j = v(z_j)                                               ([n][K], every class)
 *   d_j = 1 - sqrt(k_j / M)      (cosine distance to all ones, k_j kept; 1 when k_j = 0)
 *   w_j = sqrt(exp(-d_j^2 / kernelWidth^2))
 *   phi_c = ridge coefficients of y_c on z with weights w and penalty alpha, intercept unpenalised
 * </pre>
 * as marcotcr/lime's {@code LimeImageExplainer} with every feature kept (its default
 * {@code num_features=100000}). The regression is {@link WeightedRidge}; all classes come from one set
 * of samples. With {@code samples=1} the design is constant and every coefficient is 0.
 *
 * <p>Parameters: {@code samples} n (default 1000, the reference's), {@code kernelWidth} (default
 * 0.25, the reference's), {@code alpha} (default 1, the reference's Ridge), {@code removal}
 * (default {@code token-drop}: it equals attention masking for a CLS-pooled ViT with absolute
 * positions and costs less), {@code output} ({@code probability}, default as the reference, or
 * {@code logit}), {@code batchSize} (default 0, sized from a 512 MiB activation budget).
 *
 * <p>Randomness: one generator per image, seeded by {@code Seeds.of(runSeed, sampleId, "lime")},
 * so maps do not depend on batching. Instances are immutable and thread-safe.
 */
public final class Lime implements Explainer {

    /** The stable id. */
    public static final String ID = "lime";

    private static final ExplainerInfo INFO = new ExplainerInfo(ID, "LIME", Family.PERTURBATION,
            Set.of(Requirement.MASKING), true,
            "Ribeiro, Singh, Guestrin 2016, Why Should I Trust You?, arXiv 1602.04938");

    static final String SAMPLES = "samples";
    static final String KERNEL_WIDTH = "kernelWidth";
    static final String ALPHA = "alpha";

    private static final Parameter<Integer> SAMPLES_PARAMETER = Parameter.integer(SAMPLES, 1000, 1, 1 << 24,
            "perturbed samples per image");
    private static final Parameter<Double> KERNEL_WIDTH_PARAMETER = Parameter.number(KERNEL_WIDTH, 0.25, 0, 1e6,
            "width of the exponential kernel on the cosine distance, positive");
    private static final Parameter<Double> ALPHA_PARAMETER = Parameter.number(ALPHA, 1.0, 0, 1e12,
            "ridge penalty");

    private static final Parameter<Removal> REMOVAL = Removal.parameter(Removal.TOKEN_DROP);

    /** The registration: parameters and factory. */
    public static final MethodDeclaration DECLARATION = MethodDeclaration.of(INFO, List.of(SAMPLES_PARAMETER,
            KERNEL_WIDTH_PARAMETER, ALPHA_PARAMETER, REMOVAL,
            Perturbation.OUTPUT_PARAMETER, Perturbation.BATCH_SIZE_PARAMETER), Lime::new);

    private final Arguments arguments;
    private final int samples;
    private final double kernelWidth;
    private final double alpha;
    private final Removal removal;
    private final Output output;
    private final int batchSize;

    /** The defaults of the reference: 1,000 samples, kernel width 0.25, ridge penalty 1. */
    public Lime() {
        this(DECLARATION.resolve(Map.of()));
    }

    private Lime(Arguments arguments) {
        this.arguments = arguments;
        this.samples = arguments.get(SAMPLES_PARAMETER);
        this.kernelWidth = arguments.get(KERNEL_WIDTH_PARAMETER);
        if (kernelWidth == 0) {
            throw new ConfigurationException("invalid value '0.0' for parameter '" + KERNEL_WIDTH + "' of " + ID
                    + "; allowed: a positive number up to 1e6");
        }
        this.alpha = arguments.get(ALPHA_PARAMETER);
        this.removal = arguments.get(REMOVAL);
        this.output = arguments.get(Perturbation.OUTPUT_PARAMETER);
        this.batchSize = arguments.get(Perturbation.BATCH_SIZE_PARAMETER);
    }

    /** Creates the method from parameters; unknown keys fail. */
    public static Lime create(Parameters parameters) {
        return (Lime) DECLARATION.create(parameters);
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
        int m = context.model().info().numPatches();
        MaskedEvaluator evaluator = Perturbation.evaluator(removal, batchSize, context);
        return Perturbation.explainEach(context, batch, targets, (image, sample, target, progress) -> {
            UniformRandomProvider random = RandomSource.XO_RO_SHI_RO_128_PP.create(
                    Seeds.of(context.seed(), sample.id(), ID));
            boolean[][] keep = new boolean[samples][m];
            Arrays.fill(keep[0], true);
            for (int j = 1; j < samples; j++) {
                for (int i = 0; i < m; i++) {
                    keep[j][i] = random.nextBoolean();
                }
            }
            double[][] y = evaluator.evaluate(context.model(), image, keep, output, 0, progress); // [n][K]
            double[][] x = new double[samples][m];
            double[] weights = new double[samples];
            for (int j = 0; j < samples; j++) {
                int kept = 0;
                for (int i = 0; i < m; i++) {
                    x[j][i] = keep[j][i] ? 1 : 0;
                    kept += keep[j][i] ? 1 : 0;
                }
                weights[j] = weight(kept, m, kernelWidth);
            }
            return WeightedRidge.coefficients(x, y, weights, alpha);
        });
    }

    /** {@code sqrt(exp(-d^2 / width^2))} with {@code d = 1 - sqrt(kept / m)}, the cosine distance to all ones. */
    static double weight(int kept, int m, double kernelWidth) {
        double d = 1 - Math.sqrt((double) kept / m);
        return Math.sqrt(Math.exp(-d * d / (kernelWidth * kernelWidth)));
    }

    @Override
    public String toString() {
        return ID + parameters();
    }
}
