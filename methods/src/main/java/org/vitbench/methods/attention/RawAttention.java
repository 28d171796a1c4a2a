package org.vitbench.methods.attention;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.Shape;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.vitbench.api.Arguments;
import org.vitbench.api.Batches;
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
import org.vitbench.api.Requirement;
import org.vitbench.api.Sample;
import org.vitbench.api.TraceOptions;
import org.vitbench.api.VitModel;
import org.vitbench.methods.attention.AttentionRollout.HeadFusion;

/**
 * Raw attention: the attention the CLS query pays to each patch in one block, heads fused. It is
 * the "last-layer attention" baseline of Chefer, Gur &amp; Wolf 2021 ("Transformer Interpretability
 * Beyond Attention Visualization", arXiv 2012.09838; {@code ViT_LRP.py},
 * {@code relprop(method="last_layer_attn")}) and the "attention map" of Brocki &amp; Chung 2023
 * (CDAM, arXiv 2312.02364; {@code get_attention_map}); whitebox brief section 3.1.
 *
 * <p>With {@code A} the attention probabilities of block {@code layer}, {@code [B, H, N, N]} (rows
 * are queries, token 0 is CLS):
 * <pre>
 *   map[b, i] = fuse_h A[b, h, 0, 1 + i]        i = r * grid + c, patch (r, c)
 * </pre>
 * Both references average the heads. The map is returned raw: Chefer's scripts upsample bilinearly
 * and then min-max scale, the CDAM notebook upsamples nearest and does not scale (brief section
 * 1.1); the raw map is what both start from. Its values are probabilities in [0, 1]; the CLS column
 * is dropped, so a map need not sum to 1.
 *
 * <p>Parameters:
 * <ul>
 *   <li>{@code layer} (default {@code -1}, the last block, as both references): the block whose
 *       attention is read; a negative value counts from the end ({@code -1} is the last block).
 *       Must lie in {@code [-depth, depth - 1]}, checked against the model at explain time.
 *   <li>{@code headFusion} = {@code mean} (default, as both references) | {@code max} |
 *       {@code min}: how heads are combined, element-wise, as in {@link AttentionRollout}.
 * </ul>
 *
 * <p>The method is class-agnostic (the target is ignored) and needs attention probabilities only,
 * no gradients. Instances are immutable and thread-safe.
 */
public final class RawAttention implements Explainer {

    /** The stable id. */
    public static final String ID = "raw-attention";

    private static final ExplainerInfo INFO = new ExplainerInfo(ID, "Raw attention", Family.ATTENTION,
            Set.of(Requirement.ATTENTION, Requirement.PLAIN_LAYOUT), false,
            "Chefer, Gur & Wolf 2021, Transformer Interpretability Beyond Attention Visualization, arXiv 2012.09838"
                    + " (last-layer attention baseline); Brocki & Chung 2023, arXiv 2312.02364 (attention map)");

    private static final Parameter<Integer> LAYER = Parameter.integer("layer", -1, Integer.MIN_VALUE,
            Integer.MAX_VALUE, "the block whose CLS attention row is shown; negative counts from the end");

    /** The registration: parameters and factory. */
    public static final MethodDeclaration DECLARATION = MethodDeclaration.of(INFO, List.of(LAYER,
            AttentionRollout.HEAD_FUSION), RawAttention::new);

    private final Arguments arguments;
    private final int layer;
    private final HeadFusion headFusion;

    /**
     * @param layer the block, negative from the end
     * @param headFusion how heads are combined
     */
    public RawAttention(int layer, HeadFusion headFusion) {
        this(DECLARATION.resolve(Map.of("layer", Integer.toString(layer), "headFusion", headFusion.id())));
    }

    /** The last block's CLS attention, averaged over heads. */
    public RawAttention() {
        this(DECLARATION.resolve(Map.of()));
    }

    private RawAttention(Arguments arguments) {
        this.arguments = arguments;
        this.layer = arguments.get(LAYER);
        this.headFusion = arguments.get(AttentionRollout.HEAD_FUSION);
    }

    /** Creates the method from parameters; unknown keys fail. */
    public static RawAttention create(Parameters parameters) {
        return (RawAttention) DECLARATION.create(parameters);
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
        if (targets.length != batch.size()) {
            throw new IllegalArgumentException(targets.length + " targets for " + batch.size() + " samples");
        }
        if (batch.isEmpty()) {
            return Heatmaps.of(info.grid(), new float[0][]);
        }
        int block = resolveLayer(layer, info.depth(), ID, info.name());
        try (NDManager scope = context.manager().newSubManager()) {
            NDArray images = Batches.images(scope, batch, info);
            List<NDArray> attention = model.trace(images, TraceOptions.NONE.withAttention(true)).attention();
            NDArray a = attention.get(block);
            Shape expected = new Shape(batch.size(), info.heads(), info.numTokens(), info.numTokens());
            if (!a.getShape().equals(expected)) {
                throw new IllegalStateException("attention of block " + block + " is " + a.getShape()
                        + ", expected " + expected + " (B, H, N, N)");
            }
            NDArray cls = a.get(new NDIndex(":, :, 0, 1:")); // [B, H, N, N] -> [B, H, P]: CLS query, patch keys
            NDArray fused = switch (headFusion) { // [B, H, P] -> [B, P]
                case MEAN -> cls.mean(new int[] {1});
                case MAX -> cls.max(new int[] {1});
                case MIN -> cls.min(new int[] {1});
            };
            return Heatmaps.of(info.grid(), Batches.rows(fused));
        }
    }

    /**
     * A block index with negatives counted from the end.
     *
     * @throws ConfigurationException when {@code layer} is outside {@code [-depth, depth - 1]}
     */
    static int resolveLayer(int layer, int depth, String owner, String modelName) {
        if (layer < -depth || layer >= depth) {
            throw new ConfigurationException("layer " + layer + " of " + owner + " is outside model " + modelName
                    + " with " + depth + " blocks; allowed: " + -depth + " to " + (depth - 1)
                    + " (negative values count from the end, -1 is the last block)");
        }
        return layer < 0 ? depth + layer : layer;
    }

    @Override
    public String toString() {
        return ID + parameters();
    }
}
