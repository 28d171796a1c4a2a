package org.vitbench.methods.perturbation;

import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.apache.commons.rng.UniformRandomProvider;
import org.apache.commons.rng.sampling.ArraySampler;
import org.apache.commons.rng.simple.RandomSource;
import org.vitbench.api.Arguments;
import org.vitbench.api.ConfigurationException;
import org.vitbench.api.Context;
import org.vitbench.api.Explainer;
import org.vitbench.api.ExplainerInfo;
import org.vitbench.api.Family;
import org.vitbench.api.Heatmaps;
import org.vitbench.api.MethodDeclaration;
import org.vitbench.api.ModelInfo;
import org.vitbench.api.Parameter;
import org.vitbench.api.Parameters;
import org.vitbench.api.Removal;
import org.vitbench.api.Removal.PixelBaseline;
import org.vitbench.api.Requirement;
import org.vitbench.api.Sample;
import org.vitbench.api.Seeds;
import org.vitbench.api.VitModel;
import org.vitbench.models.masking.MaskedEvaluator;
import org.vitbench.models.masking.MaskedEvaluator.Output;

/**
 * The HSIC attribution method: the dependence, measured by the Hilbert-Schmidt independence
 * criterion, between whether a grid cell is kept and the model's output, over random binary masks
 * (Novello, Fel, Vigouroux 2022, "Making Sense of Dependence: Efficient Black-box Explanations
 * Using Dependence Measure", NeurIPS, arXiv 2206.06219).
 *
 * <p>Algorithm (blackbox brief, section 4.1): a binary design {@code X} ({@code [n, d]},
 * {@code d = g * g} cells, 1 = kept) is expanded to patch keep-masks
 * ({@link Grids#cellsToPatchKeep}) and evaluated with the chosen removal
 * ({@link MaskedEvaluator#evaluate}): {@code n} forwards per image, whatever {@code d}, each keeping
 * all {@code K} outputs. Per class, with {@code y} the {@code [n]} outputs:
 * <pre>
 *   w       = median(y)                        (linear interpolation, as xplique)
 *   L_ab    = exp(-(y_a - y_b)^2 / (2 w^2))    ([n, n] output kernel)
 *   H       = I - 11^T / n
 *   score_i = (2 / n) u_i^T (H L H) u_i        (u_i = column i of X)
 * </pre>
 * The last line equals xplique's {@code trace(K^i H L H) / n} with the binary input kernel
 * {@code K^i_ab = 1.5} if {@code X_ai = X_bi} else {@code 0.5}: centring removes every term of
 * {@code K^i} but {@code 2 u_i u_i^T} (blackbox brief, section 4.1). It is computed as
 * {@code (2 / n) v_i^T L v_i} with the centred columns {@code v_i = H u_i}, in double, in
 * {@code O(n^2 d)} time per class and {@code O(n d)} memory; {@code L} is never stored.
 *
 * <p>Bandwidth guard: when {@code |median(y)| < 1e-12} the kernel is undefined (the reference
 * divides by 0 and returns NaN); the population standard deviation of {@code y} is used instead,
 * and if that is below 1e-12 too (a constant output) every score is 0. Scores are non-negative.
 *
 * <p>Output: the {@code [d]} cell scores of each class, expanded to the patch grid
 * ({@code [K][P]}); each patch gets its cell's score.
 *
 * <p>Parameters:
 * <ul>
 *   <li>{@code grid} cells per side, default 0 = the model's patch grid (cells then coincide with
 *       tokens); otherwise 2 to 64 and a divisor of the patch grid, so that a cell is a whole
 *       number of tokens; 31 at most with the {@code sobol} sampler (its {@code d} dimensions must
 *       fit Commons Math's 1000-dimension table). The references use 8 (xplique) or 7 (docs,
 *       authors' notebook).
 *   <li>{@code designs} n, default 500 (xplique's default), 2 to 16384; the docs recommend 1500.
 *   <li>{@code sampler} {@code sobol} (default: xplique's unscrambled TensorFlow Sobol' points,
 *       origin skipped, rounded half-to-even to {0, 1}, so the first mask removes everything; the
 *       same design for every image) | {@code lhs} (the authors' notebook and the paper: a Latin
 *       hypercube of {@code n / 2} points in {@code 2 d} dimensions, rounded, each point giving
 *       masks {@code 2k} (its first {@code d} values) and {@code 2k + 1} (the rest); per dimension
 *       a shuffle of the strata, then one uniform offset per stratum; seeded per image by
 *       {@code Seeds.of(runSeed, sampleId, "hsic")}; {@code n} must be even).
 *   <li>{@code removal} default {@code pixel-mean} (the references' "inpainting": 0 after
 *       normalisation); {@code token-drop} and {@code attention-mask} are allowed.
 *   <li>{@code output} {@code logit} (default, as the reference notebook) | {@code probability}.
 *   <li>{@code batchSize} masked copies per forward, default 0 (sized from the context's activation memory budget).
 * </ul>
 *
 * <p>Maps depend on the run seed only with {@code sampler=lhs}. Instances are immutable and
 * thread-safe.
 */
public final class HsicAttribution implements Explainer {

    /** The stable id. */
    public static final String ID = "hsic";

    private static final ExplainerInfo INFO = new ExplainerInfo(ID, "HSIC attribution", Family.PERTURBATION,
            Set.of(Requirement.MASKING), true,
            "Novello, Fel, Vigouroux 2022, Making Sense of Dependence: Efficient Black-box Explanations Using "
                    + "Dependence Measure, arXiv 2206.06219");

    static final String GRID = "grid";
    static final String DESIGNS = "designs";
    static final String SAMPLER = "sampler";

    static final int MAX_GRID = 64;

    /** The finest grid whose {@code g^2} dimensions fit {@link SobolDesign#MAX_DIMENSION}. */
    static final int MAX_SOBOL_GRID = 31;

    static final int MAX_DESIGNS = 16384;

    /** Below this a bandwidth is treated as 0. */
    static final double BANDWIDTH_FLOOR = 1e-12;

    /** How the binary design is drawn. */
    public enum Sampler {
        /** Unscrambled Sobol' points without the origin, rounded (xplique's default). */
        SOBOL,
        /** A seeded Latin hypercube in twice the dimensions, rounded (the authors' notebook). */
        LHS;

        /** The parameter value, e.g. {@code sobol}. */
        public String id() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    private static final Parameter<Sampler> SAMPLER_PARAMETER = Parameter.oneOf(SAMPLER, Sampler.SOBOL,
            List.of(Sampler.values()), Sampler::id, "sobol (the reference's default) or lhs (Latin hypercube)");
    private static final Parameter<Integer> GRID_PARAMETER = Parameter.integer(GRID, 0, 0, Integer.MAX_VALUE,
            "mask cells per side: 0 (the patch grid) or 2 to " + MAX_SOBOL_GRID + " (sobol), " + MAX_GRID + " (lhs)");
    private static final Parameter<Integer> DESIGNS_PARAMETER = Parameter.integer(DESIGNS, 500, 2, MAX_DESIGNS,
            "masks per image (even with lhs)");
    private static final Parameter<Removal> REMOVAL = Removal.parameter(Removal.pixel(PixelBaseline.MEAN));
    // the reference explains logits
    private static final Parameter<Output> OUTPUT = Perturbation.OUTPUT_PARAMETER.withDefault(Output.LOGITS);

    /** The registration: parameters and factory. */
    public static final MethodDeclaration DECLARATION = MethodDeclaration.of(INFO, List.of(GRID_PARAMETER,
            DESIGNS_PARAMETER, SAMPLER_PARAMETER, REMOVAL, OUTPUT, Perturbation.BATCH_SIZE_PARAMETER),
            HsicAttribution::new);

    private final Arguments arguments;
    private final int grid;
    private final int designs;
    private final Sampler sampler;
    private final Removal removal;
    private final Output output;
    private final int batchSize;

    /** The reference's defaults: 500 Sobol' designs on the patch grid, pixel-mean removal, logits. */
    public HsicAttribution() {
        this(DECLARATION.resolve(Map.of()));
    }

    private HsicAttribution(Arguments arguments) {
        this.arguments = arguments;
        this.sampler = arguments.get(SAMPLER_PARAMETER);
        int maxGrid = sampler == Sampler.SOBOL ? MAX_SOBOL_GRID : MAX_GRID;
        this.grid = arguments.get(GRID_PARAMETER);
        if (grid == 1 || grid > maxGrid) {
            throw new ConfigurationException("invalid value '" + grid + "' for parameter 'grid' of " + ID
                    + "; allowed: 0 (the patch grid) or 2 to " + maxGrid + " with sampler=" + sampler.id()
                    + (sampler == Sampler.SOBOL ? " (grid^2 Sobol' dimensions must fit Commons Math's "
                            + SobolDesign.MAX_DIMENSION + "-dimension table)" : ""));
        }
        this.designs = arguments.get(DESIGNS_PARAMETER);
        if (sampler == Sampler.LHS && designs % 2 != 0) {
            throw new ConfigurationException("invalid value '" + designs + "' for parameter 'designs' of " + ID
                    + "; allowed with sampler=lhs: an even number from 2 to " + MAX_DESIGNS
                    + " (each Latin hypercube point gives two masks), e.g. " + (designs - 1) + " or " + (designs + 1));
        }
        this.removal = arguments.get(REMOVAL);
        this.output = arguments.get(OUTPUT);
        this.batchSize = arguments.get(Perturbation.BATCH_SIZE_PARAMETER);
    }

    /** Creates the method from parameters; unknown keys fail. */
    public static HsicAttribution create(Parameters parameters) {
        return (HsicAttribution) DECLARATION.create(parameters);
    }

    @Override
    public ExplainerInfo info() {
        return INFO;
    }

    @Override
    public Parameters parameters() {
        return arguments.parameters();
    }

    /** Whether maps depend on the seed (Latin hypercube designs). */
    public boolean isRandomised() {
        return sampler == Sampler.LHS;
    }

    @Override
    public Heatmaps explain(Context context, List<Sample> batch, int[] targets) {
        VitModel model = context.model();
        ModelInfo info = model.info();
        int patchGrid = info.grid();
        int g = grid == 0 ? patchGrid : grid;
        if (patchGrid % g != 0) {
            throw new ConfigurationException("grid " + g + " of " + ID + " does not divide the " + patchGrid + " x "
                    + patchGrid + " patch grid of model " + info.name() + "; allowed: 0 (the patch grid) or "
                    + IntStream.rangeClosed(2, patchGrid).filter(v -> patchGrid % v == 0).mapToObj(Integer::toString)
                            .collect(Collectors.joining(", ")));
        }
        if (sampler == Sampler.SOBOL && g * g > SobolDesign.MAX_DIMENSION) {
            throw new ConfigurationException("grid 0 of " + ID + " means the " + g + " x " + g + " patch grid of model "
                    + info.name() + ", whose " + g * g + " Sobol' dimensions exceed Commons Math's "
                    + SobolDesign.MAX_DIMENSION + "; use sampler=lhs or a grid that divides " + patchGrid);
        }
        int d = g * g;
        MaskedEvaluator evaluator = Perturbation.evaluator(removal, batchSize, context);
        boolean[][] shared = sampler == Sampler.SOBOL ? sobolDesign(designs, d) : null;
        double[][] sharedCentred = shared != null ? centredColumns(shared) : null;
        return Perturbation.explainEach(context, batch, targets, (image, sample, target, progress) -> {
            boolean[][] design = shared;
            double[][] centred = sharedCentred;
            if (design == null) {
                design = lhsDesign(designs, d,
                        RandomSource.XO_RO_SHI_RO_128_PP.create(Seeds.of(context.seed(), sample.id(), ID)));
                centred = centredColumns(design);
            }
            boolean[][] keep = new boolean[designs][];
            for (int r = 0; r < designs; r++) {
                keep[r] = Grids.cellsToPatchKeep(design[r], g, patchGrid); // [d] -> [P]
            }
            double[][] outputs = evaluator.evaluate(model, image, keep, output, 0, progress); // [n][K]
            double[][] maps = new double[info.numClasses()][];
            double[] y = new double[designs];
            for (int k = 0; k < maps.length; k++) {
                for (int r = 0; r < designs; r++) {
                    y[r] = outputs[r][k];
                }
                maps[k] = Grids.cellsToPatches(scores(centred, y), g, info.imageSize(), info.patchSize());
            }
            return maps;
        });
    }

    /**
     * xplique's default design: the first {@code n} unscrambled Sobol' points after the origin,
     * rounded half-to-even (so 0.5 becomes 0), {@code true} = kept.
     *
     * @return {@code [n][d]}
     */
    static boolean[][] sobolDesign(int n, int d) {
        double[][] points = SobolDesign.unscrambled(d, true).points(n);
        boolean[][] design = new boolean[n][d];
        for (int r = 0; r < n; r++) {
            for (int i = 0; i < d; i++) {
                design[r][i] = Math.rint(points[r][i]) == 1.0;
            }
        }
        return design;
    }

    /**
     * The authors' design: a Latin hypercube of {@code n / 2} points in {@code 2d} dimensions,
     * rounded, read row-major as {@code n} masks of {@code d} cells. Per dimension the strata are
     * shuffled, then one uniform offset is drawn per point. When {@code n / 2} is even every cell
     * is kept in exactly half of the masks.
     *
     * @param n masks, even
     * @return {@code [n][d]}
     */
    static boolean[][] lhsDesign(int n, int d, UniformRandomProvider random) {
        int m = n / 2;
        boolean[][] design = new boolean[n][d];
        int[] strata = new int[m];
        for (int dim = 0; dim < 2 * d; dim++) {
            Arrays.setAll(strata, k -> k);
            ArraySampler.shuffle(random, strata);
            for (int k = 0; k < m; k++) {
                double value = (strata[k] + random.nextDouble()) / m; // [m points][2d] -> [2m masks][d]
                design[2 * k + dim / d][dim % d] = Math.rint(value) == 1.0;
            }
        }
        return design;
    }

    /**
     * The design's columns centred: {@code v_i = H u_i = u_i - mean(u_i)}.
     *
     * @param design {@code [n][d]}
     * @return {@code [n][d]}
     */
    static double[][] centredColumns(boolean[][] design) {
        int n = design.length;
        int d = design[0].length;
        double[] means = new double[d];
        for (boolean[] row : design) {
            for (int i = 0; i < d; i++) {
                means[i] += row[i] ? 1.0 / n : 0.0;
            }
        }
        double[][] centred = new double[n][d];
        for (int a = 0; a < n; a++) {
            for (int i = 0; i < d; i++) {
                centred[a][i] = (design[a][i] ? 1.0 : 0.0) - means[i];
            }
        }
        return centred;
    }

    /**
     * The output kernel's bandwidth: {@code median(y)} with linear interpolation, or the
     * population standard deviation when {@code |median| < 1e-12}, or 0 when that is below 1e-12
     * too (a constant output).
     */
    static double bandwidth(double[] y) {
        double[] sorted = y.clone();
        Arrays.sort(sorted);
        double position = (sorted.length - 1) / 2.0;
        int low = (int) Math.floor(position);
        int high = (int) Math.ceil(position);
        double median = sorted[low] + (position - low) * (sorted[high] - sorted[low]);
        if (Math.abs(median) >= BANDWIDTH_FLOOR) {
            return Math.abs(median);
        }
        double mean = Arrays.stream(y).sum() / y.length;
        double sumOfSquares = 0;
        for (double v : y) {
            sumOfSquares += (v - mean) * (v - mean);
        }
        double sd = Math.sqrt(sumOfSquares / y.length);
        return sd >= BANDWIDTH_FLOOR ? sd : 0.0;
    }

    /**
     * HSIC scores of every cell for one output, {@code (2 / n) v_i^T L v_i}.
     *
     * @param centred {@code [n][d]} centred design columns ({@link #centredColumns})
     * @param y {@code [n]} outputs
     * @return {@code [d]}, all 0 when the output is constant
     */
    static double[] scores(double[][] centred, double[] y) {
        int n = y.length;
        int d = centred[0].length;
        double[] scores = new double[d];
        double w = bandwidth(y);
        if (w == 0.0) {
            return scores;
        }
        double scale = -1.0 / (2 * w * w);
        // v^T L v = sum_a v_a^2 + 2 sum_a v_a sum_{b<a} L_ab v_b, as L is symmetric with unit diagonal.
        double[] below = new double[d];
        for (int a = 0; a < n; a++) {
            Arrays.fill(below, 0.0);
            for (int b = 0; b < a; b++) {
                double diff = y[a] - y[b];
                double l = Math.exp(diff * diff * scale);
                double[] vb = centred[b];
                for (int i = 0; i < d; i++) {
                    below[i] += l * vb[i];
                }
            }
            double[] va = centred[a];
            for (int i = 0; i < d; i++) {
                scores[i] += va[i] * (va[i] + 2 * below[i]);
            }
        }
        for (int i = 0; i < d; i++) {
            scores[i] *= 2.0 / n;
        }
        return scores;
    }

    @Override
    public String toString() {
        return ID + parameters();
    }
}
