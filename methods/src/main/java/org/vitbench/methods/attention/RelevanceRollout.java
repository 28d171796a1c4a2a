package org.vitbench.methods.attention;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.Shape;
import java.util.List;
import org.vitbench.api.ConfigurationException;
import org.vitbench.api.GraphConstants;
import org.vitbench.api.ModelInfo;

/**
 * The rollout shared by {@link GenericAttention} and {@link TransformerAttribution} (Chefer, Gur
 * &amp; Wolf 2021, rules 5 and 6): per block, the head mean of the positive part of a
 * gradient-weighted attention quantity, accumulated as {@code R <- R + Ā_l · R} from {@code R = I}.
 *
 * <p>{@code R + Ā·R = (I + Ā)·R}, so the result is {@code (I + Ā_{L-1}) ··· (I + Ā_start)}; later
 * blocks multiply on the left. Rows are <em>not</em> normalised: the pure self-attention GAE
 * notebook and Chefer's LRP rollout both leave them as they are (Transformer-MM-Explainability issue
 * #9: normalising made little difference because the CLS self-score is discarded), unlike
 * {@link AttentionRollout}. Stateless; all methods are thread-safe.
 */
final class RelevanceRollout {

    private RelevanceRollout() {
    }

    /**
     * Rule 5: {@code Ā = mean_h(max(0, g ⊙ a))}; the clamp comes before the head mean, as in both
     * Chefer references (jacobgil's gradient rollout clamps after the mean, whitebox brief §3.5a).
     *
     * @param gradient {@code [B, H, N, N]}
     * @param weighted {@code [B, H, N, N]}: attention (GAE) or its relevance (TA)
     * @return {@code [B, N, N]} on the inputs' manager
     */
    static NDArray positiveHeadMean(NDArray gradient, NDArray weighted) {
        if (!gradient.getShape().equals(weighted.getShape()) || gradient.getShape().dimension() != 4) {
            throw new IllegalArgumentException("gradient " + gradient.getShape() + " and weighted "
                    + weighted.getShape() + " must both be [B, H, N, N]");
        }
        return GraphConstants.maximum(gradient.mul(weighted), 0).mean(new int[] {1}); // [B, H, N, N] -> [B, N, N]
    }

    /**
     * Rule 6 over blocks {@code start .. fused.size()-1}: {@code R = I; R <- R + Ā_l · R}.
     *
     * @param fused per block {@code [B, N, N]}, all of one shape
     * @param start first block used, in {@code [0, fused.size())}
     * @return {@code [B, N, N]} on the manager of {@code fused.get(start)}
     */
    static NDArray rollout(List<NDArray> fused, int start) {
        if (start < 0 || start >= fused.size()) {
            throw new IllegalArgumentException("start " + start + " outside 0.." + (fused.size() - 1));
        }
        NDArray first = fused.get(start);
        Shape shape = first.getShape();
        if (shape.dimension() != 3 || shape.get(1) != shape.get(2)) {
            throw new IllegalArgumentException("fused attention must be [B, N, N], got " + shape);
        }
        // [N, N] -> [B, N, N]: one identity per image
        NDArray r = first.getManager().eye((int) shape.get(1)).expandDims(0).repeat(0, shape.get(0));
        for (int l = start; l < fused.size(); l++) {
            NDArray a = fused.get(l);
            if (!a.getShape().equals(shape)) {
                throw new IllegalArgumentException("block " + l + " is " + a.getShape() + ", block " + start
                        + " is " + shape);
            }
            r = r.add(a.matMul(r)); // [B, N, N] x [B, N, N]
        }
        return r;
    }

    /**
     * The CLS row over the patch columns, as plain arrays.
     *
     * @param r {@code [B, N, N]}
     * @return {@code [B][N - 1]}
     */
    static float[][] clsRow(NDArray r) {
        return org.vitbench.api.Batches.rows(r.get(new NDIndex(":, 0, 1:"))); // [B, N, N] -> [B, N-1]
    }

    /** Fails when {@code startLayer} is not a block of the model. */
    static void checkStartLayer(String id, int startLayer, ModelInfo info) {
        if (startLayer >= info.depth()) {
            throw new ConfigurationException("startLayer " + startLayer + " of " + id + " is beyond model "
                    + info.name() + " with " + info.depth() + " blocks; allowed: 0 to " + (info.depth() - 1));
        }
    }
}
