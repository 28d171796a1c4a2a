package org.vitbench.api;

import java.util.Optional;

/**
 * One evaluation sample.
 *
 * @param id stable identifier, unique within its dataset; seeds and result keys derive from it
 * @param label ground-truth class index, or -1 when unknown
 * @param image the image in [0, 1]
 * @param mask optional ground-truth localisation mask, {@code height * width} values in [0, 1]
 *     (row-major); {@code null} when the dataset has none
 */
public record Sample(String id, int label, Image image, float[] mask) {

    public Sample {
        if (id == null || id.isBlank()) {
            throw new IllegalArgumentException("sample id must not be blank");
        }
        if (mask != null && mask.length != image.height() * image.width()) {
            throw new IllegalArgumentException("mask of sample " + id + " has " + mask.length
                    + " values, expected " + image.height() * image.width());
        }
    }

    /** A sample without a ground-truth mask. */
    public Sample(String id, int label, Image image) {
        this(id, label, image, null);
    }

    public Optional<float[]> groundTruthMask() {
        return Optional.ofNullable(mask);
    }

    @Override
    public String toString() {
        return "Sample[" + id + ", label=" + label + ", " + image + (mask == null ? "" : ", mask") + "]";
    }
}
