package org.vitbench.datasets.fashionmnist;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.vitbench.api.ConfigurationException;
import org.vitbench.api.Dataset;
import org.vitbench.api.Parameters;
import org.vitbench.api.Sample;
import org.vitbench.datasets.idx.IdxWriter;

class FashionMnistProviderTest {

    @TempDir
    Path tmp;

    /** A provider that sees no environment and a system directory that does not exist. */
    private FashionMnistProvider isolated() {
        return new FashionMnistProvider(Map.of(), tmp.resolve("no-system-dir"));
    }

    private static Parameters parameters(Map<String, String> values) {
        return Parameters.of(FashionMnistProvider.ID, values);
    }

    private static void assertSample(Dataset dataset, String split, int index) {
        Sample sample = dataset.get(index);
        assertEquals("fashion-mnist/" + split + "/" + index, sample.id());
        assertEquals(SyntheticFashionMnist.label(index), sample.label());
        assertEquals(1, sample.image().channels());
        assertEquals(28, sample.image().height());
        assertEquals(28, sample.image().width());
        for (int y = 0; y < 28; y++) {
            for (int x = 0; x < 28; x++) {
                assertEquals(SyntheticFashionMnist.pixel(index, y, x) / 255f, sample.image().pixels()[y * 28 + x],
                        "sample " + index + " pixel (" + y + ", " + x + ")");
            }
        }
    }

    @Test
    void opensTheTestSplitFromDir() throws IOException {
        SyntheticFashionMnist.write(tmp, "test", 4, true);
        Dataset dataset = isolated().open(parameters(Map.of("dir", tmp.toString())));
        assertEquals("fashion-mnist/test", dataset.name());
        assertEquals(4, dataset.size());
        assertEquals(List.of("T-shirt/top", "Trouser", "Pullover", "Dress", "Coat", "Sandal", "Shirt", "Sneaker", "Bag",
                "Ankle boot"), dataset.classNames());
        for (int i = 0; i < 4; i++) {
            assertSample(dataset, "test", i);
        }
        assertThrows(IndexOutOfBoundsException.class, () -> dataset.get(4));
    }

    @Test
    void opensTheTrainSplitFromUngzippedFiles() throws IOException {
        SyntheticFashionMnist.write(tmp, "train", 3, false);
        Dataset dataset = isolated().open(parameters(Map.of("dir", tmp.toString(), "split", "train")));
        assertEquals("fashion-mnist/train", dataset.name());
        assertEquals(3, dataset.size());
        assertSample(dataset, "train", 2);
    }

    @Test
    void findsTheDataUnderVitbenchDataThenInItThenInTheSystemDirectory() throws IOException {
        Path data = tmp.resolve("data");
        SyntheticFashionMnist.write(data.resolve("fashion-mnist"), "test", 2, true);
        SyntheticFashionMnist.write(data, "test", 3, true);
        Path system = tmp.resolve("system");
        SyntheticFashionMnist.write(system, "test", 5, true);

        FashionMnistProvider withSubFolder = new FashionMnistProvider(Map.of("VITBENCH_DATA", data.toString()), system);
        assertEquals(2, withSubFolder.open(Parameters.empty()).size());

        Path flat = tmp.resolve("flat");
        SyntheticFashionMnist.write(flat, "test", 3, false);
        FashionMnistProvider withoutSubFolder =
                new FashionMnistProvider(Map.of("VITBENCH_DATA", flat.toString()), system);
        assertEquals(3, withoutSubFolder.open(Parameters.empty()).size());

        FashionMnistProvider fromSystem = new FashionMnistProvider(Map.of(), system);
        assertEquals(5, fromSystem.open(Parameters.empty()).size());
        FashionMnistProvider emptyData = new FashionMnistProvider(Map.of("VITBENCH_DATA", tmp.resolve("x").toString()),
                system);
        assertEquals(5, emptyData.open(Parameters.empty()).size());
    }

    @Test
    void missingDataListsEveryPlaceAndHowToInstall() throws IOException {
        Path data = Files.createDirectories(tmp.resolve("data"));
        Path system = tmp.resolve("system");
        FashionMnistProvider provider = new FashionMnistProvider(Map.of("VITBENCH_DATA", data.toString()), system);
        String message = assertThrows(ConfigurationException.class, () -> provider.open(Parameters.empty()))
                .getMessage();
        assertEquals("Fashion-MNIST test split not found; looked in:"
                + "\n  - " + data.resolve("fashion-mnist") + " (VITBENCH_DATA): does not exist"
                + "\n  - " + data + " (VITBENCH_DATA): has no t10k-images-idx3-ubyte[.gz] and no"
                + " t10k-labels-idx1-ubyte[.gz]"
                + "\n  - " + system + " (Debian package dataset-fashion-mnist): does not exist"
                + "\ninstall it with `apt-get install dataset-fashion-mnist` or pass dir=... / set VITBENCH_DATA to a"
                + " directory holding t10k-images-idx3-ubyte.gz and t10k-labels-idx1-ubyte.gz (or the un-gzipped"
                + " files)",
                message);
    }

    @Test
    void anExplicitDirIsTheOnlyPlaceSearched() throws IOException {
        Path system = tmp.resolve("system");
        SyntheticFashionMnist.write(system, "test", 5, true);
        Path partial = tmp.resolve("partial");
        SyntheticFashionMnist.write(partial, "test", 5, true);
        Files.delete(partial.resolve("t10k-labels-idx1-ubyte.gz"));
        FashionMnistProvider provider = new FashionMnistProvider(Map.of(), system);
        String message = assertThrows(ConfigurationException.class,
                () -> provider.open(parameters(Map.of("dir", partial.toString())))).getMessage();
        assertTrue(message.startsWith("Fashion-MNIST test split not found; looked in:\n  - " + partial
                + " (parameter dir): has no t10k-labels-idx1-ubyte[.gz]\ninstall it with `apt-get install"
                + " dataset-fashion-mnist`"), message);
        assertTrue(message.endsWith("; since dir was given, no other place was searched"), message);
        assertTrue(!message.contains(system.toString()), message);
    }

    @Test
    void rejectsFilesThatDoNotMatch() throws IOException {
        SyntheticFashionMnist.write(tmp, "test", 4, true);
        Path labels = tmp.resolve("t10k-labels-idx1-ubyte.gz");
        IdxWriter.writeLabels(labels, new byte[] {1, 2, 3}, true);
        String message = assertThrows(ConfigurationException.class,
                () -> isolated().open(parameters(Map.of("dir", tmp.toString())))).getMessage();
        assertEquals(tmp.resolve("t10k-images-idx3-ubyte.gz") + " holds 4 images but " + labels + " holds 3 labels;"
                + " an image file and its label file must come from the same split and hold one label per image",
                message);
    }

    @Test
    void rejectsImagesThatAreNot28By28() throws IOException {
        SyntheticFashionMnist.write(tmp, "test", 2, true);
        Path images = tmp.resolve("t10k-images-idx3-ubyte.gz");
        SyntheticFashionMnist.writeImages(images, 2, 32, 32, true);
        String message = assertThrows(ConfigurationException.class,
                () -> isolated().open(parameters(Map.of("dir", tmp.toString())))).getMessage();
        assertEquals(images + " holds 32x32 images but Fashion-MNIST images are 28x28; check that the file is"
                + " Fashion-MNIST", message);
    }

    @Test
    void rejectsLabelsAboveNineOnFirstRead() throws IOException {
        SyntheticFashionMnist.write(tmp, "test", new byte[] {3, 12}, false);
        Dataset dataset = isolated().open(parameters(Map.of("dir", tmp.toString())));
        assertEquals(2, dataset.size());
        String message = assertThrows(ConfigurationException.class, () -> dataset.get(0)).getMessage();
        assertEquals("label 12 of sample 1 in " + tmp.resolve("t10k-labels-idx1-ubyte") + " is outside 0..9; the file"
                + " does not belong to a dataset with 10 classes", message);
    }

    @Test
    void rejectsBadParameters() {
        FashionMnistProvider provider = isolated();
        assertEquals("unknown parameter 'spilt' for fashion-mnist; allowed: dir, split", assertThrows(
                ConfigurationException.class, () -> provider.open(parameters(Map.of("spilt", "test")))).getMessage());
        assertEquals("invalid value 'val' for parameter 'split' of fashion-mnist; allowed: one of test, train",
                assertThrows(ConfigurationException.class,
                        () -> provider.open(parameters(Map.of("split", "val")))).getMessage());
        assertTrue(assertThrows(ConfigurationException.class, () -> provider.open(parameters(Map.of("dir", " "))))
                .getMessage().startsWith("parameter 'dir' of fashion-mnist is empty"));
    }

    @Test
    void concurrentFirstReadsSeeTheSameData() throws Exception {
        int count = 64;
        SyntheticFashionMnist.write(tmp, "test", count, true);
        Dataset dataset = isolated().open(parameters(Map.of("dir", tmp.toString())));
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            List<Future<Sample>> futures = new ArrayList<>();
            for (int i = 0; i < count; i++) {
                int index = i;
                futures.add(pool.submit(() -> dataset.get(index)));
            }
            for (int i = 0; i < count; i++) {
                Sample sample = futures.get(i).get();
                assertEquals("fashion-mnist/test/" + i, sample.id());
                assertEquals(SyntheticFashionMnist.pixel(i, 27, 27) / 255f, sample.image().pixels()[28 * 28 - 1]);
            }
        } finally {
            pool.shutdownNow();
        }
    }
}
