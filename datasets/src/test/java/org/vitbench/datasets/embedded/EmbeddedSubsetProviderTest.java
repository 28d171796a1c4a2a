package org.vitbench.datasets.embedded;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.vitbench.api.ConfigurationException;
import org.vitbench.api.Dataset;
import org.vitbench.api.Parameters;
import org.vitbench.api.Sample;
import org.vitbench.datasets.fashionmnist.FashionMnist;
import org.vitbench.datasets.fashionmnist.FashionMnistFiles;
import org.vitbench.datasets.fashionmnist.FashionMnistProvider;

class EmbeddedSubsetProviderTest {

    private final EmbeddedSubsetProvider provider = new EmbeddedSubsetProvider();

    private Dataset open(Map<String, String> values) {
        return provider.open(Parameters.of(EmbeddedSubsetProvider.ID, values));
    }

    private static String resourceText(String name) throws IOException {
        try (InputStream in = EmbeddedSubset.class.getResourceAsStream(name)) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    /** The indices file, parsed here independently of {@link EmbeddedSubset}. */
    private static int[] recordedIndices() throws IOException {
        return resourceText(EmbeddedSubset.INDICES).lines().mapToInt(Integer::parseInt).toArray();
    }

    @Test
    void holdsOneThousandSamplesInterleavedByClass() throws IOException {
        Dataset dataset = open(Map.of());
        assertEquals("fashion-mnist-embedded/test", dataset.name());
        assertEquals(FashionMnist.CLASS_NAMES, dataset.classNames());
        assertEquals(1000, dataset.size());
        int[] indices = recordedIndices();
        assertEquals(1000, indices.length);
        int[] perClass = new int[10];
        int[] lastIndexOfClass = {-1, -1, -1, -1, -1, -1, -1, -1, -1, -1};
        Set<String> ids = new HashSet<>();
        for (int k = 0; k < 1000; k++) {
            Sample sample = dataset.get(k);
            assertEquals(k % 10, sample.label(), "sample " + k);
            assertEquals("fashion-mnist/test/" + indices[k], sample.id());
            assertTrue(indices[k] > lastIndexOfClass[k % 10], "test-set order within class " + k % 10);
            lastIndexOfClass[k % 10] = indices[k];
            perClass[sample.label()]++;
            ids.add(sample.id());
            assertEquals(1, sample.image().channels());
            assertEquals(28, sample.image().height());
            assertEquals(28, sample.image().width());
        }
        assertArrayEquals(new int[] {100, 100, 100, 100, 100, 100, 100, 100, 100, 100}, perClass);
        assertEquals(1000, ids.size());
    }

    @Test
    void aLimitKeepsABalancedPrefix() {
        Dataset full = open(Map.of());
        Dataset prefix = open(Map.of("limit", "25"));
        assertEquals(25, prefix.size());
        int[] perClass = new int[10];
        for (int k = 0; k < 25; k++) {
            assertEquals(full.get(k).id(), prefix.get(k).id());
            assertEquals(full.get(k).image(), prefix.get(k).image());
            perClass[prefix.get(k).label()]++;
        }
        assertArrayEquals(new int[] {3, 3, 3, 3, 3, 2, 2, 2, 2, 2}, perClass);
        assertThrows(IndexOutOfBoundsException.class, () -> prefix.get(25));
        assertEquals(1, open(Map.of("limit", "1")).size());
    }

    @Test
    void rejectsBadParameters() {
        for (String limit : List.of("0", "1001", "ten")) {
            assertEquals("invalid value '" + limit + "' for parameter 'limit' of fashion-mnist-embedded; allowed: an"
                    + " integer from 1 to 1000", assertThrows(ConfigurationException.class,
                            () -> open(Map.of("limit", limit))).getMessage());
        }
        assertEquals("unknown parameter 'split' for fashion-mnist-embedded; allowed: limit",
                assertThrows(ConfigurationException.class, () -> open(Map.of("split", "train"))).getMessage());
    }

    @Test
    void provenanceRecordsTheSameIndices() throws IOException {
        String provenance = resourceText(EmbeddedSubset.PROVENANCE);
        Matcher matcher = Pattern.compile("\"indices\": \\[([0-9, ]*)\\]").matcher(provenance);
        assertTrue(matcher.find(), provenance);
        List<Integer> recorded = new ArrayList<>();
        for (String index : matcher.group(1).split(", ")) {
            recorded.add(Integer.parseInt(index));
        }
        assertEquals(java.util.Arrays.stream(recordedIndices()).boxed().toList(), recorded);
        assertTrue(provenance.contains("\"command\": \"java -cp datasets/target/classes:benchmark-api/target/classes"
                + " org.vitbench.datasets.embedded.EmbeddedSubsetGenerator "), provenance);
    }

    /** Where Debian's dataset-fashion-mnist is installed (CI installs it), compare with the full test split. */
    @Test
    void equalsTheFullTestSplitAtTheRecordedIndices() throws IOException {
        assumeTrue(Files.isDirectory(FashionMnistFiles.SYSTEM_DIR), FashionMnistFiles.SYSTEM_DIR + " is not installed");
        Dataset test = new FashionMnistProvider().open(Parameters.of(FashionMnistProvider.ID,
                Map.of("dir", FashionMnistFiles.SYSTEM_DIR.toString())));
        assertEquals(10000, test.size());
        Dataset embedded = open(Map.of());
        int[] indices = recordedIndices();
        for (int k = 0; k < 1000; k++) {
            Sample original = test.get(indices[k]);
            Sample copy = embedded.get(k);
            assertEquals(original.id(), copy.id());
            assertEquals(original.label(), copy.label());
            assertEquals(original.image(), copy.image(), copy.id());
        }
        // The selection rule: the first 100 test images of each class, in test-set order.
        List<List<Integer>> firstOfClass = new ArrayList<>();
        for (int c = 0; c < 10; c++) {
            firstOfClass.add(new ArrayList<>());
        }
        for (int i = 0; i < test.size(); i++) {
            List<Integer> ofClass = firstOfClass.get(test.get(i).label());
            if (ofClass.size() < 100) {
                ofClass.add(i);
            }
        }
        for (int k = 0; k < 1000; k++) {
            assertEquals(firstOfClass.get(k % 10).get(k / 10), indices[k], "sample " + k);
        }
    }
}
