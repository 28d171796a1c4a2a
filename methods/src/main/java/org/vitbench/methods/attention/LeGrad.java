package org.vitbench.methods.attention;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.vitbench.api.Arguments;
import org.vitbench.api.Batches;
import org.vitbench.api.ConfigurationException;
import org.vitbench.api.Context;
import org.vitbench.api.Explainer;
import org.vitbench.api.ExplainerInfo;
import org.vitbench.api.Family;
import org.vitbench.api.GraphConstants;
import org.vitbench.api.Heatmaps;
import org.vitbench.api.MethodDeclaration;
import org.vitbench.api.ModelInfo;
import org.vitbench.api.Parameter;
import org.vitbench.api.Parameters;
import org.vitbench.api.Requirement;
import org.vitbench.api.Sample;
import org.vitbench.api.TraceOptions;
import org.vitbench.api.VitModel;

/**
 * LeGrad: the positive gradient of each chosen block's own readout with respect to that block's
 * attention map, averaged over heads and queries and summed over blocks (Bousselham, Boggust,
 * Chaybouti, Strobelt &amp; Kuehne 2024, "LeGrad: An Explainability Method for Vision Transformers
 * via Feature Formation Sensitivity", arXiv 2404.03214).
 *
 * <p>With {@code A_l} the post-softmax attention of block l {@code [B, H, N, N]} (rows are
 * queries), {@code z_out^l} its output tokens {@code [B, N, D]}, and the model's final norm and
 * head (whitebox brief §2.2 S10, §3.8):
 * <pre>
 *   s_l = sum_b head(norm(pool(z_out^l)))[b, target_b]  pre-softmax logit; [B, N, D] -> [B, D] -> [B, K]
 *   G_l = d s_l / d A_l                                  [B, H, N, N], one forward + backward per block
 *   E_l = mean_h mean_q relu(G_l)[:, :, q, patches]      [B, H, N, N] -> [B, P]
 *   E   = sum over chosen l of E_l
 *   map = (E - min E) / (max E - min E)                  per image, over its P patches
 * </pre>
 * Images are independent in a ViT, so the batch sum gives each image its own gradient. The
 * gradient itself is the signal (attention values are not multiplied in); every query row is
 * averaged, CLS included, and only the CLS key column is dropped, as the reference
 * ({@code WalBouss/LeGrad} {@code legrad/wrapper.py}, {@code compute_legrad_clip}). The reference
 * sums bilinearly upsampled per-layer maps; upsampling is linear, so summing on the patch grid is
 * the same before the min-max, which here runs over the grid rather than over pixels.
 *
 * <p>Parameter {@code readout}, the score whose gradient is taken:
 * <ul>
 *   <li>{@code token-mean} (default): pool = the mean over all N tokens, CLS included, as the
 *       reference's CLIP code pools (even for CLIP models that pool CLS themselves); this is the
 *       reference's choice, carried over to a classifier's norm and head as the third-party
 *       torchvision adaptation ({@code frgfm/torch-cam} PR #416) does.
 *   <li>{@code cls}: pool = the CLS token, the classifier's own pooling. For the last block alone it
 *       equals {@code final} exactly.
 *   <li>{@code final}: every {@code G_l} is the gradient of the model's final target logit, from
 *       one forward and one backward for all blocks. This is <em>not</em> the reference: for blocks
 *       below the last it includes the paths through the later blocks. Kept for comparison with
 *       earlier results; it costs one backward instead of one per block.
 * </ul>
 * For {@code token-mean} and {@code cls} each chosen block gets its own full traced forward and
 * one backward of its own {@code s_l}, read at its own attention tap only; one backward of
 * {@code sum_l s_l} would leak {@code d s_l' / d A_l} for {@code l' > l} in (brief §3.8). The
 * brief's cheaper local recompute of block l alone gives the same gradient but needs block-level
 * access the model API does not offer.
 *
 * <p>Parameter {@code layers}: {@code all}, or comma-separated block indices where negative ones
 * count from the end. Default {@code -2,-1}, the last two blocks, following the public code's
 * {@code layer_index = -2}; the paper's abstract speaks of all layers ({@code layers=all}).
 * Indices are checked against the model's depth when it is known; duplicates fail.
 *
 * <p>Edge cases: a constant aggregate (for example no positive gradient at all) has no range and
 * gives an all-zero map instead of 0/0. Target maps only. Instances are immutable and thread-safe;
 * gradient work is serialised by {@link org.vitbench.api.Gradients}.
 */
public final class LeGrad implements Explainer {

    /** The stable id. */
    public static final String ID = "legrad";

    private static final ExplainerInfo INFO = new ExplainerInfo(ID, "LeGrad", Family.ATTENTION,
            Set.of(Requirement.ATTENTION, Requirement.GRADIENTS, Requirement.PLAIN_LAYOUT), false,
            "Bousselham, Boggust, Chaybouti, Strobelt & Kuehne 2024, LeGrad: An Explainability Method for "
                    + "Vision Transformers via Feature Formation Sensitivity, arXiv 2404.03214");

    /** The default block selection: the last two, as the public LeGrad code. */
    public static final String DEFAULT_LAYERS = "-2,-1";

    /** The default readout: the token mean, as the reference's CLIP code. */
    public static final Readout DEFAULT_READOUT = Readout.TOKEN_MEAN;

    /** The score whose gradient each block's map is taken from; see the class documentation. */
    public enum Readout {
        /** Each block's own readout, pooled by the mean over all tokens (the reference). */
        TOKEN_MEAN("token-mean", TraceOptions.Readout.TOKEN_MEAN),
        /** Each block's own readout, pooled by the CLS token. */
        CLS("cls", TraceOptions.Readout.CLS),
        /** The model's final logit for every block (not the reference). */
        FINAL("final", TraceOptions.Readout.NONE);

        private final String id;
        private final TraceOptions.Readout pool;

        Readout(String id, TraceOptions.Readout pool) {
            this.id = id;
            this.pool = pool;
        }

        /** The parameter value. */
        public String id() {
            return id;
        }
    }

    private static final Parameter<String> LAYERS = Parameter.of("layers", DEFAULT_LAYERS, LeGrad::layers,
            text -> text, "all, or comma-separated block indices such as -2,-1 or 0,5,11",
            "the blocks whose maps are averaged; negative indices count from the end");
    private static final Parameter<Readout> READOUT = Parameter.oneOf("readout", DEFAULT_READOUT,
            List.of(Readout.values()), Readout::id, "the score whose gradient each block's map is taken from");

    /** The registration: parameters and factory. */
    public static final MethodDeclaration DECLARATION = MethodDeclaration.of(INFO, List.of(LAYERS, READOUT),
            LeGrad::new);

    private final Arguments arguments;
    private final String layers;
    private final int[] indices; // null for "all"
    private final Readout readout;

    /**
     * @param layers {@code all} or comma-separated block indices, negative from the end
     * @param readout {@code token-mean}, {@code cls} or {@code final}
     * @throws ConfigurationException when the selection or the readout is malformed
     */
    public LeGrad(String layers, String readout) {
        this(DECLARATION.resolve(Map.of("layers", layers, "readout", readout)));
    }

    /** The given blocks with the default readout, {@code token-mean}. */
    public LeGrad(String layers) {
        this(layers, DEFAULT_READOUT.id());
    }

    /** The public code's configuration: the last two blocks, token-mean readout. */
    public LeGrad() {
        this(DECLARATION.resolve(Map.of()));
    }

    private LeGrad(Arguments arguments) {
        this.arguments = arguments;
        this.layers = arguments.get(LAYERS);
        this.indices = layers.equals("all") ? null
                : Arrays.stream(layers.split(",")).mapToInt(Integer::parseInt).toArray();
        this.readout = arguments.get(READOUT);
    }

    /** {@code all}, or the block indices written canonically ({@code -2,-1}). */
    private static String layers(String text) {
        if (text.equals("all")) {
            return text;
        }
        try {
            return Arrays.stream(text.split(",")).map(String::trim).mapToInt(Integer::parseInt)
                    .mapToObj(Integer::toString).collect(Collectors.joining(","));
        } catch (NumberFormatException e) {
            throw new ConfigurationException("invalid value '" + text + "'");
        }
    }

    /** Creates the method from parameters; unknown keys fail. */
    public static LeGrad create(Parameters parameters) {
        return (LeGrad) DECLARATION.create(parameters);
    }

    @Override
    public ExplainerInfo info() {
        return INFO;
    }

    @Override
    public Parameters parameters() {
        return arguments.parameters();
    }

    /** The chosen blocks of a model with {@code depth} blocks, in increasing order. */
    int[] blocks(ModelInfo info) {
        int depth = info.depth();
        if (indices == null) {
            return java.util.stream.IntStream.range(0, depth).toArray();
        }
        int[] resolved = new int[indices.length];
        for (int i = 0; i < indices.length; i++) {
            int l = indices[i] < 0 ? depth + indices[i] : indices[i];
            if (l < 0 || l >= depth) {
                throw new ConfigurationException("layer " + indices[i] + " of " + ID + " is not a block of model "
                        + info.name() + " with " + depth + " blocks; allowed: " + (-depth) + " to " + (depth - 1));
            }
            resolved[i] = l;
        }
        int[] sorted = resolved.clone();
        Arrays.sort(sorted);
        for (int i = 1; i < sorted.length; i++) {
            if (sorted[i] == sorted[i - 1]) {
                throw new ConfigurationException("layers '" + layers + "' of " + ID + " name block " + sorted[i]
                        + " twice on model " + info.name());
            }
        }
        return sorted;
    }

    @Override
    public Heatmaps explain(Context context, List<Sample> batch, int[] targets) {
        ModelInfo info = context.model().info();
        if (targets.length != batch.size()) {
            throw new IllegalArgumentException(targets.length + " targets for " + batch.size() + " samples");
        }
        if (batch.isEmpty()) {
            return Heatmaps.of(info.grid(), new float[0][]);
        }
        int[] chosen = blocks(info);
        VitModel model = context.model();
        try (NDManager scope = context.manager().newSubManager()) {
            NDArray images = Batches.images(scope, batch, info);
            NDArray sum = null;
            if (readout == Readout.FINAL) {
                AttentionGradients pass = AttentionGradients.of(model, images, targets, TraceOptions.NONE);
                List<NDArray> gradients = new ArrayList<>();
                for (int l : chosen) {
                    gradients.add(pass.gradients().get(l));
                }
                sum = aggregate(gradients);
            } else {
                for (int l : chosen) {
                    // One scope per block so that each full forward's activations are freed before the next.
                    try (NDManager pass = scope.newSubManager()) {
                        NDArray local = images.duplicate();
                        local.attach(pass);
                        NDArray map = layerMap(AttentionGradients.readoutGradient(model, local, targets, l,
                                readout.pool));
                        map.attach(scope);
                        sum = sum == null ? map : sum.add(map);
                    }
                }
            }
            return Heatmaps.of(info.grid(), minMax(Batches.rows(sum)));
        }
    }

    /**
     * One block's map: {@code mean_h mean_q relu(G)[:, :, q, 1:]}.
     *
     * @param gradient {@code [B, H, N, N]}
     * @return {@code [B, N - 1]} on the gradient's manager
     */
    static NDArray layerMap(NDArray gradient) {
        if (gradient.getShape().dimension() != 4) {
            throw new IllegalArgumentException("gradient must be [B, H, N, N], got " + gradient.getShape());
        }
        // DJL's PyTorch mean takes one axis at a time; equal-sized groups make the two means the joint one.
        return GraphConstants.maximum(gradient, 0).mean(new int[] {2}) // [B, H, N, N] -> [B, H, N]: over queries
                .mean(new int[] {1}) // [B, H, N] -> [B, N]: over heads
                .get(new NDIndex(":, 1:")); // [B, N] -> [B, N-1]: drop the CLS key
    }

    /** Sum of {@link #layerMap} over the given blocks' gradients; {@code [B, N - 1]}. */
    static NDArray aggregate(List<NDArray> gradients) {
        if (gradients.isEmpty()) {
            throw new IllegalArgumentException("no layers chosen");
        }
        NDArray sum = layerMap(gradients.get(0));
        for (int i = 1; i < gradients.size(); i++) {
            sum = sum.add(layerMap(gradients.get(i)));
        }
        return sum;
    }

    /** Min-max scaling of each row to [0, 1], in place; a constant row becomes 0. */
    static float[][] minMax(float[][] maps) {
        for (float[] map : maps) {
            float min = Float.POSITIVE_INFINITY;
            float max = Float.NEGATIVE_INFINITY;
            for (float v : map) {
                min = Math.min(min, v);
                max = Math.max(max, v);
            }
            float range = max - min;
            for (int i = 0; i < map.length; i++) {
                // No range means no ranking to show; 0 rather than NaN keeps the map usable.
                map[i] = range > 0 ? (map[i] - min) / range : 0f;
            }
        }
        return maps;
    }

    @Override
    public String toString() {
        return ID + parameters();
    }
}
