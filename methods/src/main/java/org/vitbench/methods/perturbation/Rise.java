package org.vitbench.methods.perturbation;

import ai.djl.ndarray.NDArray;
import java.util.List;
import java.util.Locale;
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
 * RISE: the saliency of a region is the model's output averaged over random smooth masks, weighted
 * by how much each mask keeps of the region (Petsiuk, Das, Saenko 2018, "RISE: Randomized Input
 * Sampling for Explanation of Black-box Models", BMVC, arXiv 1806.07421).
 *
 * <p>Masks: an {@code s x s} grid of Bernoulli({@code p}) cells is upsampled bilinearly (half-pixel
 * centres, clamp to edge; {@link Bilinear}) to {@code (s + 1) * cell} samples with
 * {@code cell = ceil(size / s)} and cropped {@code size x size} at a shift {@code (dy, dx)} drawn
 * uniformly from {@code {0 .. cell - 1}}, one shift per mask (blackbox brief, section 5.1).
 * <ul>
 *   <li>{@code mode=pixel} (default, the reference): {@code size = S} pixels; the image is blended
 *       {@code x m + (1 - m) x0} ({@link MaskedEvaluator#evaluateBlended}) and
 *       {@code saliency[c] = sum_n P[n, c] m_n / (N p)} per pixel, returned as patch means
 *       ({@code [K][P]}). Patch means are linear, so they are accumulated directly and the
 *       {@code [K, S, S]} pixel map is never stored.
 *   <li>{@code mode=token}: the same construction on the patch grid ({@code size = g} tokens, shifts
 *       in token units), then each token is kept with probability {@code m_i}, which is unbiased
 *       for the soft mask; the binary masks {@code z_n} are evaluated with {@code removal} and
 *       {@code saliency[c] = sum_n P[n, c] z_n / (N p)}. This estimates
 *       {@code E[f z_i] / p = E[f | token i kept]} (as {@code P(z_i = 1) = p}), a different
 *       quantity from the pixel estimator {@code E[f m_i] / p} (blackbox brief, section 8). When
 *       {@code s = g} a cell is one token and the mask is the Bernoulli grid itself: there is
 *       nothing to smooth and no sub-cell shift.
 * </ul>
 * {@code E[m_i] = p} for every pixel or token, so a model with constant output {@code q} gets
 * {@code q} everywhere, up to sampling error.
 *
 * <p>Parameters:
 * <ul>
 *   <li>{@code masks} N, default 1000: keeps the embedded run fast; {@code preset=petsiuk2018}
 *       gives 4000.
 *   <li>{@code cells} s, default 7; 0 means the model's patch grid. At most {@code S} in pixel mode
 *       and at most {@code g} in token mode.
 *   <li>{@code p} keep probability of a cell, in (0, 1], default 0.5.
 *   <li>{@code mode} {@code pixel} (default) | {@code token}.
 *   <li>{@code baseline} (pixel mode only) {@code mean} (default: the reference multiplies the
 *       normalised input, so a removed pixel becomes the normalisation mean) | {@code zero} |
 *       {@code blur}.
 *   <li>{@code removal} (token mode only), default {@code token-drop}.
 *   <li>{@code output} {@code probability} (default, as the reference) | {@code logit};
 *       {@code batchSize} default 0 (sized from the activation memory budget of the context: 512 MiB unless the run is given --memory).
 *   <li>{@code preset}: {@code petsiuk2018} = pixel mode, N 4000, s 7, p 0.5 (xplique's defaults,
 *       the commonly cited ResNet-50 setting); {@code vit-shapley} = token mode, N 2000, s = the
 *       patch grid, p 0.5, {@code pixel-mean} removal, probabilities (ViT Shapley's RISE baseline,
 *       Covert, Kim, Lee 2023, arXiv 2206.05282, which normalises by the realised count of masks
 *       keeping a patch rather than by {@code N p}: a difference of about 2% at N 2000).
 *       Explicit parameters override the preset.
 * </ul>
 *
 * <p>Randomness: one generator per image, seeded by {@code Seeds.of(runSeed, sampleId, "rise")};
 * every mask draws its {@code s * s} cells, then its two shifts (none when {@code s = g} in token
 * mode), then (token mode) its {@code g * g} token draws, so maps do not depend on batching.
 * Instances are immutable and thread-safe.
 */
public final class Rise implements Explainer {

    /** The stable id. */
    public static final String ID = "rise";

    private static final ExplainerInfo INFO = new ExplainerInfo(ID, "RISE", Family.PERTURBATION,
            Set.of(Requirement.MASKING), true,
            "Petsiuk, Das, Saenko 2018, RISE: Randomized Input Sampling for Explanation of Black-box Models, "
                    + "arXiv 1806.07421");

    static final String MASKS = "masks";
    static final String CELLS = "cells";
    static final String P = "p";
    static final String MODE = "mode";
    static final String BASELINE = "baseline";

    /** Java heap for one chunk of pixel masks: 64 MiB of floats. */
    private static final long PIXEL_CHUNK_BYTES = 64L << 20;

    /** Binary token masks per evaluator call; bounds the heap for large N. */
    private static final int TOKEN_CHUNK = 8192;

    /** Where the masks live. */
    public enum Mode {
        /** Soft masks on pixels, blended with a baseline image (the reference). */
        PIXEL,
        /** Binary masks on the patch grid, drawn from the soft token masks. */
        TOKEN;

        /** The parameter value, e.g. {@code pixel}. */
        public String id() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    private static final Parameter<Mode> MODE_PARAMETER = Parameter.oneOf(MODE, Mode.PIXEL, List.of(Mode.values()),
            Mode::id, "pixel: upsampled soft masks blended with a baseline (the reference); token: binary patch masks");
    private static final Parameter<Integer> MASKS_PARAMETER = Parameter.integer(MASKS, 1000, 1, 1 << 24,
            "random masks per image");
    private static final Parameter<Integer> CELLS_PARAMETER = Parameter.integer(CELLS, 7, 0, 1 << 12,
            "mask cells per side; 0 means the patch grid");
    private static final Parameter<Double> P_PARAMETER = Parameter.number(P, 0.5, 0.0, 1.0,
            "probability that a cell is kept, in (0, 1]");
    private static final Parameter<PixelBaseline> BASELINE_PARAMETER =
            Perturbation.BASELINE_PARAMETER.onlyWhen(MODE, "pixel");
    private static final Parameter<Removal> REMOVAL = Removal.parameter(Removal.TOKEN_DROP).onlyWhen(MODE, "token");

    /** The registration: parameters, the petsiuk2018 and vit-shapley presets, and the factory. */
    public static final MethodDeclaration DECLARATION = MethodDeclaration.of(INFO, List.of(MODE_PARAMETER,
            MASKS_PARAMETER, CELLS_PARAMETER, P_PARAMETER, BASELINE_PARAMETER, REMOVAL, Perturbation.OUTPUT_PARAMETER,
            Perturbation.BATCH_SIZE_PARAMETER), Rise::new)
            .preset("petsiuk2018", Map.of(MODE, "pixel", MASKS, "4000", CELLS, "7", P, "0.5"))
            .preset("vit-shapley", Map.of(MODE, "token", MASKS, "2000", CELLS, "0", P, "0.5",
                    Perturbation.REMOVAL, "pixel-mean", Perturbation.OUTPUT, "probability"));

    private final Arguments arguments;
    private final Mode mode;
    private final int masks;
    private final int cells;
    private final double p;
    private final PixelBaseline baseline;
    private final Removal removal;
    private final Output output;
    private final int batchSize;

    /** The defaults: 1,000 pixel masks on a 7 x 7 grid, kept with probability 0.5, blended with the mean. */
    public Rise() {
        this(DECLARATION.resolve(Map.of()));
    }

    private Rise(Arguments arguments) {
        this.arguments = arguments;
        this.mode = arguments.get(MODE_PARAMETER);
        this.masks = arguments.get(MASKS_PARAMETER);
        this.cells = arguments.get(CELLS_PARAMETER);
        this.p = arguments.get(P_PARAMETER);
        if (p == 0) {
            throw new ConfigurationException("invalid value '0' for parameter 'p' of " + ID
                    + "; allowed: a number in (0, 1], since every mask would remove everything");
        }
        this.baseline = arguments.get(BASELINE_PARAMETER);
        this.removal = arguments.get(REMOVAL);
        this.output = arguments.get(Perturbation.OUTPUT_PARAMETER);
        this.batchSize = arguments.get(Perturbation.BATCH_SIZE_PARAMETER);
    }

    /** Creates the method from parameters; unknown keys fail. */
    public static Rise create(Parameters given) {
        return (Rise) DECLARATION.create(given);
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
        VitModel model = context.model();
        ModelInfo info = model.info();
        int s = cells == 0 ? info.grid() : cells;
        int limit = mode == Mode.PIXEL ? info.imageSize() : info.grid();
        if (s > limit) {
            throw new ConfigurationException("cells " + cells + " of " + ID + " exceeds the " + limit + " "
                    + (mode == Mode.PIXEL ? "pixels" : "patches") + " per side of model " + info.name()
                    + "; allowed: 0 (the patch grid) to " + limit);
        }
        // Blending ignores the evaluator's removal; only its batch size matters in pixel mode.
        MaskedEvaluator evaluator = Perturbation.evaluator(mode == Mode.TOKEN ? removal : Removal.TOKEN_DROP,
                batchSize, context);
        return Perturbation.explainEach(context, batch, targets, (image, sample, target, progress) -> {
            UniformRandomProvider random = RandomSource.XO_RO_SHI_RO_128_PP.create(
                    Seeds.of(context.seed(), sample.id(), ID));
            double[][] sums = mode == Mode.PIXEL
                    ? pixelSums(model, image, evaluator, s, random, progress)
                    : tokenSums(model, image, evaluator, s, random, progress);
            double scale = 1.0 / (masks * p);
            for (double[] map : sums) {
                for (int i = 0; i < map.length; i++) {
                    map[i] *= scale;
                }
            }
            return sums;
        });
    }

    /** {@code sum_n P[n, c] * patchMeans(m_n)}: {@code [K][P]}. */
    private double[][] pixelSums(VitModel model, NDArray image, MaskedEvaluator evaluator, int s,
            UniformRandomProvider random, Progress progress) {
        ModelInfo info = model.info();
        int size = info.imageSize();
        int cell = ceilDiv(size, s);
        Bilinear upsample = new Bilinear(s, (s + 1) * cell);
        int chunk = (int) Math.max(1, Math.min(evaluator.batchSize(), PIXEL_CHUNK_BYTES / (4L * size * size)));
        double[][] sums = new double[info.numClasses()][info.numPatches()];
        for (int start = 0; start < masks; start += chunk) {
            int n = Math.min(chunk, masks - start);
            float[][] pixels = new float[n][];
            double[][] patchMeans = new double[n][];
            for (int r = 0; r < n; r++) {
                pixels[r] = toUnitFloat(smoothMask(upsample, s, cell, size, random));
                patchMeans[r] = Grids.pixelsToPatches(pixels[r], size, info.patchSize());
            }
            int offset = start;
            double[][] scores = evaluator.evaluateBlended(model, image, pixels, baseline, output, 0,
                    (done, total) -> progress.update(offset + done, masks));
            accumulate(sums, scores, patchMeans);
        }
        return sums;
    }

    /** {@code sum_n P[n, c] * z_n}: {@code [K][P]}. */
    private double[][] tokenSums(VitModel model, NDArray image, MaskedEvaluator evaluator, int s,
            UniformRandomProvider random, Progress progress) {
        ModelInfo info = model.info();
        int g = info.grid();
        int cell = ceilDiv(g, s);
        Bilinear upsample = s == g ? null : new Bilinear(s, (s + 1) * cell);
        double[][] sums = new double[info.numClasses()][info.numPatches()];
        for (int start = 0; start < masks; start += TOKEN_CHUNK) {
            int n = Math.min(TOKEN_CHUNK, masks - start);
            boolean[][] keep = new boolean[n][];
            double[][] kept = new double[n][];
            for (int r = 0; r < n; r++) {
                double[] soft = s == g ? cellGrid(s, random) : smoothMask(upsample, s, cell, g, random);
                keep[r] = new boolean[soft.length];
                kept[r] = new double[soft.length];
                for (int i = 0; i < soft.length; i++) {
                    keep[r][i] = random.nextDouble() < soft[i];
                    kept[r][i] = keep[r][i] ? 1 : 0;
                }
            }
            int offset = start;
            double[][] scores = evaluator.evaluate(model, image, keep, output, 0,
                    (done, total) -> progress.update(offset + done, masks));
            accumulate(sums, scores, kept);
        }
        return sums;
    }

    /** One soft mask: cells, then the shift {@code (dy, dx)}, then the crop; {@code [size * size]}. */
    private double[] smoothMask(Bilinear upsample, int s, int cell, int size, UniformRandomProvider random) {
        double[] grid = cellGrid(s, random);
        int dy = random.nextInt(cell);
        int dx = random.nextInt(cell);
        return upsample.window(grid, dy, dx, size);
    }

    /** {@code s * s} Bernoulli(p) cells, 1 = kept. */
    private double[] cellGrid(int s, UniformRandomProvider random) {
        double[] grid = new double[s * s];
        for (int i = 0; i < grid.length; i++) {
            grid[i] = random.nextDouble() < p ? 1 : 0;
        }
        return grid;
    }

    /** {@code sums[c][i] += scores[n][c] * weights[n][i]} over the chunk. */
    private static void accumulate(double[][] sums, double[][] scores, double[][] weights) {
        for (int n = 0; n < scores.length; n++) {
            for (int c = 0; c < sums.length; c++) {
                double score = scores[n][c];
                double[] row = sums[c];
                for (int i = 0; i < row.length; i++) {
                    row[i] += score * weights[n][i];
                }
            }
        }
    }

    /** Float weights for blending, clamped to [0, 1] against rounding of the convex combinations. */
    private static float[] toUnitFloat(double[] mask) {
        float[] out = new float[mask.length];
        for (int i = 0; i < mask.length; i++) {
            out[i] = (float) Math.min(1.0, Math.max(0.0, mask[i]));
        }
        return out;
    }

    private static int ceilDiv(int a, int b) {
        return (a + b - 1) / b;
    }

    @Override
    public String toString() {
        return ID + parameters();
    }
}
