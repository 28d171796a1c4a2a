package org.vitbench.models.vitshapley;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import org.vitbench.api.Dataset;
import org.vitbench.api.Progress;
import org.vitbench.api.VitModel;

/** A dataset's pixels in memory and a frozen model's outputs on them, computed once. */
final class Teacher {

    private static final int CHUNK = 500;

    private Teacher() {
    }

    /** Every sample's pixels, [n][C*S*S]. */
    static float[][] images(Dataset data) {
        float[][] images = new float[data.size()][];
        for (int i = 0; i < images.length; i++) {
            images[i] = data.get(i).image().pixels();
        }
        return images;
    }

    /** The model's log-softmax outputs on full images, [n][K]. */
    static float[][] logProbabilities(VitModel model, float[][] images, Progress progress) {
        return outputs(model, images, true, progress);
    }

    /** The model's softmax outputs on full images, [n][K]. */
    static float[][] probabilities(VitModel model, float[][] images, Progress progress) {
        return outputs(model, images, false, progress);
    }

    private static float[][] outputs(VitModel model, float[][] images, boolean log, Progress progress) {
        var info = model.info();
        int k = info.classNames().size();
        float[][] out = new float[images.length][];
        for (int from = 0; from < images.length; from += CHUNK) {
            int to = Math.min(images.length, from + CHUNK);
            int pixels = images[from].length;
            float[] x = new float[(to - from) * pixels];
            for (int i = from; i < to; i++) {
                System.arraycopy(images[i], 0, x, (i - from) * pixels, pixels);
            }
            try (NDManager m = model.manager().newSubManager()) {
                NDArray logits = model.logits(m.create(x, new Shape(to - from, info.channels(), info.imageSize(),
                        info.imageSize())));
                float[] flat = (log ? logits.logSoftmax(1) : logits.softmax(1)).toFloatArray();
                for (int i = from; i < to; i++) {
                    out[i] = java.util.Arrays.copyOfRange(flat, (i - from) * k, (i - from + 1) * k);
                }
            }
            progress.update(to, images.length);
        }
        return out;
    }
}
