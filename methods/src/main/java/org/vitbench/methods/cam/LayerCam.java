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
 * LayerCAM on ViT tokens (Jiang, Zhang, Hou, Cheng &amp; Wei 2021, "LayerCAM: Exploring
 * Hierarchical Class Activation Maps for Localization", IEEE TIP 30) as jacobgil/pytorch-grad-cam's
 * {@code LayerCAM} applies it to a ViT with {@code reshape_transform}: the layer and target of
 * {@link GradCam}, each token weighted by its own positive gradient instead of a channel average.
 * Per sample, with {@code U} the {@code [P, D]} patch tokens and {@code G} their gradient:
 * <pre>
 *   cam_i = relu( sum_d relu(G[i, d]) U[i, d] ), then min-max scaled as GradCAM
 * </pre>
 * Parameters: {@code scale} (default {@code true}). One forward and one backward per batch; target
 * maps only. Checked against a NumPy re-implementation of the reference's {@code get_cam_image}
 * and {@code BaseCAM} ({@code cam_reference.py}). Immutable and thread-safe.
 */
public final class LayerCam extends TokenCam {

    /** The stable id. */
    public static final String ID = "layercam";

    private static final ExplainerInfo INFO = new ExplainerInfo(ID, "LayerCAM (tokens, LayerNorm-1)", Family.GRADIENT,
            Set.of(Requirement.GRADIENTS, Requirement.PLAIN_LAYOUT), false,
            "Jiang et al. 2021, LayerCAM, IEEE TIP 30; token variant of jacobgil/pytorch-grad-cam");

    /** The registration: parameters and factory. */
    public static final MethodDeclaration DECLARATION = MethodDeclaration.of(INFO, List.of(SCALE), LayerCam::new);

    /** The reference configuration: scaled maps. */
    public LayerCam() {
        this(DECLARATION.resolve(Map.of()));
    }

    private LayerCam(Arguments arguments) {
        super(INFO, arguments);
    }

    /** Creates the method from validated parameters; unknown keys fail. */
    public static LayerCam create(Parameters parameters) {
        return (LayerCam) DECLARATION.create(parameters);
    }

    @Override
    float[] tokenCam(float[][] activation, float[][] gradient, boolean scale) {
        return cam(activation, gradient, scale);
    }

    /**
     * LayerCAM of one sample.
     *
     * @param activation {@code [P][D]} patch tokens
     * @param gradient {@code [P][D]} their gradient
     * @param scale apply pytorch-grad-cam's min-max scaling after the ReLU
     * @return {@code [P]}, non-negative
     */
    static float[] cam(float[][] activation, float[][] gradient, boolean scale) {
        double[] cam = new double[activation.length];
        for (int i = 0; i < cam.length; i++) {
            double sum = 0;
            for (int e = 0; e < activation[i].length; e++) {
                sum += Math.max(gradient[i][e], 0f) * (double) activation[i][e];
            }
            cam[i] = sum;
        }
        return reluScaled(cam, scale);
    }
}
