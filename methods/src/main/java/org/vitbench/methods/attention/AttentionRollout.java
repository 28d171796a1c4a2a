package org.vitbench.methods.attention;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import java.util.Arrays;
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
 * Attention rollout: how much attention flows from each patch to the CLS token through all blocks,
 * as a product of per-block attention matrices (Abnar &amp; Zuidema 2020, "Quantifying Attention
 * Flow in Transformers", arXiv 2005.00928).
 *
 * <p>For blocks {@code l = startLayer .. L-1}, with {@code A_l} the attention probabilities
 * {@code [H, N, N]} (rows are queries):
 * <pre>
 *   Â_l = rownorm( discard(fuse_heads(A_l)) + I )      (+ I only when residual)
 *   R   = Â_{L-1} · ... · Â_{startLayer}                (later blocks multiply on the left)
 *   map = R[CLS, patches]                               ([N, N] -> [P], row-major grid)
 * </pre>
 * Row normalisation divides each row by its own sum (not jacobgil/vit-explain's broadcast of the
 * row sums over columns, issue #16), so every {@code Â_l} and {@code R} is row-stochastic. The map
 * is returned raw: no upsampling and no min-max scaling (whitebox brief, section 1.1).
 *
 * <p>Parameters:
 * <ul>
 *   <li>{@code headFusion} = {@code mean} | {@code max} | {@code min} (default {@code mean}): how
 *       the heads of a block are combined, element-wise.
 *   <li>{@code discardRatio} in [0, 1] (default 0): after fusing, the
 *       {@code floor(N * N * discardRatio)} smallest entries of the whole {@code N x N} matrix
 *       (not per row) are set to 0, except {@code [CLS, CLS]}, before I is added; ties at the
 *       threshold go in row-major order. As in jacobgil/vit-explain, {@code [CLS, CLS]} counts
 *       towards the chosen entries and is then spared.
 *       The default 0 follows Abnar &amp; Zuidema's original code, not jacobgil/vit-explain (0.9).
 *   <li>{@code startLayer} (default 0): the first block in the product; Chefer et al.'s
 *       benchmark scripts use 1. Must be below the model's depth.
 *   <li>{@code residual} (default true): add the identity before normalising, modelling the
 *       residual connection; with {@code false}, {@code Â_l = rownorm(A_l)}, and a row that
 *       discarding empties stays zero.
 * </ul>
 *
 * <p>The method is class-agnostic: the target is ignored and every class gets the same map. It
 * needs attention probabilities ({@link TraceOptions#withAttention}) and no gradients. Instances
 * are immutable and thread-safe.
 */
public final class AttentionRollout implements Explainer {

    /** The stable id. */
    public static final String ID = "attention-rollout";

    private static final ExplainerInfo INFO = new ExplainerInfo(ID, "Attention rollout", Family.ATTENTION,
            Set.of(Requirement.ATTENTION, Requirement.PLAIN_LAYOUT), false,
            "Abnar & Zuidema 2020, Quantifying Attention Flow in Transformers, arXiv 2005.00928");

    /** How the heads of one block are combined into one matrix. */
    public enum HeadFusion {
        MEAN, MAX, MIN;

        /** The parameter value, e.g. {@code mean}. */
        public String id() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    /** The {@code headFusion} parameter, shared with raw attention. */
    static final Parameter<HeadFusion> HEAD_FUSION = Parameter.oneOf("headFusion", HeadFusion.MEAN,
            List.of(HeadFusion.values()), HeadFusion::id, "how the heads' attention is combined: mean, max or min");
    private static final Parameter<Double> DISCARD_RATIO = Parameter.number("discardRatio", 0.0, 0.0, 1.0,
            "fraction of the lowest attention weights set to 0 per layer (the CLS row is kept)");
    private static final Parameter<Integer> START_LAYER = Parameter.integer("startLayer", 0, 0, Integer.MAX_VALUE,
            "the first block in the product");
    private static final Parameter<Boolean> RESIDUAL = Parameter.flag("residual", true,
            "add the identity for the residual path and renormalise, as the paper");

    /** The registration: parameters and factory. */
    public static final MethodDeclaration DECLARATION = MethodDeclaration.of(INFO, List.of(HEAD_FUSION,
            DISCARD_RATIO, START_LAYER, RESIDUAL), AttentionRollout::new);

    private final Arguments arguments;
    private final HeadFusion headFusion;
    private final double discardRatio;
    private final int startLayer;
    private final boolean residual;

    /**
     * @param headFusion how heads are combined
     * @param discardRatio fraction of the lowest weights dropped per layer, in [0, 1]
     * @param startLayer the first block in the product, 0 or more
     * @param residual whether the identity is added for the residual path
     * @throws ConfigurationException when a value is outside its range
     */
    public AttentionRollout(HeadFusion headFusion, double discardRatio, int startLayer, boolean residual) {
        this(DECLARATION.resolve(Map.of("headFusion", headFusion.id(), "discardRatio", Double.toString(discardRatio),
                "startLayer", Integer.toString(startLayer), "residual", Boolean.toString(residual))));
    }

    /** The paper's rollout: mean over heads, nothing discarded, from the first block, with the residual. */
    public AttentionRollout() {
        this(DECLARATION.resolve(Map.of()));
    }

    private AttentionRollout(Arguments arguments) {
        this.arguments = arguments;
        this.headFusion = arguments.get(HEAD_FUSION);
        this.discardRatio = arguments.get(DISCARD_RATIO);
        this.startLayer = arguments.get(START_LAYER);
        this.residual = arguments.get(RESIDUAL);
    }

    /** Creates the method from parameters; unknown keys fail. */
    public static AttentionRollout create(Parameters parameters) {
        return (AttentionRollout) DECLARATION.create(parameters);
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
        try (NDManager scope = context.manager().newSubManager()) {
            NDArray images = Batches.images(scope, batch, info);
            List<NDArray> attention = model.trace(images, TraceOptions.NONE.withAttention(true)).attention();
            if (startLayer >= attention.size()) {
                throw new ConfigurationException("startLayer " + startLayer + " of " + ID + " is beyond model "
                        + info.name() + " with " + attention.size() + " blocks; allowed: 0 to " + (attention.size() - 1));
            }
            Shape expected = new Shape(batch.size(), info.heads(), info.numTokens(), info.numTokens());
            NDArray rollout = null;
            for (int l = startLayer; l < attention.size(); l++) {
                NDArray a = attention.get(l);
                if (!a.getShape().equals(expected)) {
                    throw new IllegalStateException("attention of block " + l + " is " + a.getShape()
                            + ", expected " + expected + " (B, H, N, N)");
                }
                NDArray adjusted = adjusted(a);
                rollout = rollout == null ? adjusted : adjusted.matMul(rollout); // [B, N, N] x [B, N, N]
            }
            NDArray map = rollout.get(new NDIndex(":, 0, 1:")); // [B, N, N] -> [B, P]: CLS row, patch columns
            return Heatmaps.of(info.grid(), Batches.rows(map));
        }
    }

    /**
     * One block's {@code Â}: heads fused, entries discarded, identity added when residual, rows
     * normalised. The result lives on the input's manager.
     *
     * @param attention {@code [B, H, N, N]} attention probabilities
     * @return {@code [B, N, N]}, every row summing to 1 (or 0 for a row emptied by discarding
     *     without the residual)
     */
    NDArray adjusted(NDArray attention) {
        NDArray fused = switch (headFusion) { // [B, H, N, N] -> [B, N, N]
            case MEAN -> attention.mean(new int[] {1});
            case MAX -> attention.max(new int[] {1});
            case MIN -> attention.min(new int[] {1});
        };
        if (discardRatio > 0) {
            fused = discard(fused);
        }
        if (residual) {
            fused = fused.add(fused.getManager().eye((int) fused.getShape().get(1))); // + [N, N], broadcast
        }
        NDArray sums = fused.sum(new int[] {2}, true); // [B, N, N] -> [B, N, 1]
        // A row emptied by discarding (possible only without the residual) stays 0 rather than NaN.
        NDArray safe = sums.add(sums.eq(0f).toType(DataType.FLOAT32, false));
        return fused.div(safe);
    }

    /** Sets the {@code floor(N² · ratio)} smallest entries of each fused matrix to 0, sparing [CLS, CLS]. */
    private NDArray discard(NDArray fused) {
        Shape shape = fused.getShape();
        long b = shape.get(0);
        long cells = shape.get(1) * shape.get(2);
        long k = (long) Math.floor(cells * discardRatio);
        if (k == 0) {
            return fused;
        }
        NDManager manager = fused.getManager();
        NDArray flat = fused.reshape(b, cells); // [B, N, N] -> [B, N*N], row-major
        NDArray threshold = flat.sort(1).get(new NDIndex(":, {}:{}", k - 1, k)); // [B, 1]: k-th smallest
        NDArray below = flat.lt(threshold);
        NDArray atThreshold = flat.eq(threshold);
        // Ties at the threshold are taken in row-major order until exactly k entries are chosen,
        // so the result does not depend on the sort's (unstable) order of equal values.
        NDArray room = below.toType(DataType.INT64, false).sum(new int[] {1}, true).neg().add(k); // [B, 1]
        NDArray tieRank = atThreshold.toType(DataType.INT64, false).cumSum(1); // 1, 2, ... over ties
        NDArray chosen = below.logicalOr(atThreshold.logicalAnd(tieRank.lte(room)));
        boolean[] notClsCls = new boolean[(int) cells];
        Arrays.fill(notClsCls, 1, notClsCls.length, true);
        chosen = chosen.logicalAnd(manager.create(notClsCls)); // [B, N*N] & [N*N], broadcast
        return flat.mul(chosen.logicalNot().toType(DataType.FLOAT32, false)).reshape(shape); // -> [B, N, N]
    }

    @Override
    public String toString() {
        return ID + parameters();
    }
}
