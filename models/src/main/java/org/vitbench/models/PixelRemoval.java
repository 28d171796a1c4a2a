package org.vitbench.models;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.convolutional.Conv2d;
import org.vitbench.api.ModelInfo;
import org.vitbench.api.Removal.PixelBaseline;

/**
 * Replaces the pixels of held-out patches by a baseline image; the baselines are shared with the
 * pixel-blending evaluation of {@link org.vitbench.models.masking.MaskedEvaluator}.
 */
public final class PixelRemoval {

    private PixelRemoval() {
    }

    /**
     * {@code images * K + baseline * (1 - K)} with K the keep mask upsampled to pixels.
     *
     * @param images {@code [B, C, S, S]} in [0, 1]
     * @param keep {@code [B, P]}, nonzero where kept
     */
    static NDArray apply(NDArray images, NDArray keep, PixelBaseline baseline, ModelInfo info) {
        long b = images.getShape().get(0);
        int g = info.grid();
        int p = info.patchSize();
        // [B, P] -> [B, 1, g, 1, g, 1] -> [B, 1, g, p, g, p] -> [B, 1, S, S]
        NDArray k = keep.toType(DataType.FLOAT32, false).neq(0).toType(DataType.FLOAT32, false)
                .reshape(b, 1, g, 1, g, 1).broadcast(b, 1, g, p, g, p).reshape(b, 1, g * p, g * p);
        NDArray base = baseline(images, baseline, info);
        return images.mul(k).add(base.mul(k.neg().add(1f)));
    }

    /**
     * The baseline image of each image.
     *
     * @param images {@code [B, C, S, S]} in [0, 1]
     * @return {@code [B, C, S, S]} on the images' manager
     */
    public static NDArray baseline(NDArray images, PixelBaseline baseline, ModelInfo info) {
        NDManager m = images.getManager();
        return switch (baseline) {
            case ZERO -> m.zeros(images.getShape());
            case MEAN -> m.create(info.preprocessing().mean(), new Shape(1, info.channels(), 1, 1))
                    .broadcast(images.getShape());
            case BLUR -> blur(images, info.patchSize());
        };
    }

    /**
     * Gaussian blur with sigma = patch size (so that patch-level detail is gone; RISE uses
     * sigma 5 for 224-pixel images), kernel radius 2 sigma, reflect-free zero padding avoided by
     * normalising with the blurred ones image.
     */
    static NDArray blur(NDArray images, int sigma) {
        NDManager m = images.getManager();
        long c = images.getShape().get(1);
        int radius = 2 * sigma;
        int size = 2 * radius + 1;
        float[] kernel = new float[size];
        float sum = 0;
        for (int i = 0; i < size; i++) {
            kernel[i] = (float) Math.exp(-0.5 * (i - radius) * (i - radius) / ((double) sigma * sigma));
            sum += kernel[i];
        }
        for (int i = 0; i < size; i++) {
            kernel[i] /= sum;
        }
        NDArray kx = m.create(kernel, new Shape(1, 1, 1, size)).broadcast(c, 1, 1, size);
        NDArray ky = m.create(kernel, new Shape(1, 1, size, 1)).broadcast(c, 1, size, 1);
        NDArray blurred = separable(images, kx, ky, radius, (int) c);
        NDArray ones = m.ones(new Shape(1, c, images.getShape().get(2), images.getShape().get(3)));
        NDArray weight = separable(ones, kx, ky, radius, (int) c);
        return blurred.div(weight);
    }

    private static NDArray separable(NDArray x, NDArray kx, NDArray ky, int radius, int groups) {
        NDArray h = Conv2d.conv2d(x, kx, null, new Shape(1, 1), new Shape(0, radius), new Shape(1, 1), groups).head();
        return Conv2d.conv2d(h, ky, null, new Shape(1, 1), new Shape(radius, 0), new Shape(1, 1), groups).head();
    }
}
