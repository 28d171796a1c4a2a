package org.vitbench.methods.cam;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import java.util.List;
import org.vitbench.api.Arguments;
import org.vitbench.api.Batches;
import org.vitbench.api.Context;
import org.vitbench.api.Explainer;
import org.vitbench.api.ExplainerInfo;
import org.vitbench.api.Heatmaps;
import org.vitbench.api.ModelInfo;
import org.vitbench.api.Parameter;
import org.vitbench.api.Parameters;
import org.vitbench.api.Sample;
import org.vitbench.api.VitModel;

/**
 * What the two GradCAM variants share: one forward and one backward of the summed target logits
 * for a batch, an activation and its gradient read at one layer, a map per sample from them, and
 * the one parameter {@code scale}. {@link GradCam} reads the last block's LayerNorm-1 tokens,
 * {@link AttentionGradCam} its attention heads.
 */
abstract class TokenCam implements Explainer {

    /** The only parameter: whether maps are min-max scaled as the references do. */
    static final Parameter<Boolean> SCALE = Parameter.flag("scale", true,
            "min-max scale each map, as pytorch-grad-cam does");

    private final ExplainerInfo info;
    private final Arguments arguments;
    private final boolean scale;

    TokenCam(ExplainerInfo info, Arguments arguments) {
        this.info = info;
        this.arguments = arguments;
        this.scale = arguments.get(SCALE);
    }

    /**
     * The layer's activation and gradient of the summed target logits for the batch; by default
     * GradCAM's layer, the last block's LayerNorm-1 tokens.
     */
    LayerGradients.Pair read(VitModel model, NDArray images, int[] targets) {
        return lastNorm1(model, images, targets);
    }

    /** The last block's LayerNorm-1 tokens and their gradient of the target logits (GradCAM's layer). */
    static LayerGradients.Pair lastNorm1(VitModel model, NDArray images, int[] targets) {
        return LayerGradients.lastNorm1(model, images, t -> LayerGradients.targetLogits(t.logits(), targets));
    }

    /** Sample {@code b}'s patch-token activations and gradients, {@code [2][P][D]} (CLS dropped). */
    static float[][][] patchTokens(LayerGradients.Pair pair, ModelInfo info, int b) {
        int n = info.numTokens();
        int d = (int) pair.shape()[2];
        return new float[][][] {GradCam.patchTokens(pair.activation(), b, n, d),
            GradCam.patchTokens(pair.gradient(), b, n, d)};
    }

    /** {@code relu(sum_d weights_d activation[i][d])} per token, min-max scaled when asked (pytorch-grad-cam). */
    static float[] weighted(float[][] activation, double[] weights, boolean scale) {
        double[] cam = new double[activation.length];
        for (int i = 0; i < cam.length; i++) {
            double sum = 0;
            for (int e = 0; e < weights.length; e++) {
                sum += weights[e] * activation[i][e];
            }
            cam[i] = sum;
        }
        return reluScaled(cam, scale);
    }

    /** pytorch-grad-cam's {@code BaseCAM} ending: ReLU, then min-max scaling when asked, as floats. */
    static float[] reluScaled(double[] cam, boolean scale) {
        for (int i = 0; i < cam.length; i++) {
            cam[i] = Math.max(cam[i], 0);
        }
        if (scale) {
            GradCam.scaleInPlace(cam);
        }
        return GradCam.toFloats(cam);
    }

    /** Sample {@code b}'s map from the pair; by default {@link #tokenCam} of its patch tokens. */
    float[] map(LayerGradients.Pair pair, ModelInfo info, int b, boolean scale) {
        float[][][] tokens = patchTokens(pair, info, b);
        return tokenCam(tokens[0], tokens[1], scale);
    }

    /**
     * The map of one sample from its {@code [P][D]} patch-token activations and gradients; the
     * variants on LayerNorm-1 tokens override it, those that override {@link #map} need not.
     */
    float[] tokenCam(float[][] activation, float[][] gradient, boolean scale) {
        throw new IllegalStateException(info.id() + " overrides neither map nor tokenCam");
    }

    @Override
    public ExplainerInfo info() {
        return info;
    }

    /** The resolved parameters, defaults included. */
    @Override
    public Parameters parameters() {
        return arguments.parameters();
    }

    @Override
    public Heatmaps explain(Context context, List<Sample> batch, int[] targets) {
        VitModel model = context.model();
        ModelInfo modelInfo = model.info();
        LayerGradients.checkTargets(targets, batch.size(), modelInfo.numClasses());
        if (batch.isEmpty()) {
            return Heatmaps.of(modelInfo.grid(), new float[0][]);
        }
        LayerGradients.Pair pair;
        try (NDManager scope = context.manager().newSubManager()) {
            pair = read(model, Batches.images(scope, batch, modelInfo), targets);
        }
        float[][] maps = new float[batch.size()][];
        for (int b = 0; b < maps.length; b++) {
            maps[b] = map(pair, modelInfo, b, scale);
        }
        return Heatmaps.of(modelInfo.grid(), maps);
    }

    @Override
    public String toString() {
        return info.id() + parameters();
    }
}
