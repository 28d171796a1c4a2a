package org.vitbench.datasets.fashionmnist;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.vitbench.api.ConfigurationException;

/**
 * The image and label files of one Fashion-MNIST split, and the search for them.
 *
 * <p>A split is found in a directory holding both {@code <prefix>-images-idx3-ubyte} and
 * {@code <prefix>-labels-idx1-ubyte}, each gzipped ({@code .gz}, preferred) or not, where the
 * prefix is {@code train} or {@code t10k} (test), as published and as Debian's
 * {@code dataset-fashion-mnist} installs them.
 *
 * @param images the image file
 * @param labels the label file
 */
public record FashionMnistFiles(Path images, Path labels) {

    /** Environment variable naming a data directory, with or without a {@code fashion-mnist} sub-folder. */
    public static final String DATA_ENV = "VITBENCH_DATA";

    /** Where Debian's package {@code dataset-fashion-mnist} installs the files. */
    public static final Path SYSTEM_DIR = Path.of("/usr/share/datasets/fashion-mnist");

    /** The file names of {@code split}'s images, without {@code .gz}. */
    public static String imagesName(String split) {
        return prefix(split) + "-images-idx3-ubyte";
    }

    /** The file names of {@code split}'s labels, without {@code .gz}. */
    public static String labelsName(String split) {
        return prefix(split) + "-labels-idx1-ubyte";
    }

    private static String prefix(String split) {
        return switch (split) {
            case "train" -> "train";
            case "test" -> "t10k";
            default -> throw new IllegalArgumentException("split must be train or test, got " + split);
        };
    }

    /** The files of {@code split} in {@code dir}, if both are there. */
    public static Optional<FashionMnistFiles> find(Path dir, String split) {
        Optional<Path> images = file(dir, imagesName(split));
        Optional<Path> labels = file(dir, labelsName(split));
        return images.isPresent() && labels.isPresent()
                ? Optional.of(new FashionMnistFiles(images.get(), labels.get())) : Optional.empty();
    }

    private static Optional<Path> file(Path dir, String name) {
        for (String candidate : List.of(name + ".gz", name)) {
            Path path = dir.resolve(candidate);
            if (Files.isRegularFile(path)) {
                return Optional.of(path);
            }
        }
        return Optional.empty();
    }

    /**
     * Finds {@code split}. With {@code dir} given, only there: an explicit choice never falls back
     * to other data. Otherwise in {@code dataDir/fashion-mnist}, then {@code dataDir}, then
     * {@code systemDir}.
     *
     * @param dir the {@code dir} parameter, or {@code null}
     * @param dataDir the value of {@value #DATA_ENV}, or {@code null}
     * @param systemDir normally {@link #SYSTEM_DIR}
     * @throws ConfigurationException listing every place searched, why each failed, and how to
     *     install the data
     */
    public static FashionMnistFiles locate(String dir, String dataDir, Path systemDir, String split) {
        List<Path> places = new ArrayList<>();
        List<String> origins = new ArrayList<>();
        if (dir != null) {
            places.add(Path.of(dir));
            origins.add("parameter dir");
        } else {
            if (dataDir != null && !dataDir.isBlank()) {
                places.add(Path.of(dataDir, "fashion-mnist"));
                origins.add(DATA_ENV);
                places.add(Path.of(dataDir));
                origins.add(DATA_ENV);
            }
            places.add(systemDir);
            origins.add("Debian package dataset-fashion-mnist");
        }
        StringBuilder looked = new StringBuilder();
        for (int i = 0; i < places.size(); i++) {
            Optional<FashionMnistFiles> found = find(places.get(i), split);
            if (found.isPresent()) {
                return found.get();
            }
            looked.append("\n  - ").append(places.get(i)).append(" (").append(origins.get(i)).append("): ")
                    .append(whyNot(places.get(i), split));
        }
        throw new ConfigurationException("Fashion-MNIST " + split + " split not found; looked in:" + looked
                + "\ninstall it with `apt-get install dataset-fashion-mnist` or pass dir=... / set " + DATA_ENV
                + " to a directory holding " + imagesName(split) + ".gz and " + labelsName(split)
                + ".gz (or the un-gzipped files)"
                + (dir != null ? "; since dir was given, no other place was searched" : ""));
    }

    private static String whyNot(Path dir, String split) {
        if (!Files.exists(dir)) {
            return "does not exist";
        }
        if (!Files.isDirectory(dir)) {
            return "is not a directory";
        }
        List<String> missing = new ArrayList<>();
        if (file(dir, imagesName(split)).isEmpty()) {
            missing.add(imagesName(split) + "[.gz]");
        }
        if (file(dir, labelsName(split)).isEmpty()) {
            missing.add(labelsName(split) + "[.gz]");
        }
        return "has no " + String.join(" and no ", missing);
    }
}
