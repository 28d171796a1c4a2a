package org.vitbench.datasets.canvas;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.vitbench.api.ConfigurationException;
import org.vitbench.api.Dataset;
import org.vitbench.api.Parameters;
import org.vitbench.api.Registry;
import org.vitbench.api.Sample;
import org.vitbench.datasets.fashionmnist.FashionMnistFiles;
import org.vitbench.datasets.fashionmnist.FashionMnistProvider;
import org.vitbench.datasets.fashionmnist.SyntheticFashionMnist;

class CanvasProviderTest {

    @TempDir
    Path tmp;

    /** A provider that sees no environment and a system directory that does not exist. */
    private CanvasProvider isolated() {
        return new CanvasProvider(Map.of(), tmp.resolve("no-system-dir"));
    }

    private static Parameters parameters(Map<String, String> values) {
        return Parameters.of(CanvasProvider.ID, values);
    }

    private static float[] synthetic(int index) {
        float[] pixels = new float[28 * 28];
        for (int y = 0; y < 28; y++) {
            for (int x = 0; x < 28; x++) {
                pixels[y * 28 + x] = SyntheticFashionMnist.pixel(index, y, x) / 255f;
            }
        }
        return pixels;
    }

    @Test
    void opensSyntheticFilesFromDir() throws IOException {
        SyntheticFashionMnist.write(tmp, "test", 4, true);
        Dataset dataset = isolated().open(parameters(Map.of("dir", tmp.toString(), "size", "40", "seed", "7")));
        assertEquals("fashion-mnist-canvas/test", dataset.name());
        assertEquals(4, dataset.size());
        assertTrue(dataset.hasMasks());
        for (int i = 0; i < 4; i++) {
            Sample sample = dataset.get(i);
            assertEquals(String.format("canvas-test-%05d", i), sample.id());
            assertEquals(SyntheticFashionMnist.label(i), sample.label());
            assertEquals(40, sample.image().height());
            List<int[]> at = Placements.matching(sample.mask(), 40, synthetic(i), 28);
            assertTrue(!at.isEmpty(), "no placement of item " + i + " explains its mask");
        }
        assertEquals(2, isolated().open(parameters(Map.of("dir", tmp.toString(), "limit", "2"))).size());
    }

    @Test
    void rejectsBadParameters() throws IOException {
        SyntheticFashionMnist.write(tmp, "test", 4, true);
        CanvasProvider provider = isolated();
        String dir = tmp.toString();
        Map<Map<String, String>, String> cases = Map.of(
                Map.of("dir", dir, "spilt", "test"), "unknown parameter 'spilt' for fashion-mnist-canvas; allowed:"
                        + " dir, distractors, limit, seed, size, split",
                Map.of("dir", dir, "split", "val"), "invalid value 'val' for parameter 'split' of fashion-mnist-canvas;"
                        + " allowed: one of test, train",
                Map.of("dir", dir, "size", "27"), "invalid value '27' for parameter 'size' of fashion-mnist-canvas;"
                        + " allowed: an integer from 28 to 1024",
                Map.of("dir", dir, "distractors", "4"), "invalid value '4' for parameter 'distractors' of"
                        + " fashion-mnist-canvas; allowed: an integer from 0 to 3",
                Map.of("dir", dir, "seed", "-1"), "invalid value '-1' for parameter 'seed' of fashion-mnist-canvas;"
                        + " allowed: an integer from 0 to 2147483647",
                Map.of("dir", dir, "limit", "0"), "invalid value '0' for parameter 'limit' of fashion-mnist-canvas;"
                        + " allowed: an integer from 1 to 2147483647",
                Map.of("dir", dir, "limit", "5"), "invalid value '5' for parameter 'limit' of fashion-mnist-canvas;"
                        + " allowed: 1 to 4, the size of the test split");
        cases.forEach((values, message) -> assertEquals(message,
                assertThrows(ConfigurationException.class, () -> provider.open(parameters(values))).getMessage()));
        assertTrue(assertThrows(ConfigurationException.class, () -> provider.open(parameters(Map.of("dir", " "))))
                .getMessage().startsWith("parameter 'dir' of fashion-mnist-canvas is empty"));
    }

    @Test
    void missingDataNamesTheDebianPackage() throws IOException {
        Path data = Files.createDirectories(tmp.resolve("data"));
        CanvasProvider provider = new CanvasProvider(Map.of("VITBENCH_DATA", data.toString()), tmp.resolve("system"));
        String message = assertThrows(ConfigurationException.class, () -> provider.open(Parameters.empty()))
                .getMessage();
        assertTrue(message.startsWith("fashion-mnist-canvas is built from Fashion-MNIST (Debian package"
                + " dataset-fashion-mnist), which was not found. Fashion-MNIST test split not found; looked in:"),
                message);
        assertTrue(message.contains("apt-get install dataset-fashion-mnist"), message);
    }

    @Test
    void theServiceLoaderFindsTheProvider() {
        assertEquals(CanvasProvider.class, Registry.load().dataset(CanvasProvider.ID).getClass());
    }

    @Test
    void onTheInstalledTestSplitEachMaskIsItsFashionMnistItem() {
        assumeTrue(Files.isDirectory(FashionMnistFiles.SYSTEM_DIR), FashionMnistFiles.SYSTEM_DIR + " is not installed");
        int n = 20;
        Dataset canvas = new CanvasProvider().open(parameters(Map.of("limit", Integer.toString(n))));
        Dataset again = new CanvasProvider().open(parameters(Map.of("limit", Integer.toString(n))));
        Dataset items = new FashionMnistProvider().open(Parameters.empty());
        Dataset plain = new CanvasProvider().open(parameters(Map.of("limit", Integer.toString(n), "distractors",
                "0")));
        assertEquals(n, canvas.size());
        assertEquals(items.classNames(), canvas.classNames());
        for (int i = 0; i < n; i++) {
            Sample sample = canvas.get(i);
            Sample item = items.get(i);
            assertEquals(item.label(), sample.label());
            assertEquals(sample.image(), again.get(i).image(), "sample " + i + " is reproducible");
            assertArrayEquals(sample.mask(), again.get(i).mask());
            List<int[]> at = Placements.matching(sample.mask(), 56, item.image().pixels(), 28);
            assertTrue(!at.isEmpty(), "no placement of item " + i + " explains its mask");
            int top = at.get(0)[0];
            int left = at.get(0)[1];
            int ones = 0;
            for (int p = 0; p < sample.mask().length; p++) {
                if (sample.mask()[p] != 0f) {
                    ones++;
                    float expected = item.image().pixels()[(p / 56 - top) * 28 + p % 56 - left];
                    assertEquals(expected, sample.image().pixels()[p], 0f, "item pixel under mask pixel " + p);
                    assertEquals(plain.get(i).image().pixels()[p], sample.image().pixels()[p], 0f);
                }
            }
            assertTrue(ones > 20, "item " + i + " has only " + ones + " mask pixels");
        }
    }
}
