package org.vitbench.methods.attention;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
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
import org.vitbench.api.VitModel;

/**
 * Transformer Attribution: the LRP relevance of each block's attention map, weighted by its
 * gradient and rolled out through the blocks (Chefer, Gur &amp; Wolf 2021, "Transformer
 * Interpretability Beyond Attention Visualization", CVPR, arXiv 2012.09838).
 *
 * <p>Per block, two quantities of {@code sum_b logit[b, target_b]} (pre-softmax logits):
 * <ol>
 *   <li>the gradient {@code G_l = d y_c / d A_l} {@code [B, H, N, N]}, from one ordinary traced
 *       forward and backward;
 *   <li>the relevance {@code R_l} {@code [B, H, N, N]} of the attention map, chosen by
 *       {@code relevance}:
 *       <ul>
 *         <li>{@code chefer} (default): the reference's own LRP relprop sweep
 *             ({@code modules/layers_ours.py}), run by {@link CheferRelevance} on a third, plain
 *             forward from the model's weights: R starts as {@code onehot_c} (value 1); Linear
 *             α=1 β=0 without bias; GELU, softmax, LayerNorm identity; Add z-rule then renormalised;
 *             Clone sums; both attention matmuls z-rule with halved results. Needs a
 *             {@link org.vitbench.models.VisionTransformer} (other models fail with a
 *             {@link org.vitbench.api.ConfigurationException}).
 *         <li>{@code gradient-rules}: an approximation by gradient x input under propagation
 *             switches ({@link #LRP_SWITCHES}), {@code R_l = ½ · A_l ⊙ G~_l / y_c}, with
 *             {@code G~_l} from a second modified backward. Works with any model that traces
 *             attention.
 *       </ul>
 * </ol>
 * Then, as rules 5 and 6 of the paper, with the rollout shared with {@link GenericAttention}:
 * <pre>
 *   Ā_l = mean_h( max(0, G_l ⊙ R_l) )                       [B, H, N, N] -> [B, N, N]
 *   C = I;  for l = startLayer .. L-1:  C = C + Ā_l · C       (= (I + Ā_l) · C, no row normalisation)
 *   map = C[CLS, patches]                                   [B, N, N] -> [B, P], row-major grid
 * </pre>
 *
 * <p><b>How {@code gradient-rules} relates to Chefer's relprop</b> (whitebox brief §3.4). Gradient x
 * input through a network whose nonlinearities are linearised by the switches is LRP-0 (the
 * z-rule) layer by layer, so at every layer it equals a relprop sweep with:
 * <ul>
 *   <li>GELU: {@code geluIdentity} makes the backward factor GELU(h)/h, so relevance passes
 *       unchanged, as Chefer's identity rule. <i>Same.</i>
 *   <li>Clone (residual fork): gradients add, as Chefer sums branch relevances. <i>Same.</i>
 *   <li>A·V and Q·Kᵀ: {@code attentionUniformSplit} halves what reaches v, and quarters q and k
 *       (half for A·V, half for Q·Kᵀ), as Chefer halves both einsum operands. The gradient at the
 *       tap on A is not scaled, so the factor ½ in {@code R_l} reproduces Chefer's halved
 *       {@code attn_cam}. <i>Same.</i>
 *   <li>Start: Chefer seeds relevance 1 at the target logit; gradient x input seeds {@code y_c}, so
 *       dividing by {@code y_c} (stabilised by ±1e-9 with the sign of {@code y_c}, as Chefer's
 *       {@code safe_divide}) gives the z-rule fractions started from 1. <i>Same up to the rules
 *       below.</i>
 *   <li>Linear (head, qkv, proj, fc1, fc2): LRP-0 with the bias absorbing its share, where Chefer
 *       uses α=1, β=0 without bias. <i>Differs.</i>
 *   <li>Add (residual joins): plain z-rule, without Chefer's renormalisation of the two shares.
 *       <i>Differs.</i>
 *   <li>LayerNorm: {@code detachLayerNormStd} (Ali et al.'s LN rule, mean kept attached, so
 *       centering is propagated) where Chefer passes relevance through unchanged. <i>Differs.</i>
 *   <li>Softmax: gradient x input through the true softmax Jacobian, where Chefer passes relevance
 *       through unchanged; no switch reproduces the identity here. <i>Differs.</i>
 * </ul>
 * {@code detachSoftmax} is deliberately off: it would cut the q/k branch, and Chefer's sweep
 * propagates through it into lower blocks.
 *
 * <p>Parameters: {@code relevance} ({@code chefer}, the default, or {@code gradient-rules});
 * {@code startLayer} (default 0, as {@code generate_LRP} and the notebooks; Chefer's benchmark
 * scripts use 1); it must be below the model's depth. The sweep always runs through every block,
 * whatever {@code startLayer}, as the reference's. The map is raw: the reference's bilinear
 * upsampling and min-max scaling are left to the consumer (whitebox brief §1.1). Unlike the
 * reference, which explains batch element 0 only, every image gets its own map (its own sweep,
 * with the Add rule's sums over that image alone).
 *
 * <p>Edge cases: zero denominators in the sweep give zero relevance ({@code safe_divide}); with
 * {@code gradient-rules} a target logit of exactly 0 is stabilised as above rather than failing; a
 * block with no positive {@code G ⊙ R} adds nothing. Target maps only. Instances are immutable and
 * thread-safe; gradient work is serialised by {@link org.vitbench.api.Gradients}.
 */
public final class TransformerAttribution implements Explainer {

    /** The stable id. */
    public static final String ID = "transformer-attribution";

    /**
     * The propagation switches of the relevance pass: LN std detached, GELU identity, uniform
     * split of the attention matmuls (see the class comment for how they map to Chefer's rules).
     */
    static final TraceOptions LRP_SWITCHES = TraceOptions.NONE.withDetachLayerNormStd(true)
            .withGeluIdentity(true).withAttentionUniformSplit(true);

    private static final ExplainerInfo INFO = new ExplainerInfo(ID, "Transformer attribution",
            Family.PROPAGATION, Set.of(Requirement.ATTENTION, Requirement.GRADIENTS, Requirement.PLAIN_LAYOUT,
                    Requirement.WEIGHTS), false,
            "Chefer, Gur & Wolf 2021, Transformer Interpretability Beyond Attention Visualization, "
                    + "arXiv 2012.09838");

    // relevance=gradient-rules needs no weights: gradients with the LRP switches do the propagation
    private static final ExplainerInfo GRADIENT_RULES_INFO = new ExplainerInfo(ID, INFO.name(), INFO.family(),
            Set.of(Requirement.ATTENTION, Requirement.GRADIENTS, Requirement.PLAIN_LAYOUT), false, INFO.reference());

    /** Where the relevance of the attention maps comes from. */
    public enum Relevance {
        /** Chefer's relprop sweep ({@link CheferRelevance}); the reference. */
        CHEFER("chefer"),
        /** Gradient x input under {@link #LRP_SWITCHES}; an approximation of the sweep. */
        GRADIENT_RULES("gradient-rules");

        private final String id;

        Relevance(String id) {
            this.id = id;
        }

        /** The parameter value, e.g. {@code chefer}. */
        public String id() {
            return id;
        }
    }

    private static final Parameter<Relevance> RELEVANCE = Parameter.oneOf("relevance", Relevance.CHEFER,
            List.of(Relevance.values()), Relevance::id,
            "chefer (the reference's LRP rules) or gradient-rules (gradient x input with the LRP switches)");
    private static final Parameter<Integer> START_LAYER = Parameter.integer("startLayer", 0, 0, Integer.MAX_VALUE,
            "the first block in the rollout");

    /** The registration: parameters and factory. */
    public static final MethodDeclaration DECLARATION = MethodDeclaration.of(INFO, List.of(RELEVANCE, START_LAYER),
            TransformerAttribution::new);

    private final Arguments arguments;
    private final Relevance relevance;
    private final int startLayer;

    /**
     * @param relevance how the blocks' relevance is propagated
     * @param startLayer the first block in the rollout, 0 or more
     */
    public TransformerAttribution(Relevance relevance, int startLayer) {
        this(DECLARATION.resolve(Map.of("relevance", relevance.id(), "startLayer", Integer.toString(startLayer))));
    }

    /** The reference's relevance from block {@code startLayer}. */
    public TransformerAttribution(int startLayer) {
        this(Relevance.CHEFER, startLayer);
    }

    /** The reference's configuration. */
    public TransformerAttribution() {
        this(DECLARATION.resolve(Map.of()));
    }

    private TransformerAttribution(Arguments arguments) {
        this.arguments = arguments;
        this.relevance = arguments.get(RELEVANCE);
        this.startLayer = arguments.get(START_LAYER);
    }

    /** Creates the method from parameters; unknown keys fail. */
    public static TransformerAttribution create(Parameters parameters) {
        return (TransformerAttribution) DECLARATION.create(parameters);
    }

    @Override
    public ExplainerInfo info() {
        return relevance == Relevance.CHEFER ? INFO : GRADIENT_RULES_INFO;
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
            List<NDArray> relevances = switch (relevance) {
                case CHEFER -> CheferRelevance.attentionRelevance(context.model(), images, targets, ID);
                case GRADIENT_RULES -> attentionRelevance(context.model(), images, targets, LRP_SWITCHES);
            };
            AttentionGradients gradients = AttentionGradients.of(context.model(), images, targets, TraceOptions.NONE);
            List<NDArray> fused = new ArrayList<>();
            for (int l = 0; l < relevances.size(); l++) {
                fused.add(RelevanceRollout.positiveHeadMean(gradients.gradients().get(l), relevances.get(l)));
            }
            return Heatmaps.of(info.grid(), RelevanceRollout.clsRow(RelevanceRollout.rollout(fused, startLayer)));
        }
    }

    /**
     * The {@code gradient-rules} relevance of every block's attention map, {@code R_l = ½ · A_l ⊙ G~_l / y_c}, with
     * {@code G~_l} from one backward under {@code switches}. With {@link TraceOptions#NONE} this is
     * plain gradient x attention (halved, divided by the logit); the method uses
     * {@link #LRP_SWITCHES}.
     *
     * @param images {@code [B, C, S, S]}; results live on its manager
     * @return per block {@code [B, H, N, N]}
     */
    static List<NDArray> attentionRelevance(VitModel model, NDArray images, int[] targets, TraceOptions switches) {
        AttentionGradients pass = AttentionGradients.of(model, images, targets, switches);
        NDArray logits = pass.logits(); // [B, K]
        int b = targets.length;
        int k = (int) logits.getShape().get(1);
        float[] all = logits.toType(DataType.FLOAT32, false).toFloatArray();
        float[] scale = new float[b];
        for (int i = 0; i < b; i++) {
            double y = all[i * k + targets[i]];
            // Chefer's safe_divide adds 1e-9 to the denominator; keeping y's sign avoids dividing by 0.
            scale[i] = (float) (0.5 / (y + (y >= 0 ? 1e-9 : -1e-9)));
        }
        NDArray perImage = images.getManager().create(scale).reshape(b, 1, 1, 1); // [B] -> [B, 1, 1, 1]
        List<NDArray> relevance = new ArrayList<>();
        for (int l = 0; l < pass.attention().size(); l++) {
            relevance.add(pass.attention().get(l).mul(pass.gradients().get(l)).mul(perImage));
        }
        return relevance;
    }

    @Override
    public String toString() {
        return ID + parameters();
    }
}
