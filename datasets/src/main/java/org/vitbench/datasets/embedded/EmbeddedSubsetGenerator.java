package org.vitbench.datasets.embedded;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.Locale;
import java.util.StringJoiner;
import java.util.zip.GZIPInputStream;
import org.vitbench.api.ConfigurationException;
import org.vitbench.api.Hashes;
import org.vitbench.datasets.fashionmnist.FashionMnist;
import org.vitbench.datasets.fashionmnist.FashionMnistFiles;
import org.vitbench.datasets.idx.IdxImages;
import org.vitbench.datasets.idx.IdxLabels;
import org.vitbench.datasets.idx.IdxWriter;
import org.vitbench.datasets.idx.LabelledImages;

/**
 * Produces the resources of the {@link EmbeddedSubset} from the Fashion-MNIST test split: the
 * images and labels as gzip IDX, the test-set indices (one per line) and {@code provenance.json}
 * (source files with the SHA-256 of their bytes and of their un-gzipped content, selection rule,
 * order, indices, command). The output is fully determined by the source files and the arguments:
 * no time stamps, and gzip headers without name or time.
 *
 * <p>Run from the repository root after compiling:
 * <pre>
 * java -cp datasets/target/classes:benchmark-api/target/classes \
 *     org.vitbench.datasets.embedded.EmbeddedSubsetGenerator \
 *     /usr/share/datasets/fashion-mnist datasets/src/main/resources/org/vitbench/datasets/embedded
 * </pre>
 */
public final class EmbeddedSubsetGenerator {

    private static final String CLASS_PATH = "datasets/target/classes:benchmark-api/target/classes";

    private EmbeddedSubsetGenerator() {
    }

    /** Arguments: the directory holding the Fashion-MNIST test files, and the output directory. */
    public static void main(String[] args) throws IOException {
        if (args.length != 2) {
            System.err.println("usage: java -cp " + CLASS_PATH + " " + EmbeddedSubsetGenerator.class.getName()
                    + " <fashion-mnist dir> <output dir>");
            System.exit(2);
        }
        generate(Path.of(args[0]), Path.of(args[1]));
    }

    /**
     * Writes the four resources into {@code outputDir} (created if needed), overwriting them.
     *
     * @throws ConfigurationException when the test split is not in {@code sourceDir} or is malformed
     */
    public static void generate(Path sourceDir, Path outputDir) throws IOException {
        FashionMnistFiles files = FashionMnistFiles.find(sourceDir, "test").orElseThrow(() ->
                new ConfigurationException(sourceDir + " does not hold the Fashion-MNIST test split ("
                        + FashionMnistFiles.imagesName("test") + "[.gz] and " + FashionMnistFiles.labelsName("test")
                        + "[.gz]); install it with `apt-get install dataset-fashion-mnist`"));
        LabelledImages test = LabelledImages.read(files.images(), files.labels())
                .checkLabels(FashionMnist.CLASS_NAMES.size());
        IdxImages images = test.images();
        FashionMnist.checkImageSize(images.source(), images.rows(), images.cols());
        int[] indices = select(test.labels(), FashionMnist.CLASS_NAMES.size(), EmbeddedSubset.PER_CLASS);

        int pixelsPerImage = images.rows() * images.cols();
        byte[] pixels = new byte[indices.length * pixelsPerImage];
        byte[] labels = new byte[indices.length];
        StringBuilder indexLines = new StringBuilder();
        for (int k = 0; k < indices.length; k++) {
            System.arraycopy(images.pixels(), indices[k] * pixelsPerImage, pixels, k * pixelsPerImage, pixelsPerImage);
            labels[k] = test.labels().labels()[indices[k]];
            indexLines.append(indices[k]).append('\n');
        }
        Files.createDirectories(outputDir);
        IdxWriter.writeImages(outputDir.resolve(EmbeddedSubset.IMAGES), images.rows(), images.cols(), pixels, true);
        IdxWriter.writeLabels(outputDir.resolve(EmbeddedSubset.LABELS), labels, true);
        Files.writeString(outputDir.resolve(EmbeddedSubset.INDICES), indexLines, StandardCharsets.US_ASCII);
        Files.writeString(outputDir.resolve(EmbeddedSubset.PROVENANCE),
                provenance(files, sourceDir, outputDir, indices), StandardCharsets.UTF_8);
    }

    /**
     * Selects the first {@code perClass} samples of each class in file order and interleaves them:
     * entry {@code k} is the {@code (k / classes)}-th selected sample of class {@code k % classes}.
     *
     * @return {@code [classes * perClass]} indices into {@code labels}
     * @throws ConfigurationException when a class has fewer than {@code perClass} samples
     */
    public static int[] select(IdxLabels labels, int classes, int perClass) {
        int[][] byClass = new int[classes][perClass];
        int[] found = new int[classes];
        for (int i = 0; i < labels.count(); i++) {
            int label = labels.label(i);
            if (label < classes && found[label] < perClass) {
                byClass[label][found[label]++] = i;
            }
        }
        int[] indices = new int[classes * perClass];
        for (int c = 0; c < classes; c++) {
            if (found[c] < perClass) {
                throw new ConfigurationException(labels.source() + " holds " + found[c] + " samples of class " + c
                        + ", fewer than the " + perClass + " the subset takes from each class");
            }
            for (int r = 0; r < perClass; r++) {
                indices[r * classes + c] = byClass[c][r];
            }
        }
        return indices;
    }

    private static String provenance(FashionMnistFiles files, Path sourceDir, Path outputDir, int[] indices)
            throws IOException {
        StringJoiner indexList = new StringJoiner(", ", "[", "]");
        for (int index : indices) {
            indexList.add(Integer.toString(index));
        }
        return "{\n"
                + "  \"dataset\": " + json(EmbeddedSubsetProvider.ID) + ",\n"
                + "  \"description\": " + json("Class-balanced evaluation subset of the Fashion-MNIST test"
                        + " split (Xiao, Rasul, Vollgraf 2017, arXiv:1708.07747), shipped so that vitbench runs"
                        + " offline") + ",\n"
                + "  \"source\": {\n"
                + "    \"split\": \"test\",\n"
                + (sourceDir.toAbsolutePath().normalize().equals(FashionMnistFiles.SYSTEM_DIR)
                        ? "    \"package\": \"Debian dataset-fashion-mnist\",\n" : "")
                + "    \"directory\": " + json(sourceDir.toString()) + ",\n"
                + "    \"files\": [\n"
                + "      " + fileEntry(files.images()) + ",\n"
                + "      " + fileEntry(files.labels()) + "\n"
                + "    ]\n"
                + "  },\n"
                + "  \"selection\": " + json("the first " + EmbeddedSubset.PER_CLASS + " test images of each of the "
                        + FashionMnist.CLASS_NAMES.size() + " classes, in test-set order") + ",\n"
                + "  \"order\": " + json("class-interleaved: sample k is the (k / 10)-th selected image of"
                        + " class k % 10, so every prefix of 10 m samples holds m per class") + ",\n"
                + "  \"sampleIds\": " + json("fashion-mnist/test/<test-set index>, as in the full test split") + ",\n"
                + "  \"files\": {\n"
                + "    \"images\": " + json(EmbeddedSubset.IMAGES) + ",\n"
                + "    \"labels\": " + json(EmbeddedSubset.LABELS) + ",\n"
                + "    \"indices\": " + json(EmbeddedSubset.INDICES) + "\n"
                + "  },\n"
                + "  \"command\": " + json("java -cp " + CLASS_PATH + " " + EmbeddedSubsetGenerator.class.getName()
                        + " " + sourceDir + " " + outputDir) + ",\n"
                + "  \"commandNote\": " + json("run from the repository root after `mvn -o -q -B -pl datasets -am"
                        + " compile`") + ",\n"
                + "  \"indices\": " + indexList + "\n"
                + "}\n";
    }

    private static String fileEntry(Path file) throws IOException {
        return "{\"name\": " + json(file.getFileName().toString()) + ", \"bytes\": " + Files.size(file)
                + ", \"sha256\": " + json(sha256(file, false)) + ", \"contentSha256\": " + json(sha256(file, true))
                + "}";
    }

    /**
     * The lower-case hex SHA-256 of {@code file}: of its bytes as stored, or with {@code content}
     * of its IDX bytes after gunzip (independent of how it was compressed; Debian recompressed the
     * upstream files).
     */
    static String sha256(Path file, boolean content) throws IOException {
        MessageDigest sha = Hashes.sha256();
        try (InputStream raw = new BufferedInputStream(Files.newInputStream(file))) {
            raw.mark(2);
            boolean gzip = raw.read() == 0x1f && raw.read() == 0x8b;
            raw.reset();
            InputStream in = content && gzip ? new GZIPInputStream(raw) : raw;
            new DigestInputStream(in, sha).transferTo(OutputStream.nullOutputStream());
        }
        return HexFormat.of().formatHex(sha.digest());
    }

    // Enough JSON escaping for the file names, paths and sentences written here.
    private static String json(String text) {
        StringBuilder s = new StringBuilder("\"");
        for (char ch : text.toCharArray()) {
            switch (ch) {
                case '"' -> s.append("\\\"");
                case '\\' -> s.append("\\\\");
                default -> {
                    if (ch < 0x20) {
                        s.append(String.format(Locale.ROOT, "\\u%04x", (int) ch));
                    } else {
                        s.append(ch);
                    }
                }
            }
        }
        return s.append('"').toString();
    }
}
