package org.vitbench.methods.gradient;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import java.util.List;
import java.util.SplittableRandom;
import org.vitbench.api.ForwardTrace;
import org.vitbench.api.ModelInfo;
import org.vitbench.api.Removal;
import org.vitbench.api.TraceOptions;
import org.vitbench.api.VitModel;
import org.vitbench.api.contract.FakeVitModel;

/**
 * A test model whose logits are linear in the pixels, {@code y = W x + bias} with {@code W [K, C*S*S]},
 * so that every gradient method has a closed form: {@code dy_c/dx = W[c]}. On the geometry of the
 * tiny ViT (12 x 12 grey images, 3 x 3 grid of 4-pixel patches, 3 classes) with identity
 * preprocessing. {@link #trace} supports the input gradient only, made a leaf the way
 * {@code VisionTransformer.trace} does it (a duplicate that requires gradients).
 */
final class LinearVitModel implements VitModel {

    static final ModelInfo INFO = FakeVitModel.info(3, 4, 1, 1, 3);

    private final NDManager manager = NDManager.newBaseManager();
    private final float[] weights;
    private final float[] bias;
    private final NDArray weightsT;
    private final NDArray biasArray;

    /** Random weights in [-1, 1] and bias in [-0.5, 0.5], fixed by {@code seed}. */
    LinearVitModel(long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        int d = pixels();
        int k = INFO.numClasses();
        weights = new float[k * d];
        for (int i = 0; i < weights.length; i++) {
            weights[i] = (float) (random.nextDouble() * 2 - 1);
        }
        bias = new float[k];
        for (int i = 0; i < k; i++) {
            bias[i] = (float) (random.nextDouble() - 0.5);
        }
        weightsT = manager.create(weights, new Shape(k, d)).transpose(); // [K, D] -> [D, K]
        biasArray = manager.create(bias);
    }

    /** {@code C * S * S}. */
    static int pixels() {
        return INFO.channels() * INFO.imageSize() * INFO.imageSize();
    }

    /** {@code W[c]}, the gradient of logit {@code c}. */
    float[] weights(int c) {
        return java.util.Arrays.copyOfRange(weights, c * pixels(), (c + 1) * pixels());
    }

    /** The logit of class {@code c} for one image, in double. */
    double logit(float[] image, int c) {
        double y = bias[c];
        for (int i = 0; i < image.length; i++) {
            y += (double) weights[c * image.length + i] * image[i];
        }
        return y;
    }

    @Override
    public ModelInfo info() {
        return INFO;
    }

    @Override
    public NDManager manager() {
        return manager;
    }

    @Override
    public NDArray logits(NDArray images) {
        long b = images.getShape().get(0);
        return images.reshape(b, pixels()).matMul(weightsT).add(biasArray); // [B, C, S, S] -> [B, D] -> [B, K]
    }

    @Override
    public NDArray logits(NDArray images, NDArray keep, Removal removal) {
        throw new UnsupportedOperationException("LinearVitModel has no masked evaluation");
    }

    @Override
    public ForwardTrace trace(NDArray images, TraceOptions options) {
        if (!options.equals(TraceOptions.NONE.withInputGradient(options.inputGradient()))) {
            throw new UnsupportedOperationException("LinearVitModel traces logits and the input gradient only: "
                    + options);
        }
        NDArray input = images;
        if (options.inputGradient()) {
            input = images.duplicate();
            input.setRequiresGradient(true);
        }
        return new ForwardTrace(input, List.of(), List.of(), List.of(), List.of(), List.of(), logits(input));
    }

    @Override
    public void close() {
        manager.close();
    }
}
