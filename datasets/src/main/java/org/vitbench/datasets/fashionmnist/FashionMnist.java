package org.vitbench.datasets.fashionmnist;

import java.util.List;
import org.vitbench.api.ConfigurationException;
import org.vitbench.api.Dataset;
import org.vitbench.datasets.idx.IdxDataset;
import org.vitbench.datasets.idx.IdxHeader;
import org.vitbench.datasets.idx.IdxReader;
import org.vitbench.datasets.idx.LabelledImages;

/**
 * What every Fashion-MNIST dataset shares (Xiao, Rasul, Vollgraf, 2017, arXiv:1708.07747): the
 * class names in label order, the 28 x 28 image size and the sample ids
 * {@code fashion-mnist/<split>/<index in the split's files>}. The embedded subset uses the same ids,
 * so its results compare with those on the full test split.
 */
public final class FashionMnist {

    /** Class names in label order, as published with the dataset. */
    public static final List<String> CLASS_NAMES = List.of("T-shirt/top", "Trouser", "Pullover", "Dress", "Coat",
            "Sandal", "Shirt", "Sneaker", "Bag", "Ankle boot");

    /** Height and width of every image. */
    public static final int IMAGE_SIZE = 28;

    private FashionMnist() {
    }

    /** The id of sample {@code index} of {@code split} ({@code train} or {@code test}). */
    public static String sampleId(String split, int index) {
        return "fashion-mnist/" + split + "/" + index;
    }

    /**
     * Opens a split from its files. The headers are read and checked now (magic numbers, 28 x 28
     * images, one label per image); pixels and labels are read on the first {@code get}.
     *
     * @throws ConfigurationException when a header is malformed or the files do not match
     */
    public static Dataset open(FashionMnistFiles files, String split) {
        IdxHeader images = IdxReader.readHeader(files.images(), IdxReader.IMAGES_MAGIC);
        IdxHeader labels = IdxReader.readHeader(files.labels(), IdxReader.LABELS_MAGIC);
        checkImageSize(images.source(), images.dims()[1], images.dims()[2]);
        LabelledImages.checkCounts(images.source(), images.count(), labels.source(), labels.count());
        if (images.count() == 0) {
            throw new ConfigurationException(images.source() + " holds no images; obtain the file again");
        }
        return new IdxDataset("fashion-mnist/" + split, CLASS_NAMES, images.count(), i -> sampleId(split, i),
                () -> LabelledImages.read(files.images(), files.labels()));
    }

    /**
     * Fails unless images are 28 x 28.
     *
     * @throws ConfigurationException naming {@code source} and the size found
     */
    public static void checkImageSize(String source, int rows, int cols) {
        if (rows != IMAGE_SIZE || cols != IMAGE_SIZE) {
            throw new ConfigurationException(source + " holds " + rows + "x" + cols + " images but Fashion-MNIST"
                    + " images are " + IMAGE_SIZE + "x" + IMAGE_SIZE + "; check that the file is Fashion-MNIST");
        }
    }
}
