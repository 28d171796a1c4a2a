package org.vitbench.datasets.idx;

import java.nio.file.Path;
import org.vitbench.api.ConfigurationException;

/**
 * An IDX image file with its label file, checked to hold one label per image.
 *
 * @param images the images
 * @param labels their labels, in the same order
 */
public record LabelledImages(IdxImages images, IdxLabels labels) {

    public LabelledImages {
        checkCounts(images.source(), images.count(), labels.source(), labels.count());
    }

    /** Reads and pairs an image file and a label file. */
    public static LabelledImages read(Path imagesFile, Path labelsFile) {
        return new LabelledImages(IdxReader.readImages(imagesFile), IdxReader.readLabels(labelsFile));
    }

    /**
     * Fails unless the two files hold the same number of samples.
     *
     * @throws ConfigurationException naming both files and both counts
     */
    public static void checkCounts(String imagesSource, int imageCount, String labelsSource, int labelCount) {
        if (imageCount != labelCount) {
            throw new ConfigurationException(imagesSource + " holds " + imageCount + " images but "
                    + labelsSource + " holds " + labelCount + " labels; an image file and its label file must"
                    + " come from the same split and hold one label per image");
        }
    }

    /** Number of samples. */
    public int count() {
        return images.count();
    }

    /**
     * Returns this after checking that every label is below {@code classCount}.
     *
     * @throws ConfigurationException naming the label file, the first bad sample and its label
     */
    public LabelledImages checkLabels(int classCount) {
        for (int i = 0; i < labels.count(); i++) {
            if (labels.label(i) >= classCount) {
                throw new ConfigurationException("label " + labels.label(i) + " of sample " + i + " in "
                        + labels.source() + " is outside 0.." + (classCount - 1) + "; the file does not belong"
                        + " to a dataset with " + classCount + " classes");
            }
        }
        return this;
    }
}
