package org.vitbench.datasets.embedded;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.zip.GZIPInputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.vitbench.api.ConfigurationException;
import org.vitbench.datasets.fashionmnist.FashionMnistFiles;
import org.vitbench.datasets.fashionmnist.SyntheticFashionMnist;
import org.vitbench.datasets.idx.IdxImages;
import org.vitbench.datasets.idx.IdxLabels;
import org.vitbench.datasets.idx.IdxReader;

class EmbeddedSubsetGeneratorTest {

    @TempDir
    Path tmp;

    private static IdxLabels labels(int... values) {
        byte[] bytes = new byte[values.length];
        for (int i = 0; i < values.length; i++) {
            bytes[i] = (byte) values[i];
        }
        return new IdxLabels("labels", bytes);
    }

    @Test
    void selectsTheFirstOfEachClassAndInterleaves() {
        // class 0 at 1, 3, 7; class 1 at 2, 5, 6; class 2 at 0, 4, 8 -> first two of each, interleaved
        int[] indices = EmbeddedSubsetGenerator.select(labels(2, 0, 1, 0, 2, 1, 1, 0, 2), 3, 2);
        assertArrayEquals(new int[] {1, 2, 0, 3, 5, 4}, indices);
    }

    @Test
    void failsWhenAClassIsShort() {
        String message = assertThrows(ConfigurationException.class,
                () -> EmbeddedSubsetGenerator.select(labels(0, 1, 0, 2, 2), 3, 2)).getMessage();
        assertEquals("labels holds 1 samples of class 1, fewer than the 2 the subset takes from each class", message);
    }

    private static String sha256(byte[] bytes) throws NoSuchAlgorithmException {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
    }

    @Test
    void writesTheSelectedImagesLabelsIndicesAndProvenance() throws Exception {
        Path source = tmp.resolve("source");
        SyntheticFashionMnist.write(source, "test", 1010, true); // label(i) = 3 i mod 10: 101 per class
        Path out = tmp.resolve("out");
        EmbeddedSubsetGenerator.generate(source, out);

        IdxImages images = IdxReader.readImages(out.resolve(EmbeddedSubset.IMAGES));
        IdxLabels labels = IdxReader.readLabels(out.resolve(EmbeddedSubset.LABELS));
        int[] indices = Files.readString(out.resolve(EmbeddedSubset.INDICES)).lines().mapToInt(Integer::parseInt)
                .toArray();
        assertEquals(1000, images.count());
        assertEquals(1000, indices.length);
        // 3 i = c (mod 10) has the solutions i = 7 c (mod 10): the r-th image of class c is 10 r + 7 c mod 10
        for (int k = 0; k < 1000; k++) {
            int c = k % 10;
            int r = k / 10;
            assertEquals(10 * r + (7 * c) % 10, indices[k], "sample " + k);
            assertEquals(c, labels.label(k));
            for (int p = 0; p < 28 * 28; p++) {
                assertEquals(SyntheticFashionMnist.pixel(indices[k], p / 28, p % 28), images.pixel(k, p / 28, p % 28));
            }
        }
        assertEquals(0x1f, Files.readAllBytes(out.resolve(EmbeddedSubset.IMAGES))[0] & 0xff);

        String provenance = Files.readString(out.resolve(EmbeddedSubset.PROVENANCE));
        Path imagesFile = source.resolve("t10k-images-idx3-ubyte.gz");
        byte[] packed = Files.readAllBytes(imagesFile);
        byte[] content;
        try (InputStream in = new GZIPInputStream(Files.newInputStream(imagesFile))) {
            content = in.readAllBytes();
        }
        assertTrue(provenance.contains("{\"name\": \"t10k-images-idx3-ubyte.gz\", \"bytes\": " + packed.length
                + ", \"sha256\": \"" + sha256(packed) + "\", \"contentSha256\": \"" + sha256(content) + "\"}"),
                provenance);
        assertTrue(provenance.contains("\"directory\": \"" + source + "\",\n    \"files\""), provenance);
        assertTrue(provenance.contains("\"command\": \"java -cp datasets/target/classes:benchmark-api/target/classes"
                + " org.vitbench.datasets.embedded.EmbeddedSubsetGenerator " + source + " " + out + "\""), provenance);
        assertTrue(provenance.contains("\"indices\": [0, 7, 4, 1, 8, 5, 2, 9, 6, 3, 10, 17, "), provenance);
    }

    /** The shipped resources are what the generator makes from Debian's files today. */
    @Test
    void regeneratingFromTheInstalledPackageReproducesTheResources() throws Exception {
        assumeTrue(Files.isDirectory(FashionMnistFiles.SYSTEM_DIR), FashionMnistFiles.SYSTEM_DIR + " is not installed");
        Path out = tmp.resolve("out");
        EmbeddedSubsetGenerator.generate(FashionMnistFiles.SYSTEM_DIR, out);
        EmbeddedSubset shipped = EmbeddedSubset.load();
        assertArrayEquals(shipped.data().images().pixels(),
                IdxReader.readImages(out.resolve(EmbeddedSubset.IMAGES)).pixels());
        assertArrayEquals(shipped.data().labels().labels(),
                IdxReader.readLabels(out.resolve(EmbeddedSubset.LABELS)).labels());
        try (InputStream in = EmbeddedSubset.class.getResourceAsStream(EmbeddedSubset.INDICES)) {
            assertArrayEquals(in.readAllBytes(), Files.readAllBytes(out.resolve(EmbeddedSubset.INDICES)));
        }
        String regenerated = Files.readString(out.resolve(EmbeddedSubset.PROVENANCE));
        String shippedProvenance;
        try (InputStream in = EmbeddedSubset.class.getResourceAsStream(EmbeddedSubset.PROVENANCE)) {
            shippedProvenance = new String(in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
        }
        // Equal but for the output directory named in the command.
        assertEquals(shippedProvenance.replaceAll("\"command\": \"[^\"]*\"", "command"),
                regenerated.replaceAll("\"command\": \"[^\"]*\"", "command"));
    }
}
