package org.vitbench.datasets.embedded;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import org.vitbench.datasets.fashionmnist.FashionMnist;
import org.vitbench.datasets.idx.IdxReader;
import org.vitbench.datasets.idx.LabelledImages;

/**
 * The embedded subset as read from the class path: images and labels in sample order, and the
 * Fashion-MNIST test-set index of each sample. Sample {@code k} is the {@code (k / 10)}-th (from 0)
 * test image of class {@code k % 10}, counting in test-set order.
 *
 * @param data the images ({@code [1000, 28, 28]}) and labels
 * @param indices {@code [1000]} the test-set index of each sample; not copied
 */
public record EmbeddedSubset(LabelledImages data, int[] indices) {

    /** Samples in the subset. */
    public static final int SIZE = 1000;
    /** Samples per class. */
    public static final int PER_CLASS = SIZE / 10;
    /** Resource names, relative to this package. */
    public static final String IMAGES = "fashion-mnist-eval-1000-images-idx3-ubyte.gz";
    public static final String LABELS = "fashion-mnist-eval-1000-labels-idx1-ubyte.gz";
    public static final String INDICES = "fashion-mnist-eval-1000-indices.txt";
    public static final String PROVENANCE = "provenance.json";

    private static EmbeddedSubset cached;

    /** Reads the resources once per JVM (784 KB of pixels) and checks that they agree. */
    public static synchronized EmbeddedSubset load() {
        if (cached == null) {
            LabelledImages data = new LabelledImages(
                    IdxReader.readImages(resource(IMAGES), "resource " + IMAGES),
                    IdxReader.readLabels(resource(LABELS), "resource " + LABELS))
                    .checkLabels(FashionMnist.CLASS_NAMES.size());
            FashionMnist.checkImageSize("resource " + IMAGES, data.images().rows(), data.images().cols());
            int[] indices = readIndices(resource(INDICES));
            if (data.count() != SIZE || indices.length != SIZE) {
                throw broken(IMAGES + ", " + LABELS + " and " + INDICES + " hold " + data.count() + ", "
                        + data.labels().count() + " and " + indices.length + " entries, expected " + SIZE);
            }
            cached = new EmbeddedSubset(data, indices);
        }
        return cached;
    }

    /** The sample id of sample {@code k}: that of the full test split, {@code fashion-mnist/test/<index>}. */
    public String sampleId(int k) {
        return FashionMnist.sampleId("test", indices[k]);
    }

    private static InputStream resource(String name) {
        InputStream in = EmbeddedSubset.class.getResourceAsStream(name);
        if (in == null) {
            throw broken("resource " + name + " is missing");
        }
        return in;
    }

    private static int[] readIndices(InputStream in) {
        try (BufferedReader reader = new BufferedReader(new InputStreamReader(in, StandardCharsets.US_ASCII))) {
            int[] indices = reader.lines().mapToInt(Integer::parseInt).toArray();
            boolean negative = Arrays.stream(indices).anyMatch(i -> i < 0);
            if (negative || Arrays.stream(indices).distinct().count() != indices.length) {
                throw broken(INDICES + " holds a negative or repeated index");
            }
            return indices;
        } catch (IOException | NumberFormatException e) {
            throw broken("cannot read " + INDICES + ": " + e);
        }
    }

    // A broken jar is a build defect, not a usage error.
    private static IllegalStateException broken(String problem) {
        return new IllegalStateException("the embedded Fashion-MNIST subset in the datasets jar is broken: " + problem
                + "; rebuild the jar or regenerate the resources with EmbeddedSubsetGenerator");
    }
}
