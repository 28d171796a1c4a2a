package org.vitbench.runner;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.vitbench.api.ResultRecord;

/** Heatmaps cached on disk: a metric added later explains nothing again, and a damaged file is recomputed. */
class HeatmapCacheTest {

    private static final List<String> METHODS = List.of("oracle", "noise");

    @TempDir
    Path tmp;

    @Test
    void aMetricAddedLaterReusesTheCachedHeatmaps() {
        Cli first = new Cli();
        Path a = tmp.resolve("a");
        assertEquals(Main.OK, first.benchmark(a, METHODS, List.of("fake-sum")), first.err);
        assertEquals(20, first.fakes.explained.get());

        Cli second = new Cli();
        Path b = tmp.resolve("b");
        assertEquals(Main.OK, second.benchmark(b, METHODS, List.of("fake-sum", "fake-deletion"), "--heatmap-cache",
                a.resolve("heatmaps").toString()), second.err);
        assertEquals(0, second.fakes.explained.get(), "every heatmap came from the cache");
        Map<String, ResultRecord> before = byKey(ResultStore.read(a));
        for (ResultRecord r : ResultStore.read(b)) {
            if (before.containsKey(r.key())) {
                assertEquals(before.get(r.key()).score(), r.score(), 0.0, r.key());
                assertEquals(before.get(r.key()).explainSeconds(), r.explainSeconds(), 0.0, "the original explain time");
            }
        }
        assertEquals(10 * 2 * 2, ResultStore.read(b).size());
    }

    @Test
    void aDamagedFileOrAnotherSeedIsExplainedAgain() throws Exception {
        Cli first = new Cli();
        Path a = tmp.resolve("a");
        assertEquals(Main.OK, first.benchmark(a, List.of("oracle"), List.of("fake-sum")), first.err);
        Path damaged;
        try (Stream<Path> files = Files.walk(a.resolve("heatmaps"))) {
            damaged = files.filter(f -> f.toString().endsWith(".bin")).sorted().findFirst().orElseThrow();
        }
        Files.write(damaged, new byte[] {1, 2, 3});

        Cli second = new Cli();
        assertEquals(Main.OK, second.benchmark(tmp.resolve("b"), List.of("oracle"), List.of("fake-sum"),
                "--heatmap-cache", a.resolve("heatmaps").toString()), second.err);
        assertEquals(4, second.fakes.explained.get(), "the damaged file's batch of 4 is explained again");

        Cli third = new Cli();
        assertEquals(Main.OK, third.benchmark(tmp.resolve("c"), List.of("oracle"), List.of("fake-sum"),
                "--heatmap-cache", a.resolve("heatmaps").toString(), "--seed", "5"), third.err);
        assertEquals(10, third.fakes.explained.get(), "another seed is another key");
    }

    @Test
    void sampleIdsBecomeSafeDistinctFileNames() {
        assertEquals("s-001.bin", HeatmapCache.fileName("s-001"));
        assertEquals("fashion-mnist_2ftest_2f19.bin", HeatmapCache.fileName("fashion-mnist/test/19"));
        assertEquals("a_2fb.bin", HeatmapCache.fileName("a/b"));
        assertEquals("a_5f2fb.bin", HeatmapCache.fileName("a_2fb"));
    }

    private static Map<String, ResultRecord> byKey(List<ResultRecord> records) {
        Map<String, ResultRecord> out = new TreeMap<>();
        records.forEach(r -> out.put(r.key(), r));
        return out;
    }
}
