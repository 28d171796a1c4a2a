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
import org.vitbench.api.Sample;

/**
 * GradCAM on ViT tokens (Selvaraju et al. 2017, "Grad-CAM: Visual Explanations from Deep Networks
 * via Gradient-based Localization", arXiv 1610.02391) as jacobgil/pytorch-grad-cam applies it to a
 * ViT with {@code reshape_transform}, and as ViT Shapley (Covert et al. 2023, arXiv 2206.05282)
 * evaluates it under the name "GradCAM (LN)": patch tokens are the pixels, embedding dimensions the
 * channels (whitebox brief section 3.3b).
 *
 * <p>With {@code U} the last block's LayerNorm-1 output (the tokens entering the last attention,
 * pytorch-grad-cam's {@code blocks[-1].norm1}; after the last block only CLS reaches the head, so
 * the block output would have zero patch gradients) and {@code G = d logit_target / d U}, per
 * sample, on the patch tokens only ({@code [N, D] -> [P, D]}, CLS dropped):
 * <pre>
 *   alpha_d = mean_i G[i, d]                          (global average of the gradient per channel)
 *   cam_i   = relu( sum_d alpha_d U[i, d] )           raw map
 *   cam     = (cam - min cam) / (max(cam - min cam) + 1e-7)   pytorch-grad-cam scale_cam_image
 * </pre>
 * The raw map is the ReLU'd weighted sum, in logit-times-activation units; the reference then
 * min-max scales it on the patch grid, before resizing, which this method does by default
 * ({@code scale=true}). The scaled map lies in [0, 1); a map that is zero everywhere (all
 * evidence negative) stays zero thanks to the 1e-7.
 *
 * <p>Parameters: {@code scale} (default {@code true}, pytorch-grad-cam): apply the min-max scaling.
 * The target score is the pre-softmax logit ({@code ClassifierOutputTarget}). One forward and one
 * backward of {@code sum_b logit[b, target_b]} per batch; target maps only. Instances are
 * immutable and thread-safe (gradient work is serialised by {@link org.vitbench.api.Gradients}).
 */
public final class GradCam extends TokenCam {

    /** The stable id. */
    public static final String ID = "gradcam";

    /** pytorch-grad-cam's denominator guard in {@code scale_cam_image}. */
    static final double SCALE_EPS = 1e-7;

    private static final ExplainerInfo INFO = new ExplainerInfo(ID, "GradCAM (tokens, LayerNorm-1)", Family.GRADIENT,
            Set.of(Requirement.GRADIENTS, Requirement.PLAIN_LAYOUT), false,
            "Selvaraju et al. 2017, Grad-CAM, arXiv 1610.02391; token variant of jacobgil/pytorch-grad-cam"
                    + " as \"GradCAM (LN)\" in Covert et al. 2023, arXiv 2206.05282");

    /** The registration: parameters and factory. */
    public static final MethodDeclaration DECLARATION = MethodDeclaration.of(INFO, List.of(SCALE),
            GradCam::new);

    /** @param scale whether to min-max scale each map as pytorch-grad-cam does */
    public GradCam(boolean scale) {
        this(DECLARATION.resolve(Map.of(SCALE.name(), Boolean.toString(scale))));
    }

    /** The reference configuration: scaled maps. */
    public GradCam() {
        this(DECLARATION.resolve(Map.of()));
    }

    private GradCam(Arguments arguments) {
        super(INFO, arguments);
    }

    /** Creates the method from validated parameters; unknown keys fail. */
    public static GradCam create(Parameters parameters) {
        return (GradCam) DECLARATION.create(parameters);
    }

    @Override
    float[] tokenCam(float[][] activation, float[][] gradient, boolean scale) {
        return cam(activation, gradient, scale);
    }

    /**
     * GradCAM of one sample from its patch-token activations and gradients.
     *
     * @param activation {@code [P][D]} patch tokens (CLS excluded)
     * @param gradient {@code [P][D]} gradient of the target score with respect to them
     * @param scale apply pytorch-grad-cam's min-max scaling after the ReLU
     * @return {@code [P]}, non-negative
     */
    static float[] cam(float[][] activation, float[][] gradient, boolean scale) {
        int p = activation.length;
        int d = p == 0 ? 0 : activation[0].length;
        double[] alpha = new double[d];
        for (float[] row : gradient) {
            for (int e = 0; e < d; e++) {
                alpha[e] += row[e];
            }
        }
        for (int e = 0; e < d; e++) {
            alpha[e] /= p;
        }
        return weighted(activation, alpha, scale);
    }

    /** pytorch-grad-cam {@code scale_cam_image}: subtract the minimum, divide by max + 1e-7. */
    static void scaleInPlace(double[] map) {
        double min = Double.POSITIVE_INFINITY;
        for (double v : map) {
            min = Math.min(min, v);
        }
        double max = Double.NEGATIVE_INFINITY;
        for (int i = 0; i < map.length; i++) {
            map[i] -= min;
            max = Math.max(max, map[i]);
        }
        for (int i = 0; i < map.length; i++) {
            map[i] /= max + SCALE_EPS;
        }
    }

    /** Sample b's patch tokens of a row-major {@code [B, N, D]} array, {@code [P][D]}. */
    static float[][] patchTokens(float[] flat, int b, int n, int d) {
        float[][] rows = new float[n - 1][d];
        for (int i = 1; i < n; i++) { // token 0 is CLS
            System.arraycopy(flat, (b * n + i) * d, rows[i - 1], 0, d);
        }
        return rows;
    }

    static float[] toFloats(double[] values) {
        float[] out = new float[values.length];
        for (int i = 0; i < values.length; i++) {
            out[i] = (float) values[i];
        }
        return out;
    }
}
