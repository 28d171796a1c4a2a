package org.vitbench.methods.cam;

import java.util.List;
import java.util.Map;
import java.util.Set;
import org.vitbench.api.Arguments;
import org.vitbench.api.ExplainerInfo;
import org.vitbench.api.Family;
import org.vitbench.api.MethodDeclaration;
import org.vitbench.api.Parameters;
import org.vitbench.api.Requirement;

/**
 * GradCAM++ on ViT tokens (Chattopadhyay, Sarkar, Howlader &amp; Balasubramanian 2018,
 * "Grad-CAM++: Improved Visual Explanations for Deep Convolutional Networks", WACV, arXiv
 * 1710.11063) as jacobgil/pytorch-grad-cam's {@code GradCAMPlusPlus} applies it to a ViT with
 * {@code reshape_transform}: the layer and target of {@link GradCam} (the last block's
 * LayerNorm-1 tokens, the pre-softmax target logit), patch tokens as pixels, embedding dimensions
 * as channels. Per sample, with {@code U} the {@code [P, D]} patch tokens and {@code G} their
 * gradient:
 * <pre>
 *   s_d    = sum_i U[i, d]
 *   a_id   = G^2 / (2 G^2 + s_d G^3 + 1e-6),  0 where G[i, d] = 0     (equation 19)
 *   w_d    = sum_i relu(G[i, d]) a_id
 *   cam_i  = relu( sum_d w_d U[i, d] ), then min-max scaled as GradCAM
 * </pre>
 * Parameters: {@code scale} (default {@code true}). One forward and one backward per batch; target
 * maps only. Checked against a NumPy re-implementation of the reference's {@code get_cam_weights}
 * and {@code BaseCAM} ({@code cam_reference.py}). Immutable and thread-safe.
 */
public final class GradCamPlusPlus extends TokenCam {

    /** The stable id. */
    public static final String ID = "gradcam-plus-plus"; // ids are kebab-case, so not the "gradcam++" of the issue

    /** pytorch-grad-cam's guard in the denominator of {@code a_id}. */
    static final double EPS = 1e-6;

    private static final ExplainerInfo INFO = new ExplainerInfo(ID, "GradCAM++ (tokens, LayerNorm-1)", Family.GRADIENT,
            Set.of(Requirement.GRADIENTS, Requirement.PLAIN_LAYOUT), false,
            "Chattopadhyay et al. 2018, Grad-CAM++, WACV, arXiv 1710.11063; token variant of jacobgil/pytorch-grad-cam");

    /** The registration: parameters and factory. */
    public static final MethodDeclaration DECLARATION = MethodDeclaration.of(INFO, List.of(SCALE),
            GradCamPlusPlus::new);

    /** The reference configuration: scaled maps. */
    public GradCamPlusPlus() {
        this(DECLARATION.resolve(Map.of()));
    }

    private GradCamPlusPlus(Arguments arguments) {
        super(INFO, arguments);
    }

    /** Creates the method from validated parameters; unknown keys fail. */
    public static GradCamPlusPlus create(Parameters parameters) {
        return (GradCamPlusPlus) DECLARATION.create(parameters);
    }

    @Override
    float[] tokenCam(float[][] activation, float[][] gradient, boolean scale) {
        return cam(activation, gradient, scale);
    }

    /**
     * GradCAM++ of one sample.
     *
     * @param activation {@code [P][D]} patch tokens
     * @param gradient {@code [P][D]} their gradient
     * @param scale apply pytorch-grad-cam's min-max scaling after the ReLU
     * @return {@code [P]}, non-negative
     */
    static float[] cam(float[][] activation, float[][] gradient, boolean scale) {
        int p = activation.length;
        int d = p == 0 ? 0 : activation[0].length;
        double[] weights = new double[d];
        for (int e = 0; e < d; e++) {
            double sum = 0;
            for (float[] row : activation) {
                sum += row[e];
            }
            for (int i = 0; i < p; i++) {
                double g = gradient[i][e];
                if (g > 0) { // relu(G) is 0 elsewhere, and a_id is 0 where G is
                    double g2 = g * g;
                    weights[e] += g * g2 / (2 * g2 + sum * g2 * g + EPS);
                }
            }
        }
        return weighted(activation, weights, scale);
    }
}
