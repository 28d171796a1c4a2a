package org.vitbench.methods.propagation;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.vitbench.api.Arguments;
import org.vitbench.api.Batches;
import org.vitbench.api.ConfigurationException;
import org.vitbench.api.Context;
import org.vitbench.api.Explainer;
import org.vitbench.api.ExplainerInfo;
import org.vitbench.api.Family;
import org.vitbench.api.ForwardTrace;
import org.vitbench.api.Gradients;
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
 * Layer-wise relevance propagation for Vision Transformers computed as gradient × input on a
 * forward whose backward is modified so that relevance is (nearly) conserved: conservative
 * propagation (CP-LRP; Ali, Schnake, Eberle, Montavon, Müller &amp; Wolf 2022, "XAI for
 * Transformers: Better Explanations through Conservative Propagation", ICML, arXiv 2202.07304) or
 * AttnLRP (Achtibat, Hatefi, Dreyer, Jain, Wiegand, Lapuschkin &amp; Samek 2024, "AttnLRP:
 * Attention-Aware Layer-wise Relevance Propagation for Transformers", ICML, arXiv 2402.05602).
 *
 * <p>One traced forward with the rule's {@link TraceOptions} switches (which change gradients,
 * never forward values) and one backward of {@code Σ_b logits[b, target_b]}; the samples of a batch
 * do not interact, so each sample's gradient is that of its own target logit. With {@code x} the
 * image {@code [B, C, S, S]} in [0, 1] and {@code x' = (x - mean) / std} what the network sees:
 * <pre>
 *   R_pix = x' ⊙ ∂y/∂x' = (x - mean) ⊙ ∂y/∂x           [B, C, S, S]
 *   map[b, r·g + c] = Σ_channels Σ_{p×p pixels of patch (r, c)} R_pix     [B, g·g]
 * </pre>
 * Relevance is taken in the normalised input space, as LXT's ViT example and Captum's
 * InputXGradient do (their input tensor is already normalised); it is also the only frame in which
 * relevance can be conserved, because the patch embedding is linear in {@code x'}, not in
 * {@code x}. The pixel relevance is then summed over channels and each patch's pixels (vit-shapley's
 * {@code patchsum}). The map is signed and raw: no absolute value, no upsampling, no normalisation
 * (LXT divides by max|·| only for display; whitebox brief, section 1.1).
 *
 * <p>Rules ({@code rule}):
 * <ul>
 *   <li>{@code cp} (default): attention probabilities are constants ("AH rule",
 *       {@link TraceOptions#detachSoftmax}) and LayerNorm's σ is a constant ("LN rule",
 *       {@link TraceOptions#detachLayerNormStd}) in every LayerNorm; everything else is the plain
 *       gradient (LRP-0, γ = 0). This is the variant Ali et al.'s evaluation script uses
 *       ({@code lrp_detach_KQ_LNorm_Norm}, γ = 0), and with the GELU identity rule below it is
 *       also LXT's shipped ViT recipe ({@code vit_torch.cp_LRP}) at γ = 0.
 *   <li>{@code attnlrp}: AttnLRP's efficient form: σ detached, and the bilinear attention products
 *       split uniformly ({@link TraceOptions#attentionUniformSplit}: q, k gradients × 1/4, v × 1/2);
 *       softmax keeps its plain gradient, which in the gradient × input frame is AttnLRP's
 *       Deep-Taylor softmax rule.
 * </ul>
 * Both rules apply the identity rule to GELU ({@code gelu = identity}, default;
 * {@link TraceOptions#geluIdentity}): Ali et al.'s model has no MLP, and plain gradient × input
 * through GELU is not conservative, so the default follows LXT. {@code gelu = gradient} keeps the
 * plain GELU gradient. {@code detachMean} (default {@code false}, as in Ali et al.'s evaluated
 * models) also treats LayerNorm's mean as a constant; the centring then behaves like a bias and
 * absorbs relevance.
 *
 * <p>Not implemented: the LRP-γ rule on linear and convolution layers (LXT's ViT recipe tunes γ per
 * model; Ali et al. use γ = 0). The model's forward has no γ switch, so both rules here are γ = 0.
 * Nor can {@code at = tokens} (relevance at the embedded tokens z⁰, summed over the embedding) be
 * computed: {@link VitModel#trace} exposes no gradient leaf at z⁰ (its token states are not leaves,
 * and DJL returns zeros for non-leaf gradients), so only {@code at = input} exists; pixel-level
 * relevance is also what LXT's ViT example computes. A token-level variant needs a zero-leaf tap
 * on z⁰ in the model's trace.
 *
 * <p>Conservation. With the {@code cp} rule (GELU identity, mean attached) the network with its
 * attention probabilities, σ's and GELU slopes frozen is linear in {@code x'} and in every
 * bias-like parameter (patch-embedding, qkv, projection, MLP, LayerNorm and head biases, the CLS
 * token and the position embedding), and equals the logit at the actual input. Hence
 * {@code Σ map + Σ_p Σ(p ⊙ ∂y/∂p) = y} (Euler's theorem): relevance not on the patches is absorbed by
 * those parameters, and with all of them zero, {@code Σ map = y} up to rounding and GELU's
 * 1e-10 stabiliser. AttnLRP's softmax rule {@code x ⊙ (R - s ΣR)} is not conservative (it drops
 * the softmax's bias term), so {@code attnlrp} maps do not sum to the logit even with zero biases:
 * on the tiny test ViT, whose attention logits are large, they keep about 40-50% of it.
 *
 * <p>Edge cases: an empty batch gives an empty result; a pixel equal to the channel mean gets no
 * relevance. The target must be a valid class index. Instances are immutable and thread-safe;
 * gradient work is serialised by {@link Gradients}.
 */
public final class Lrp implements Explainer {

    /** The stable id. */
    public static final String ID = "lrp";

    private static final ExplainerInfo INFO = new ExplainerInfo(ID, "LRP (conservative propagation)",
            Family.PROPAGATION, Set.of(Requirement.GRADIENTS, Requirement.PLAIN_LAYOUT), false,
            "Ali, Schnake, Eberle, Montavon, Mueller & Wolf 2022, XAI for Transformers: Better Explanations "
                    + "through Conservative Propagation, arXiv 2202.07304; Achtibat, Hatefi, Dreyer, Jain, "
                    + "Wiegand, Lapuschkin & Samek 2024, AttnLRP: Attention-Aware Layer-wise Relevance "
                    + "Propagation for Transformers, arXiv 2402.05602");

    /** Which modified backward propagates relevance through attention and LayerNorm. */
    public enum Rule {
        /** CP-LRP: softmax and LayerNorm σ detached. */
        CP,
        /** AttnLRP: LayerNorm σ detached, uniform split of the attention products. */
        ATTNLRP;

        /** The parameter value, e.g. {@code cp}. */
        public String id() {
            return name().toLowerCase(Locale.ROOT);
        }

    }

    private static final Parameter<Rule> RULE = Parameter.oneOf("rule", Rule.CP, List.of(Rule.values()), Rule::id,
            "cp (conservative propagation) or attnlrp");
    private static final Parameter<String> AT = Parameter.choice("at", "input", List.of("input", "tokens"),
            "where relevance is read: input pixels (tokens needs a leaf the trace does not expose)");
    private static final Parameter<String> GELU = Parameter.choice("gelu", "identity", List.of("identity",
            "gradient"), "GELU as identity (the rule) or by its gradient");
    private static final Parameter<Boolean> DETACH_MEAN = Parameter.flag("detachMean", false,
            "also detach the LayerNorm mean");

    /** The registration: parameters and factory. */
    public static final MethodDeclaration DECLARATION = MethodDeclaration.of(INFO, List.of(RULE, AT, GELU,
            DETACH_MEAN), Lrp::new);

    private final Arguments arguments;
    private final Rule rule;
    private final boolean geluIdentity;
    private final boolean detachMean;

    /**
     * @param rule the propagation rule
     * @param geluIdentity whether GELU passes relevance as the identity
     * @param detachMean whether the LayerNorm mean is detached too
     */
    public Lrp(Rule rule, boolean geluIdentity, boolean detachMean) {
        this(DECLARATION.resolve(Map.of("rule", rule.id(), "gelu", geluIdentity ? "identity" : "gradient",
                "detachMean", Boolean.toString(detachMean))));
    }

    /** Conservative propagation with GELU as the identity. */
    public Lrp() {
        this(DECLARATION.resolve(Map.of()));
    }

    private Lrp(Arguments arguments) {
        if (arguments.get(AT).equals("tokens")) {
            throw new ConfigurationException("at=tokens of " + ID + " needs a gradient leaf on the embedded "
                    + "tokens z0, which the model's trace does not expose; allowed: input");
        }
        this.arguments = arguments;
        this.rule = arguments.get(RULE);
        this.geluIdentity = arguments.get(GELU).equals("identity");
        this.detachMean = arguments.get(DETACH_MEAN);
    }

    /** Creates the method from parameters; unknown keys fail. */
    public static Lrp create(Parameters parameters) {
        return (Lrp) DECLARATION.create(parameters);
    }

    /** The switches of this rule; they change the backward pass only. */
    public TraceOptions traceOptions() {
        TraceOptions o = TraceOptions.NONE.withInputGradient(true)
                .withDetachLayerNormStd(true)
                .withDetachLayerNormMean(detachMean)
                .withGeluIdentity(geluIdentity);
        return switch (rule) {
            case CP -> o.withDetachSoftmax(true);
            case ATTNLRP -> o.withAttentionUniformSplit(true);
        };
    }

    @Override
    public ExplainerInfo info() {
        return INFO;
    }

    /** The resolved parameters, defaults included. */
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
        int classes = info.numClasses();
        for (int b = 0; b < targets.length; b++) {
            if (targets[b] < 0 || targets[b] >= classes) {
                throw new IllegalArgumentException("target " + targets[b] + " of sample " + b
                        + " is not a class of model " + info.name() + "; allowed: 0 to " + (classes - 1));
            }
        }
        if (batch.isEmpty()) {
            return Heatmaps.of(info.grid(), new float[0][]);
        }
        int n = batch.size();
        int c = info.channels();
        int g = info.grid();
        int p = info.patchSize();
        try (NDManager scope = context.manager().newSubManager()) {
            NDArray images = Batches.images(scope, batch, info);
            float[] onehot = new float[n * classes];
            for (int b = 0; b < n; b++) {
                onehot[b * classes + targets[b]] = 1f;
            }
            NDArray select = scope.create(onehot, new Shape(n, classes));
            NDArray mean = scope.create(info.preprocessing().mean(), new Shape(1, c, 1, 1));
            TraceOptions options = traceOptions();
            float[][] maps = Gradients.compute(collector -> {
                ForwardTrace trace = model.trace(images, options);
                collector.backward(trace.logits().mul(select).sum()); // Σ_b logits[b, target_b]
                NDArray grad = trace.input().getGradient(); // [B, C, S, S]
                // (x - mean) ⊙ ∂y/∂x = x' ⊙ ∂y/∂x': relevance in the normalised space the network sees
                NDArray relevance = images.sub(mean).mul(grad).sum(new int[] {1}); // -> [B, S, S]
                // [B, S, S] -> [B, g, p, g, p]: row = r·p + i, column = c·p + j
                return Batches.rows(relevance.reshape(n, g, p, g, p)
                        .sum(new int[] {2, 4}) // -> [B, g, g]
                        .reshape(n, (long) g * g)); // -> [B, g·g], row-major patch order
            });
            return Heatmaps.of(g, maps);
        }
    }

    @Override
    public String toString() {
        return ID + parameters();
    }
}
