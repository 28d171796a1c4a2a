package org.vitbench.methods.perturbation;

import ai.djl.ndarray.NDArray;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.vitbench.api.Arguments;
import org.vitbench.api.Averages;
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
import org.vitbench.api.Progress;
import org.vitbench.api.Removal;
import org.vitbench.api.Removal.PixelBaseline;
import org.vitbench.api.Requirement;
import org.vitbench.api.Sample;
import org.vitbench.api.Seeds;
import org.vitbench.api.VitModel;
import org.vitbench.models.masking.MaskedEvaluator;
import org.vitbench.models.masking.MaskedEvaluator.Output;

/**
 * The Sobol attribution method: the total-order Sobol' index of each grid cell of a continuous
 * mask, i.e. the share of the output's variance that involves that cell (Fel, Cadene, Chalvidal,
 * Cord, Vigouroux, Serre 2021, "Look at the Variance! Efficient Black-box Explanations with
 * Sobol-based Sensitivity Analysis", NeurIPS, arXiv 2111.04138).
 *
 * <p>Design (blackbox brief, section 3.1): with {@code d = g * g} cells, {@code N} quasi-Monte Carlo
 * points in {@code [0, 1)^{2d}} ({@link SobolDesign}) give {@code A} (the first {@code d} columns,
 * {@code [N, d]}) and {@code B} (the last {@code d}); {@code C_i} is {@code A} with column
 * {@code i} taken from {@code B}. Each row is a mask of cell weights, upsampled nearest-neighbour to
 * {@code S x S} pixels ({@link Grids#upsampleNearest}) and blended {@code x m + (1 - m) x0}
 * ({@link MaskedEvaluator#evaluateBlended}). Only {@code A} and the {@code C_i} are evaluated, in
 * that order: {@code N (d + 1)} forwards per image. The references also evaluate {@code B}
 * ({@code N (d + 2)}), but no estimator reads {@code f(B)}. Every forward keeps all {@code K}
 * outputs, so one design explains every class.
 *
 * <p>Estimators of {@code ST_i} per class, from {@code yA = f(A)} and {@code yC = f(C_i)}
 * ({@code [N]} each), with {@code V} the sample variance of {@code yA} (denominator {@code N - 1})
 * floored at {@code 1e-12} (xplique's guard against a model that ignores the mask):
 * <ul>
 *   <li>{@code jansen} (default, recommended by the authors): {@code sum_j (yA_j - yC_j)^2 / (2 N V)}
 *       (Jansen 1999); a constant output gives 0.
 *   <li>{@code homma}: {@code (V - mean(yA yC) + mean(yA)^2) / V} (Homma &amp; Saltelli 1996).
 *   <li>{@code saltelli}: {@code 1 - (mean(yA yC) - mean(yA)^2) / V}. It is the same expression as
 *       {@code homma} (so are xplique's two classes); both ids are kept so that xplique
 *       configurations parse.
 *   <li>{@code janon}: {@code 1 - (mean(yA yC) - m^2) / (mean((yA^2 + yC^2) / 2) - m^2)} with the
 *       pooled mean {@code m = mean((yA + yC) / 2)} (Janon et al. 2014), denominator floored at
 *       1e-12. xplique divides the pooled second moment by {@code N - 1} instead of {@code N}.
 *   <li>{@code glen}: {@code 1 - corr(yA, yC)}, Pearson correlation with both variances floored at
 *       1e-12 (Glen &amp; Isaacs 2012).
 * </ul>
 * A constant output gives 0 with {@code jansen} and 1 with the others (their numerator vanishes
 * against a floored denominator). Total indices are non-negative up to sampling error; they are
 * unsigned (the authors' recipe for a sign is {@code sign(occlusion) * ST}).
 *
 * <p>Output: the {@code [d]} cell map of each class is returned on the patch grid ({@code [K][P]}):
 * unchanged when {@code g} is the patch grid, else resampled with {@link Grids#cellsToPatches}
 * (area-weighted). The references' bicubic resize to pixels is for display only and is not done.
 *
 * <p>Parameters:
 * <ul>
 *   <li>{@code grid} cells per side, default 0 = the model's patch grid (cells then coincide with
 *       tokens); otherwise 2 to 22, because {@code 2 d} Sobol' dimensions must fit Commons Math's
 *       1000-dimension table. The references use 8; that grid straddles tokens on a 14 x 14 ViT.
 *   <li>{@code designs} N, a power of two from 2 to 4096, default 16: xplique's docs call 16 to 64
 *       sufficient, and 16 keeps the embedded run fast.
 *   <li>{@code estimator} {@code jansen} (default) | {@code homma} | {@code janon} | {@code glen} |
 *       {@code saltelli}.
 *   <li>{@code baseline} what a weight of 0 shows: {@code mean} (default: 0 after normalisation,
 *       the references' "inpainting") | {@code zero} | {@code blur} (our Gaussian blur; the
 *       reference's blur is a 10 x 10 box filter).
 *   <li>{@code output} {@code logit} (default, as the reference notebooks) | {@code probability}.
 *   <li>{@code scramble} (default false, as the references): a scrambled design seeded per image by
 *       {@code Seeds.of(runSeed, sampleId, "sobol")}; scipy does not skip the origin when it
 *       scrambles, so pair it with {@code skipOrigin=false} for scipy's construction.
 *   <li>{@code skipOrigin} (default true): start at {@code (0.5, ..., 0.5)} as TensorFlow and
 *       xplique; false starts at the origin as the original PyTorch explainer (scipy).
 *   <li>{@code batchSize} masked copies per forward, default 0 (sized from the context's activation memory budget).
 *   <li>{@code preset}: {@code fel2021} = grid 8, designs 64 (the original explainers' defaults);
 *       {@code xplique} = grid 8, designs 32. Explicit parameters override the preset, and
 *       {@link #parameters()} holds the resolved values without the preset name.
 * </ul>
 *
 * <p>Edge cases: a grid finer than the image fails at {@link #explain} time, as does a patch grid
 * above 22 with {@code grid=0}. Unless {@code scramble} is set the maps do not depend on the run
 * seed. Instances are immutable and thread-safe.
 */
public final class SobolAttribution implements Explainer {

    /** The stable id. */
    public static final String ID = "sobol";

    private static final ExplainerInfo INFO = new ExplainerInfo(ID, "Sobol attribution", Family.PERTURBATION,
            Set.of(Requirement.MASKING), true,
            "Fel, Cadene, Chalvidal, Cord, Vigouroux, Serre 2021, Look at the Variance! Efficient Black-box "
                    + "Explanations with Sobol-based Sensitivity Analysis, arXiv 2111.04138");

    static final String GRID = "grid";
    static final String DESIGNS = "designs";
    static final String ESTIMATOR = "estimator";
    static final String BASELINE = "baseline";
    static final String SCRAMBLE = "scramble";
    static final String SKIP_ORIGIN = "skipOrigin";

    /** The finest grid whose {@code 2 g^2} dimensions fit {@link SobolDesign#MAX_DIMENSION}. */
    static final int MAX_GRID = 22;

    static final int MAX_DESIGNS = 4096;

    /** Variance floor of xplique's estimators. */
    static final double VARIANCE_FLOOR = 1e-12;

    /** Java heap for one chunk of pixel masks: 64 MiB of floats. */
    private static final long PIXEL_CHUNK_BYTES = 64L << 20;

    /** Estimators of the total-order index from {@code f(A)} and {@code f(C_i)}. */
    public enum Estimator {
        JANSEN, HOMMA, JANON, GLEN, SALTELLI;

        /** The parameter value, e.g. {@code jansen}. */
        public String id() {
            return name().toLowerCase(Locale.ROOT);
        }

        /**
         * Total-order indices of one output.
         *
         * @param yA {@code [N]} outputs on the rows of {@code A}, {@code N >= 2}
         * @param yC {@code [d][N]} outputs on the rows of each {@code C_i}
         * @return {@code [d]}
         */
        public double[] totalIndices(double[] yA, double[][] yC) {
            int n = yA.length;
            double meanA = Averages.mean(yA);
            double variance = Math.max(VARIANCE_FLOOR, sumOfSquares(yA, meanA) / (n - 1));
            double[] st = new double[yC.length];
            for (int i = 0; i < yC.length; i++) {
                double[] c = yC[i];
                if (c.length != n) {
                    throw new IllegalArgumentException("C_" + i + " has " + c.length + " outputs, A has " + n);
                }
                st[i] = switch (this) {
                    case JANSEN -> {
                        double sum = 0;
                        for (int j = 0; j < n; j++) {
                            double diff = yA[j] - c[j];
                            sum += diff * diff;
                        }
                        yield sum / (2.0 * n * variance);
                    }
                    // mean(yA yC) - mA^2, written with centred yA so large means do not cancel.
                    case HOMMA, SALTELLI -> 1 - (crossMoment(yA, c, meanA) + meanA * (Averages.mean(c) - meanA))
                            / variance;
                    case JANON -> {
                        double meanC = Averages.mean(c);
                        double pooledMean = (meanA + meanC) / 2;
                        // mean((yA^2 + yC^2) / 2) - m^2 and mean(yA yC) - m^2, both centred at m.
                        double pooledVariance =
                                (sumOfSquares(yA, pooledMean) + sumOfSquares(c, pooledMean)) / (2.0 * n);
                        double covariance = crossMoment(yA, c, pooledMean) + pooledMean * (meanC - pooledMean);
                        yield 1 - covariance / Math.max(VARIANCE_FLOOR, pooledVariance);
                    }
                    case GLEN -> {
                        double meanC = Averages.mean(c);
                        double covariance = 0;
                        for (int j = 0; j < n; j++) {
                            covariance += (yA[j] - meanA) * (c[j] - meanC);
                        }
                        covariance /= n - 1;
                        double varianceC = Math.max(VARIANCE_FLOOR, sumOfSquares(c, meanC) / (n - 1));
                        yield 1 - covariance / Math.sqrt(variance * varianceC);
                    }
                };
            }
            return st;
        }

        /** {@code mean((a - m) * c)}. */
        private static double crossMoment(double[] a, double[] c, double m) {
            double sum = 0;
            for (int j = 0; j < a.length; j++) {
                sum += (a[j] - m) * c[j];
            }
            return sum / a.length;
        }
    }

    private static final Parameter<Integer> GRID_PARAMETER = Parameter.integer(GRID, 0, 0, Integer.MAX_VALUE,
            "mask cells per side: 0 (the patch grid) or 2 to " + MAX_GRID);
    private static final Parameter<Integer> DESIGNS_PARAMETER = Parameter.integer(DESIGNS, 16, 2, MAX_DESIGNS,
            "Sobol' designs: a power of two");
    private static final Parameter<Estimator> ESTIMATOR_PARAMETER = Parameter.oneOf(ESTIMATOR, Estimator.JANSEN,
            List.of(Estimator.values()), Estimator::id, "estimator of the total-order index");
    private static final Parameter<Boolean> SCRAMBLE_PARAMETER = Parameter.flag(SCRAMBLE, false,
            "scramble the Sobol' sequence (randomised, seeded per image)");
    private static final Parameter<Boolean> SKIP_ORIGIN_PARAMETER = Parameter.flag(SKIP_ORIGIN, true,
            "skip the sequence's first point, as the reference");
    // the references explain logits
    private static final Parameter<Output> OUTPUT = Perturbation.OUTPUT_PARAMETER.withDefault(Output.LOGITS);

    /** The registration: parameters, the fel2021 and xplique presets, and the factory. */
    public static final MethodDeclaration DECLARATION = MethodDeclaration.of(INFO, List.of(GRID_PARAMETER,
            DESIGNS_PARAMETER, ESTIMATOR_PARAMETER, Perturbation.BASELINE_PARAMETER, OUTPUT, SCRAMBLE_PARAMETER,
            SKIP_ORIGIN_PARAMETER, Perturbation.BATCH_SIZE_PARAMETER), SobolAttribution::new)
            .preset("fel2021", Map.of(GRID, "8", DESIGNS, "64"))
            .preset("xplique", Map.of(GRID, "8", DESIGNS, "32"));

    private final Arguments arguments;
    private final int grid;
    private final int designs;
    private final Estimator estimator;
    private final PixelBaseline baseline;
    private final Output output;
    private final boolean scramble;
    private final boolean skipOrigin;
    private final int batchSize;

    /** The defaults: the patch grid, 16 designs, Jansen's estimator, the mean baseline, logits. */
    public SobolAttribution() {
        this(DECLARATION.resolve(Map.of()));
    }

    private SobolAttribution(Arguments arguments) {
        this.arguments = arguments;
        this.grid = arguments.get(GRID_PARAMETER);
        if (grid == 1 || grid > MAX_GRID) {
            throw new ConfigurationException("invalid value '" + grid + "' for parameter 'grid' of " + ID
                    + "; allowed: 0 (the patch grid) or 2 to " + MAX_GRID + " (2 * grid^2 Sobol' dimensions must"
                    + " fit Commons Math's " + SobolDesign.MAX_DIMENSION + "-dimension Joe-Kuo table)");
        }
        this.designs = arguments.get(DESIGNS_PARAMETER);
        if (Integer.bitCount(designs) != 1) {
            int below = Integer.highestOneBit(designs);
            throw new ConfigurationException("invalid value '" + designs + "' for parameter 'designs' of " + ID
                    + "; allowed: a power of two from 2 to " + MAX_DESIGNS + ", e.g. " + below + " or " + 2 * below);
        }
        this.estimator = arguments.get(ESTIMATOR_PARAMETER);
        this.baseline = arguments.get(Perturbation.BASELINE_PARAMETER);
        this.output = arguments.get(OUTPUT);
        this.scramble = arguments.get(SCRAMBLE_PARAMETER);
        this.skipOrigin = arguments.get(SKIP_ORIGIN_PARAMETER);
        this.batchSize = arguments.get(Perturbation.BATCH_SIZE_PARAMETER);
    }

    /** Creates the method from parameters; unknown keys fail. */
    public static SobolAttribution create(Parameters given) {
        return (SobolAttribution) DECLARATION.create(given);
    }

    @Override
    public ExplainerInfo info() {
        return INFO;
    }

    @Override
    public Parameters parameters() {
        return arguments.parameters();
    }

    /** Whether maps depend on the seed (a scrambled sequence). */
    public boolean isRandomised() {
        return scramble;
    }

    @Override
    public Heatmaps explain(Context context, List<Sample> batch, int[] targets) {
        VitModel model = context.model();
        ModelInfo info = model.info();
        int g = grid == 0 ? info.grid() : grid;
        if (2 * g * g > SobolDesign.MAX_DIMENSION) {
            throw new ConfigurationException("grid 0 of " + ID + " means the " + g + " x " + g + " patch grid of model "
                    + info.name() + ", whose " + 2 * g * g + " Sobol' dimensions exceed Commons Math's "
                    + SobolDesign.MAX_DIMENSION + "; allowed: grid 2 to " + MAX_GRID);
        }
        if (g > info.imageSize()) {
            throw new ConfigurationException("grid " + g + " of " + ID + " exceeds the " + info.imageSize()
                    + " pixels per side of model " + info.name() + "; allowed: 0 (the patch grid) or 2 to "
                    + Math.min(MAX_GRID, info.imageSize()));
        }
        // Blending ignores the evaluator's removal; only its batch size matters.
        MaskedEvaluator evaluator = Perturbation.evaluator(Removal.TOKEN_DROP, batchSize, context);
        double[][] shared = scramble ? null : SobolDesign.unscrambled(2 * g * g, skipOrigin).points(designs);
        return Perturbation.explainEach(context, batch, targets, (image, sample, target, progress) -> {
            double[][] points = shared != null ? shared
                    : SobolDesign.scrambled(2 * g * g, skipOrigin, Seeds.of(context.seed(), sample.id(), ID))
                            .points(designs);
            double[][] outputs = evaluate(model, image, evaluator, points, g, progress);
            double[][] maps = new double[info.numClasses()][];
            for (int k = 0; k < maps.length; k++) {
                double[] cells = cellIndices(outputs, k, designs, g * g);
                maps[k] = Grids.cellsToPatches(cells, g, info.imageSize(), info.patchSize());
            }
            return maps;
        });
    }

    /** The model's outputs on every row of the design ({@link #designRow}); {@code [N (d + 1)][K]}. */
    private double[][] evaluate(VitModel model, NDArray image, MaskedEvaluator evaluator, double[][] points, int g,
            Progress progress) {
        int size = model.info().imageSize();
        int d = g * g;
        int rows = designs * (d + 1);
        int chunk = (int) Math.max(1, Math.min(evaluator.batchSize(), PIXEL_CHUNK_BYTES / (4L * size * size)));
        double[][] outputs = new double[rows][];
        for (int start = 0; start < rows; start += chunk) {
            int n = Math.min(chunk, rows - start);
            float[][] masks = new float[n][];
            for (int r = 0; r < n; r++) {
                masks[r] = Grids.upsampleNearest(designRow(points, d, start + r), g, size); // [d] -> [S * S]
            }
            int offset = start;
            double[][] scores = evaluator.evaluateBlended(model, image, masks, baseline, output, 0,
                    (done, total) -> progress.update(offset + done, rows));
            System.arraycopy(scores, 0, outputs, start, n);
        }
        return outputs;
    }

    /** The {@code [d]} total indices of class {@code k} from outputs ordered A, C_0, ..., C_{d-1}. */
    private double[] cellIndices(double[][] outputs, int k, int n, int d) {
        double[] yA = new double[n];
        double[][] yC = new double[d][n];
        for (int j = 0; j < n; j++) {
            yA[j] = outputs[j][k];
            for (int i = 0; i < d; i++) {
                yC[i][j] = outputs[n + i * n + j][k];
            }
        }
        return estimator.totalIndices(yA, yC);
    }

    /**
     * Row {@code r} of the evaluated design: {@code A_r} for {@code r < N}, else row {@code j} of
     * {@code C_i} with {@code r = N + i N + j}, i.e. {@code A_j} with cell {@code i} set to {@code B_ji}.
     *
     * @param points {@code [N][2d]} design points, {@code A} then {@code B} columns
     * @param d cells per mask
     * @return {@code [d]} cell weights in [0, 1)
     */
    static double[] designRow(double[][] points, int d, int r) {
        int n = points.length;
        if (r < n) {
            return Arrays.copyOf(points[r], d);
        }
        int i = (r - n) / n;
        int j = (r - n) % n;
        double[] row = Arrays.copyOf(points[j], d);
        row[i] = points[j][d + i];
        return row;
    }

    private static double sumOfSquares(double[] values, double mean) {
        double sum = 0;
        for (double v : values) {
            sum += (v - mean) * (v - mean);
        }
        return sum;
    }

    @Override
    public String toString() {
        return ID + parameters();
    }
}
