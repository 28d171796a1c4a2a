package org.vitbench.methods.attention;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.vitbench.api.Arguments;
import org.vitbench.api.Batches;
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

/**
 * Generic attention-model explainability (GAE): attention weighted by its gradient, rolled out
 * through the blocks (Chefer, Gur &amp; Wolf 2021, "Generic Attention-model Explainability for
 * Interpreting Bi-Modal and Encoder-Decoder Transformers", ICCV, arXiv 2103.15679).
 *
 * <p>With {@code A_l} the attention probabilities {@code [B, H, N, N]} of block {@code l} (rows are
 * queries) and {@code G_l = d y_c / d A_l} the gradient of the target's pre-softmax logit with
 * respect to them (the post-softmax probabilities, read from a zero-leaf tap, so the gradient is
 * exact):
 * <pre>
 *   Ā_l = mean_h( max(0, G_l ⊙ A_l) )                    [B, H, N, N] -> [B, N, N]
 *   R = I;  for l = startLayer .. L-1:  R = R + Ā_l · R   (rule 6 for self-attention)
 *   map = R[CLS, patches]                                [B, N, N] -> [B, P], row-major grid
 * </pre>
 * Each head is clamped before the head mean (rule 5). Rows are not normalised: the paper's
 * self-attention rule and the reference ViT notebook ({@code Transformer_MM_explainability_ViT.ipynb})
 * apply none, and the authors report (issue #9) that normalising changes little because the CLS
 * self-score is discarded. The map is raw: the reference then upsamples bilinearly and min-max
 * scales, which is left to the consumer (whitebox brief §1.1).
 *
 * <p>Cost: one traced forward and one backward of {@code sum_b logit[b, target_b]} for the whole
 * batch. Parameter: {@code startLayer} (default 0, all blocks, as the ViT notebook; the CLIP
 * notebook's {@code -1} corresponds to {@code startLayer = depth - 1}); it must be below the model's
 * depth, which is checked when the model is known.
 *
 * <p>Edge cases: a block whose gradient-weighted attention is nowhere positive adds nothing, so an
 * all-zero gradient gives the identity and an all-zero map. Target maps only. Instances are
 * immutable and thread-safe; gradient work is serialised by {@link org.vitbench.api.Gradients}.
 */
public final class GenericAttention implements Explainer {

    /** The stable id. */
    public static final String ID = "generic-attention";

    private static final ExplainerInfo INFO = new ExplainerInfo(ID, "Generic attention explainability (GAE)",
            Family.ATTENTION, Set.of(Requirement.ATTENTION, Requirement.GRADIENTS, Requirement.PLAIN_LAYOUT), false,
            "Chefer, Gur & Wolf 2021, Generic Attention-model Explainability for Interpreting Bi-Modal and "
                    + "Encoder-Decoder Transformers, arXiv 2103.15679");

    private static final Parameter<Integer> START_LAYER = Parameter.integer("startLayer", 0, 0, Integer.MAX_VALUE,
            "the first block whose update is applied");

    /** The registration: parameters and factory. */
    public static final MethodDeclaration DECLARATION = MethodDeclaration.of(INFO, List.of(START_LAYER),
            GenericAttention::new);

    private final Arguments arguments;
    private final int startLayer;

    /** @param startLayer the first block whose update is applied, 0 or more */
    public GenericAttention(int startLayer) {
        this(DECLARATION.resolve(Map.of("startLayer", Integer.toString(startLayer))));
    }

    /** Every block, as the reference. */
    public GenericAttention() {
        this(DECLARATION.resolve(Map.of()));
    }

    private GenericAttention(Arguments arguments) {
        this.arguments = arguments;
        this.startLayer = arguments.get(START_LAYER);
    }

    /** Creates the method from parameters; unknown keys fail. */
    public static GenericAttention create(Parameters parameters) {
        return (GenericAttention) DECLARATION.create(parameters);
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
        ModelInfo info = context.model().info();
        if (targets.length != batch.size()) {
            throw new IllegalArgumentException(targets.length + " targets for " + batch.size() + " samples");
        }
        if (batch.isEmpty()) {
            return Heatmaps.of(info.grid(), new float[0][]);
        }
        RelevanceRollout.checkStartLayer(ID, startLayer, info);
        try (NDManager scope = context.manager().newSubManager()) {
            NDArray images = Batches.images(scope, batch, info);
            AttentionGradients pass = AttentionGradients.of(context.model(), images, targets, TraceOptions.NONE);
            List<NDArray> fused = new ArrayList<>();
            for (int l = 0; l < pass.attention().size(); l++) {
                fused.add(RelevanceRollout.positiveHeadMean(pass.gradients().get(l), pass.attention().get(l)));
            }
            return Heatmaps.of(info.grid(), RelevanceRollout.clsRow(RelevanceRollout.rollout(fused, startLayer)));
        }
    }

    @Override
    public String toString() {
        return ID + parameters();
    }
}
