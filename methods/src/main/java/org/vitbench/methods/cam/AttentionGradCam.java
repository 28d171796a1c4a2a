package org.vitbench.methods.cam;

import ai.djl.ndarray.NDArray;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.vitbench.api.Arguments;
import org.vitbench.api.ExplainerInfo;
import org.vitbench.api.Family;
import org.vitbench.api.MethodDeclaration;
import org.vitbench.api.ModelInfo;
import org.vitbench.api.Parameters;
import org.vitbench.api.Requirement;
import org.vitbench.api.Sample;
import org.vitbench.api.VitModel;

/**
 * GradCAM on attention heads: the "GradCAM" baseline of Chefer, Gur &amp; Wolf 2021 ("Transformer
 * Interpretability Beyond Attention Visualization", arXiv 2012.09838;
 * {@code Baselines.generate_cam_attn}), after Selvaraju et al. 2017 (arXiv 1610.02391), with the
 * heads of the last block's attention as channels (whitebox brief section 3.3a). ViT Shapley's
 * {@code gradcam} is the same baseline.
 *
 * <p>With {@code A} the last block's attention probabilities {@code [H, N, N]} of one sample and
 * {@code G = d logit_target / d A}, both read on the CLS query row over the patch keys
 * ({@code [H, N, N] -> [H, P]}):
 * <pre>
 *   w_h   = mean_i G[h, 0, 1 + i]                       one scalar per head
 *   cam_i = relu( mean_h w_h A[h, 0, 1 + i] )           ReLU after the head mean, as the reference
 *   cam   = (cam - min cam) / (max cam - min cam)       the reference's min-max
 * </pre>
 * The raw map is the ReLU'd head mean; the reference min-max scales it (and its evaluation script
 * min-maxes again after bilinear upsampling, which changes nothing on the grid). A constant raw
 * map, where the reference divides 0 by 0, is returned as zeros. Only the CLS row is used: in the
 * last block no other query reaches the head, so the other rows have zero gradient.
 *
 * <p>Parameters: {@code scale} (default {@code true}, as the reference): apply the min-max
 * scaling. The target score is the pre-softmax logit. One forward and one backward of
 * {@code sum_b logit[b, target_b]} per batch; target maps only. Instances are immutable and
 * thread-safe.
 */
public final class AttentionGradCam extends TokenCam {

    /** The stable id. */
    public static final String ID = "gradcam-attn";

    private static final ExplainerInfo INFO = new ExplainerInfo(ID, "GradCAM (attention heads)", Family.GRADIENT,
            Set.of(Requirement.ATTENTION, Requirement.GRADIENTS, Requirement.PLAIN_LAYOUT), false,
            "Chefer, Gur & Wolf 2021, arXiv 2012.09838 (GradCAM baseline on attention heads, after"
                    + " Selvaraju et al. 2017, arXiv 1610.02391)");

    /** The registration: parameters and factory. */
    public static final MethodDeclaration DECLARATION = MethodDeclaration.of(INFO, List.of(SCALE),
            AttentionGradCam::new);

    /** @param scale whether to min-max scale each map as the reference does */
    public AttentionGradCam(boolean scale) {
        this(DECLARATION.resolve(Map.of(SCALE.name(), Boolean.toString(scale))));
    }

    /** The reference configuration: min-max scaled maps. */
    public AttentionGradCam() {
        this(DECLARATION.resolve(Map.of()));
    }

    private AttentionGradCam(Arguments arguments) {
        super(INFO, arguments);
    }

    /** Creates the method from validated parameters; unknown keys fail. */
    public static AttentionGradCam create(Parameters parameters) {
        return (AttentionGradCam) DECLARATION.create(parameters);
    }

    @Override
    LayerGradients.Pair read(VitModel model, NDArray images, int[] targets) {
        return LayerGradients.lastAttention(model, images, t -> LayerGradients.targetLogits(t.logits(), targets));
    }

    @Override
    float[] map(LayerGradients.Pair pair, ModelInfo info, int b, boolean scale) {
        int h = (int) pair.shape()[1];
        int n = (int) pair.shape()[2];
        return cam(clsRows(pair.activation(), b, h, n), clsRows(pair.gradient(), b, h, n), scale);
    }

    /**
     * The attention GradCAM of one sample.
     *
     * @param attention {@code [H][P]}: each head's CLS-query attention to the patches
     * @param gradient {@code [H][P]}: its gradient
     * @param scale apply the reference's min-max scaling
     * @return {@code [P]}, non-negative
     */
    static float[] cam(float[][] attention, float[][] gradient, boolean scale) {
        int h = attention.length;
        int p = h == 0 ? 0 : attention[0].length;
        double[] cam = new double[p];
        for (int head = 0; head < h; head++) {
            double w = 0;
            for (float g : gradient[head]) {
                w += g;
            }
            w /= p;
            for (int i = 0; i < p; i++) {
                cam[i] += w * attention[head][i] / h;
            }
        }
        double min = Double.POSITIVE_INFINITY;
        double max = Double.NEGATIVE_INFINITY;
        for (int i = 0; i < p; i++) {
            cam[i] = Math.max(cam[i], 0);
            min = Math.min(min, cam[i]);
            max = Math.max(max, cam[i]);
        }
        if (scale) {
            double range = max - min;
            for (int i = 0; i < p; i++) {
                // The reference divides 0 by 0 on a constant map; zeros keep the map finite.
                cam[i] = range > 0 ? (cam[i] - min) / range : 0;
            }
        }
        return GradCam.toFloats(cam);
    }

    /** Sample b's CLS-query rows over the patch keys of a row-major {@code [B, H, N, N]} array. */
    static float[][] clsRows(float[] flat, int b, int h, int n) {
        float[][] rows = new float[h][n - 1];
        for (int head = 0; head < h; head++) {
            // [B, H, N, N] at (b, head, 0, 1..N-1): CLS query, patch keys
            System.arraycopy(flat, ((b * h + head) * n) * n + 1, rows[head], 0, n - 1);
        }
        return rows;
    }
}
