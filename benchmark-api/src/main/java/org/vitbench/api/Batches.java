package org.vitbench.api;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import java.util.List;

/** Converts between samples and arrays. */
public final class Batches {

    private Batches() {
    }

    /**
     * Stacks the images of {@code samples} into {@code [B, C, S, S]} on {@code manager}.
     *
     * @throws ConfigurationException when an image does not match the model's channels and size
     */
    public static NDArray images(NDManager manager, List<Sample> samples, ModelInfo info) {
        int c = info.channels();
        int s = info.imageSize();
        float[] data = new float[samples.size() * c * s * s];
        int offset = 0;
        for (Sample sample : samples) {
            Image image = sample.image();
            if (image.channels() != c || image.height() != s || image.width() != s) {
                throw new ConfigurationException("sample " + sample.id() + " is " + image.channels() + "x"
                        + image.height() + "x" + image.width() + " but model " + info.name() + " expects "
                        + c + "x" + s + "x" + s + "; resize the dataset to the model's input (image folders "
                        + "are resized with the model's preprocessing) or choose a matching model");
            }
            System.arraycopy(image.pixels(), 0, data, offset, image.size());
            offset += image.size();
        }
        return manager.create(data, new Shape(samples.size(), c, s, s));
    }

    /** Rows of a 2-d float array as Java arrays. */
    public static float[][] rows(NDArray matrix) {
        long[] shape = matrix.getShape().getShape();
        if (shape.length != 2) {
            throw new IllegalArgumentException("expected a matrix, got shape " + matrix.getShape());
        }
        float[] flat = matrix.toType(ai.djl.ndarray.types.DataType.FLOAT32, false).toFloatArray();
        int cols = (int) shape[1];
        float[][] rows = new float[(int) shape[0]][cols];
        for (int r = 0; r < rows.length; r++) {
            System.arraycopy(flat, r * cols, rows[r], 0, cols);
        }
        return rows;
    }
}
