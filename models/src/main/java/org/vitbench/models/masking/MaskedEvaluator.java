package org.vitbench.models.masking;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import java.util.Arrays;
import java.util.Comparator;
import java.util.Objects;
import org.vitbench.api.Batches;
import org.vitbench.api.ModelInfo;
import org.vitbench.api.Progress;
import org.vitbench.api.Removal;
import org.vitbench.api.Removal.PixelBaseline;
import org.vitbench.api.VitModel;
import org.vitbench.models.PixelRemoval;

/**
 * Evaluates a model on many binary keep-masks of one image, in batches of masked copies.
 *
 * <p>The image {@code [1, C, S, S]} is repeated along the batch dimension, {@link #batchSize()}
 * masks at a time, and passed to {@link VitModel#logits(NDArray, NDArray, Removal)}. Each chunk
 * runs in its own sub-manager of the image's manager, so only Java arrays leave a chunk and the
 * image's manager holds no more arrays after {@link #evaluate} than before. Every mask row is
 * evaluated independently, so results do not depend on the batch size beyond float rounding of
 * the engine's batched kernels. For token dropping and attention masking the masks are evaluated
 * in order of kept count, so a chunk holds few distinct sequence lengths (the model packs them
 * into a few dense batches); results are returned in the caller's order.
 *
 * <p>Instances are immutable and safe to share between threads; {@code evaluate} reads the image
 * once and never attaches it elsewhere.
 */
public final class MaskedEvaluator {

    /** What {@link #evaluate} returns per mask. */
    public enum Output {
        /** The {@code K} pre-softmax logits. */
        LOGITS,
        /** The {@code K} softmax probabilities, computed in double from the float logits. */
        PROBABILITIES,
        /** The softmax probability of one target class, a row of length 1. */
        TARGET_PROBABILITY
    }

    /** Upper bound of {@link #batchSizeFor}. */
    public static final int MAX_BATCH_SIZE = 4096;

    /**
     * Float32 activations per token and embedding dimension that one block keeps alive: the input,
     * two LayerNorms, qkv (3), attention output and projection (2), two residual sums (2), fc1 and
     * GELU at MLP ratio 4 (8), fc2 (1), rounded up to 20, for all blocks at once: a bound for
     * traced and differentiated forwards, which keep every block's intermediates until their
     * manager closes, and for plug-in models. vitbench's own forward without gradients frees each
     * block's as it goes and needs far less (ViT-Ti/16 at batch 64: 0.3 GB, not 3.3 GB; README).
     */
    static final int ACTIVATIONS_PER_TOKEN_DIM = 20;

    /** Float32 {@code [H, N, N]} attention tensors per block: scores, masked scores, softmax. */
    static final int ATTENTION_COPIES = 3;

    private final Removal removal;
    private final int batchSize;

    /**
     * @param removal how held-out patches are removed
     * @param batchSize masked copies per forward pass, at least 1
     * @throws IllegalArgumentException when {@code batchSize < 1}
     */
    public MaskedEvaluator(Removal removal, int batchSize) {
        this.removal = Objects.requireNonNull(removal, "removal");
        if (batchSize < 1) {
            throw new IllegalArgumentException("batch size must be at least 1, got " + batchSize);
        }
        this.batchSize = batchSize;
    }

    public Removal removal() {
        return removal;
    }

    public int batchSize() {
        return batchSize;
    }

    public MaskedEvaluator withRemoval(Removal removal) {
        return new MaskedEvaluator(removal, batchSize);
    }

    public MaskedEvaluator withBatchSize(int batchSize) {
        return new MaskedEvaluator(removal, batchSize);
    }

    /**
     * Evaluates every keep-mask on the image.
     *
     * @param model the model; its outputs are read as {@code [B, K]} logits
     * @param image {@code [1, C, S, S]} in [0, 1]
     * @param keep {@code [M][P]}, {@code true} where the patch is kept, patches in row-major grid
     *     order; {@code M = 0} gives an empty result without a forward pass
     * @param output what to return per mask
     * @param target the class for {@link Output#TARGET_PROBABILITY}, in {@code [0, K)}; ignored
     *     for the other outputs
     * @param progress told {@code (masks done, M)} after every chunk
     * @return {@code [M][K]} logits or probabilities, or {@code [M][1]} target probabilities; a
     *     NaN logit makes its row's probabilities NaN
     * @throws IllegalArgumentException when the image is not {@code [1, C, S, S]}, a mask row does
     *     not have {@code P} entries, or the target is out of range
     */
    public double[][] evaluate(VitModel model, NDArray image, boolean[][] keep, Output output, int target,
            Progress progress) {
        ModelInfo info = model.info();
        int p = info.numPatches();
        checkImage(image, info);
        for (int m = 0; m < keep.length; m++) {
            if (keep[m].length != p) {
                throw new IllegalArgumentException("keep mask row " + m + " has " + keep[m].length
                        + " entries but model " + info.name() + " has P = " + p + " patches");
            }
        }
        checkTarget(output, target, info);
        Integer[] order = order(keep);
        float[] pixels = image.toFloatArray();
        Shape single = image.getShape();
        double[][] result = new double[keep.length][];
        for (int start = 0; start < keep.length; start += batchSize) {
            int n = Math.min(batchSize, keep.length - start);
            float[] mask = new float[n * p];
            for (int r = 0; r < n; r++) {
                boolean[] row = keep[order[start + r]];
                for (int i = 0; i < p; i++) {
                    mask[r * p + i] = row[i] ? 1f : 0f;
                }
            }
            float[][] logits;
            try (NDManager chunk = image.getManager().newSubManager()) {
                // [1, C, S, S] -> [n, C, S, S]
                NDArray images = chunk.create(pixels, single).repeat(0, n);
                NDArray keepArray = chunk.create(mask, new Shape(n, p));
                logits = Batches.rows(model.logits(images, keepArray, removal)); // [n, K]
            }
            for (int r = 0; r < n; r++) {
                result[order[start + r]] = convert(logits[r], output, target);
            }
            progress.update(start + n, keep.length);
        }
        return result;
    }

    /**
     * Evaluates continuous pixel masks by blending: {@code x * m + (1 - m) * x0} with {@code x0}
     * the baseline image, as the Sobol attribution method (Fel et al. 2021) and RISE (Petsiuk et
     * al. 2018) perturb their inputs. The removal strategy of this evaluator is not used; only its
     * batch size is.
     *
     * @param model the model
     * @param image {@code [1, C, S, S]} in [0, 1]
     * @param masks {@code [M][S * S]} weights in [0, 1] (1 keeps the pixel), row-major, shared by
     *     all channels; {@code M = 0} gives an empty result
     * @param baseline what a weight of 0 shows: {@code ZERO} black, {@code MEAN} the normalisation
     *     mean (0 after normalisation, the references' "inpainting"), {@code BLUR} the blurred image
     * @param output what to return per mask
     * @param target the class for {@link Output#TARGET_PROBABILITY}
     * @param progress told {@code (masks done, M)} after every chunk
     * @return {@code [M][K]}, or {@code [M][1]} for {@link Output#TARGET_PROBABILITY}
     * @throws IllegalArgumentException when the image is not {@code [1, C, S, S]}, a mask row does
     *     not have {@code S * S} entries or holds a value outside [0, 1], or the target is out of range
     */
    public double[][] evaluateBlended(VitModel model, NDArray image, float[][] masks, PixelBaseline baseline,
            Output output, int target, Progress progress) {
        ModelInfo info = model.info();
        checkImage(image, info);
        checkTarget(output, target, info);
        int s = info.imageSize();
        for (int m = 0; m < masks.length; m++) {
            if (masks[m].length != s * s) {
                throw new IllegalArgumentException("pixel mask " + m + " has " + masks[m].length + " entries but model "
                        + info.name() + " needs " + s + " x " + s + " = " + s * s);
            }
            for (float v : masks[m]) {
                if (!(v >= 0f && v <= 1f)) {
                    throw new IllegalArgumentException("pixel mask " + m + " holds " + v + "; weights must be in [0, 1]");
                }
            }
        }
        float[] pixels = image.toFloatArray();
        Shape single = image.getShape();
        double[][] result = new double[masks.length][];
        try (NDManager scope = image.getManager().newSubManager()) {
            NDArray x = scope.create(pixels, single);
            NDArray x0 = PixelRemoval.baseline(x, baseline, info); // [1, C, S, S]
            NDArray difference = x.sub(x0);
            for (int start = 0; start < masks.length; start += batchSize) {
                int n = Math.min(batchSize, masks.length - start);
                float[] weights = new float[n * s * s];
                for (int r = 0; r < n; r++) {
                    System.arraycopy(masks[start + r], 0, weights, r * s * s, s * s);
                }
                float[][] logits;
                try (NDManager chunk = scope.newSubManager()) {
                    NDArray m = chunk.create(weights, new Shape(n, 1, s, s));
                    // x0 + m (x - x0) = x m + (1 - m) x0: [n, 1, S, S] * [1, C, S, S] -> [n, C, S, S]
                    NDArray blended = m.mul(difference).add(x0);
                    logits = Batches.rows(model.logits(blended)); // [n, K]
                }
                for (int r = 0; r < n; r++) {
                    result[start + r] = convert(logits[r], output, target);
                }
                progress.update(start + n, masks.length);
            }
        }
        return result;
    }

    /**
     * The model's outputs on patch subsets of one image as a {@link CoalitionGame} with
     * {@code P} players, evaluated through this evaluator.
     *
     * @param image {@code [1, C, S, S]} in [0, 1]; the game reads it on every call, so it must stay
     *     open while the game is used
     * @param progress told {@code (masks done, masks in the call)} within each call
     */
    public CoalitionGame game(VitModel model, NDArray image, Output output, int target, Progress progress) {
        ModelInfo info = model.info();
        checkImage(image, info);
        checkTarget(output, target, info);
        int outputs = output == Output.TARGET_PROBABILITY ? 1 : info.numClasses();
        return new CoalitionGame() {
            @Override
            public int players() {
                return info.numPatches();
            }

            @Override
            public int outputs() {
                return outputs;
            }

            @Override
            public double[][] values(boolean[][] coalitions) {
                return evaluate(model, image, coalitions, output, target, progress);
            }
        };
    }

    /**
     * {@link #evaluate(VitModel, NDArray, boolean[][], Output, int, Progress)} without progress,
     * for {@link Output#LOGITS} or {@link Output#PROBABILITIES}.
     *
     * @throws IllegalArgumentException for {@link Output#TARGET_PROBABILITY}, which needs a target
     */
    public double[][] evaluate(VitModel model, NDArray image, boolean[][] keep, Output output) {
        if (output == Output.TARGET_PROBABILITY) {
            throw new IllegalArgumentException("TARGET_PROBABILITY needs a target class; "
                    + "use evaluate(model, image, keep, output, target, progress)");
        }
        return evaluate(model, image, keep, output, 0, Progress.NONE);
    }

    /**
     * An evaluator of at most {@code batchSize} copies per pass, fewer when that many would not fit
     * in {@code memoryBudgetBytes} of activations of {@code info}'s model (at least one).
     */
    public static MaskedEvaluator within(Removal removal, int batchSize, ModelInfo info, long memoryBudgetBytes) {
        return new MaskedEvaluator(removal, Math.min(batchSize, batchSizeFor(info, memoryBudgetBytes)));
    }

    /**
     * A batch size whose activations fit in {@code memoryBudgetBytes}, in {@code [1, 4096]}.
     *
     * <p>One masked copy of the image is estimated to hold, in float32, per block
     * {@code 20 * N * D} token activations plus {@code 3 * H * N * N} attention entries, for all
     * {@code depth} blocks at once (a bound: see {@link #ACTIVATIONS_PER_TOKEN_DIM}), plus three
     * copies of the {@code C * S * S} input (raw, normalised, patchified). {@code N} is the full
     * token count, which bounds every removal (token dropping and attention masking without
     * gradients run shorter sequences). The estimate ignores the weights and is meant
     * to be given the memory left after loading them.
     *
     * @param info the model's architecture
     * @param memoryBudgetBytes memory available for activations, positive
     * @return {@code floor(budget / perCopyBytes)} clamped to {@code [1, 4096]}; non-decreasing in
     *     the budget and non-increasing in every architecture size
     * @throws IllegalArgumentException when the budget is not positive
     */
    public static int batchSizeFor(ModelInfo info, long memoryBudgetBytes) {
        if (memoryBudgetBytes <= 0) {
            throw new IllegalArgumentException("memory budget must be positive, got " + memoryBudgetBytes + " bytes");
        }
        long copies = memoryBudgetBytes / bytesPerCopy(info);
        return (int) Math.max(1, Math.min(MAX_BATCH_SIZE, copies));
    }

    /**
     * The estimate of {@link #batchSizeFor}: float32 bytes of activations of one masked copy (one
     * input) in a forward pass; a backward pass holds about as much again for the gradients.
     */
    public static long bytesPerCopy(ModelInfo info) {
        long n = info.numTokens();
        long perBlock = ACTIVATIONS_PER_TOKEN_DIM * n * info.dim() + ATTENTION_COPIES * info.heads() * n * n;
        long input = 3L * info.channels() * info.imageSize() * info.imageSize();
        return Float.BYTES * (info.depth() * perBlock + input);
    }

    @Override
    public String toString() {
        return "MaskedEvaluator[removal=" + removal.id() + ", batchSize=" + batchSize + "]";
    }

    /**
     * Mask indices in evaluation order: by kept count for token dropping and attention masking
     * (which the model may run as token dropping), else as given.
     */
    private Integer[] order(boolean[][] keep) {
        Integer[] order = new Integer[keep.length];
        Arrays.setAll(order, i -> i);
        if (removal.kind() != Removal.Kind.PIXEL) {
            int[] counts = new int[keep.length];
            for (int m = 0; m < keep.length; m++) {
                for (boolean b : keep[m]) {
                    counts[m] += b ? 1 : 0;
                }
            }
            Arrays.sort(order, Comparator.comparingInt(m -> counts[m])); // stable
        }
        return order;
    }

    private static double[] convert(float[] logits, Output output, int target) {
        double[] row = new double[logits.length];
        for (int i = 0; i < row.length; i++) {
            row[i] = logits[i];
        }
        if (output == Output.LOGITS) {
            return row;
        }
        softmaxInPlace(row);
        return output == Output.PROBABILITIES ? row : new double[] {row[target]};
    }

    /** Softmax in double; subtracting the maximum keeps exp finite for large logits. */
    public static void softmaxInPlace(double[] row) {
        double max = Double.NEGATIVE_INFINITY;
        for (double v : row) {
            max = Math.max(max, v);
        }
        double sum = 0;
        for (int i = 0; i < row.length; i++) {
            row[i] = Math.exp(row[i] - max);
            sum += row[i];
        }
        for (int i = 0; i < row.length; i++) {
            row[i] /= sum;
        }
    }

    private static void checkTarget(Output output, int target, ModelInfo info) {
        if (output == Output.TARGET_PROBABILITY && (target < 0 || target >= info.numClasses())) {
            throw new IllegalArgumentException("target class " + target + " is outside [0, " + info.numClasses() + ")");
        }
    }

    private static void checkImage(NDArray image, ModelInfo info) {
        Shape s = image.getShape();
        if (s.dimension() != 4 || s.get(0) != 1 || s.get(1) != info.channels() || s.get(2) != info.imageSize()
                || s.get(3) != info.imageSize()) {
            throw new IllegalArgumentException("image must be [1, " + info.channels() + ", " + info.imageSize()
                    + ", " + info.imageSize() + "] for model " + info.name() + ", got " + s
                    + "; evaluate one image at a time");
        }
    }
}
