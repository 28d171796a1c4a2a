package org.vitbench.runner.run;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.vitbench.api.Heatmaps;
import org.vitbench.api.Image;
import org.vitbench.api.MethodSpec;
import org.vitbench.api.ResultRecord;
import org.vitbench.api.Sample;
import org.vitbench.runner.cli.Cli;
import org.vitbench.runner.cli.ExitCode;
import org.vitbench.runner.store.ResultStore;

/** Heatmaps cached on disk: read back bit for bit, reused by a later run, recomputed when damaged. */
class HeatmapCacheTest {

    private static final List<String> METHODS = List.of("oracle", "noise");
    private static final Unit.Method ORACLE = new Unit.Method(null, MethodSpec.parse("oracle"));
    private static final String CONTEXT = HeatmapCache.context(PluginSpec.of("m"), "vit", "f00d", PluginSpec.of("d"), 0);

    @TempDir
    Path tmp;

    @Test
    void heatmapsReadBackBitForBitWithEveryClassAndTheExplainTime() {
        HeatmapCache cache = new HeatmapCache(tmp, CONTEXT);
        // edge values: signed zero, the smallest subnormal, the largest float, and random bit patterns
        SplittableRandom random = new SplittableRandom(7);
        float[][][] perClass = new float[2][3][4];
        for (float[][] sample : perClass) {
            for (float[] map : sample) {
                for (int p = 0; p < map.length; p++) {
                    float v;
                    do {
                        v = Float.intBitsToFloat(random.nextInt());
                    } while (!Float.isFinite(v));
                    map[p] = v;
                }
            }
        }
        perClass[0][1] = new float[] {-0.0f, Float.MIN_VALUE, Float.MAX_VALUE, -1e-42f};
        int[] targets = {1, 2};
        Heatmaps heatmaps = Heatmaps.ofAllClasses(2, perClass, targets);
        List<Sample> samples = List.of(sample("a"), sample("b/\u00e9"));
        cache.store(ORACLE, samples, targets, heatmaps, 0.125);

        HeatmapCache.Entry[] read = new HeatmapCache(tmp, CONTEXT).load(ORACLE, samples, targets, 2);
        for (int b = 0; b < 2; b++) {
            assertEquals(targets[b], read[b].target());
            assertEquals(2, read[b].grid());
            assertEquals(0.125, read[b].seconds(), 0.0);
            assertArrayEquals(bits(heatmaps.target()[b]), bits(read[b].map()));
            assertEquals(3, read[b].perClass().length);
            for (int k = 0; k < 3; k++) {
                assertArrayEquals(bits(perClass[b][k]), bits(read[b].perClass()[k]), "sample " + b + " class " + k);
            }
        }
        assertEquals(Float.floatToRawIntBits(-0.0f), Float.floatToRawIntBits(read[0].map()[0]), "the sign of zero");
    }

    @Test
    void anotherTargetOrGridOrKeyIsAMiss() throws Exception {
        HeatmapCache cache = new HeatmapCache(tmp, CONTEXT);
        List<Sample> samples = List.of(sample("a"));
        cache.store(ORACLE, samples, new int[] {3}, Heatmaps.of(2, new float[][] {{1, 2, 3, 4}}), 1);

        assertNotNull(cache.load(ORACLE, samples, new int[] {3}, 2)[0]);
        assertNull(cache.load(ORACLE, samples, new int[] {2}, 2)[0], "another target class");
        assertNull(cache.load(ORACLE, samples, new int[] {3}, 4)[0], "another grid");
        assertNull(cache.load(new Unit.Method(null, MethodSpec.parse("oracle:scale=2")), samples, new int[] {3}, 2)[0], "another method");
        String otherSeed = HeatmapCache.context(PluginSpec.of("m"), "vit", "f00d", PluginSpec.of("d"), 1);
        assertNull(new HeatmapCache(tmp, otherSeed).load(ORACLE, samples, new int[] {3}, 2)[0], "another seed");
        assertEquals(1, cache.hits());
        assertEquals(1, cache.stored());

        // a file that landed under another sample's name (copied by hand) is not taken for it
        Path folder = cache.folder(ORACLE);
        Files.copy(folder.resolve(HeatmapCache.fileName("a")), folder.resolve(HeatmapCache.fileName("b")));
        assertNull(cache.load(ORACLE, List.of(sample("b")), new int[] {3}, 2)[0]);
    }

    /** Everything that changes a heatmap changes its folder; the same inputs find the same one. */
    @Test
    void theKeyHoldsMethodModelDatasetAndSeed() {
        List<String> contexts = List.of(CONTEXT,
                HeatmapCache.context(PluginSpec.of("m", Map.of("path", "other.safetensors")), "vit", "f00d",
                        PluginSpec.of("d"), 0),
                HeatmapCache.context(PluginSpec.of("m"), "vit-b", "f00d", PluginSpec.of("d"), 0),
                HeatmapCache.context(PluginSpec.of("m"), "vit", "beef", PluginSpec.of("d"), 0),
                HeatmapCache.context(PluginSpec.of("m"), "vit", null, PluginSpec.of("d"), 0),
                HeatmapCache.context(PluginSpec.of("m"), "vit", "f00d", PluginSpec.of("d", Map.of("split", "train")), 0),
                HeatmapCache.context(PluginSpec.of("m"), "vit", "f00d", PluginSpec.of("d"), 1));
        Set<Path> folders = new HashSet<>();
        for (String context : contexts) {
            folders.add(new HeatmapCache(tmp, context).folder(ORACLE));
        }
        folders.add(new HeatmapCache(tmp, CONTEXT).folder(new Unit.Method(null, MethodSpec.parse("oracle:scale=2"))));
        assertEquals(contexts.size() + 1, folders.size());
        assertEquals(new HeatmapCache(tmp, CONTEXT).folder(ORACLE), new HeatmapCache(tmp, CONTEXT).folder(ORACLE));
    }

    @Test
    void aMetricAddedLaterReusesTheCachedHeatmaps() {
        Cli first = new Cli();
        Path a = tmp.resolve("a");
        assertEquals(ExitCode.OK.code(), first.benchmark(a, METHODS, List.of("fake-sum")), first.err);
        assertEquals(20, first.fakes.explained.get());

        Cli second = new Cli();
        Path b = tmp.resolve("b");
        assertEquals(ExitCode.OK.code(),
                second.benchmark(b, METHODS, List.of("fake-sum", "fake-deletion"), "--heatmap-cache",
                a.resolve("heatmaps").toString()), second.err);
        assertEquals(0, second.fakes.explained.get(), "every heatmap came from the cache");
        assertTrue(Files.notExists(b.resolve("heatmaps")), "the given cache is used, not one in the new output");
        Map<ResultRecord.Key, ResultRecord> before = byKey(ResultStore.read(a));
        int compared = 0;
        for (ResultRecord r : ResultStore.read(b)) {
            if (before.containsKey(r.key())) {
                assertEquals(before.get(r.key()).score(), r.score(), 0.0, r.key().toString());
                assertEquals(before.get(r.key()).explainSeconds(), r.explainSeconds(), 0.0, "the original explain time");
                compared++;
            }
        }
        assertEquals(10 * 2, compared);
        assertEquals(10 * 2 * 2, ResultStore.read(b).size());
    }

    @Test
    void theCacheDirectoryIsAConfigKeyAndABatchSizeChangeStillHits() throws Exception {
        Cli first = new Cli();
        Path shared = tmp.resolve("shared");
        Path config = tmp.resolve("run.yaml");
        Files.writeString(config, "heatmap-cache: \"" + shared + "\"\n");
        assertEquals(ExitCode.OK.code(), first.benchmark(tmp.resolve("a"), METHODS, List.of("fake-sum"), "--config",
                config.toString()), first.err);
        assertTrue(Files.isDirectory(shared));
        assertTrue(Files.notExists(tmp.resolve("a").resolve("heatmaps")));

        Cli second = new Cli();
        assertEquals(ExitCode.OK.code(),
                second.benchmark(tmp.resolve("b"), METHODS, List.of("fake-deletion"), "--config",
                config.toString(), "--batch-size", "3"), second.err);
        assertEquals(0, second.fakes.explained.get(), "heatmaps are cached per sample, whatever the batches");
    }

    @Test
    void onlyTheDamagedFileIsExplainedAgainAndAnotherSeedIsAnotherKey() throws Exception {
        Cli first = new Cli();
        Path a = tmp.resolve("a");
        assertEquals(ExitCode.OK.code(), first.benchmark(a, List.of("oracle"), List.of("fake-sum")), first.err);
        Path damaged;
        try (Stream<Path> files = Files.walk(a.resolve("heatmaps"))) {
            damaged = files.filter(f -> f.toString().endsWith(".bin")).sorted().findFirst().orElseThrow();
        }
        Files.write(damaged, new byte[] {1, 2, 3});

        Cli second = new Cli();
        Path b = tmp.resolve("b");
        assertEquals(ExitCode.OK.code(), second.benchmark(b, List.of("oracle"), List.of("fake-sum"),
                "--heatmap-cache", a.resolve("heatmaps").toString()), second.err);
        assertEquals(1, second.fakes.explained.get(), "the damaged file's sample alone is explained again");
        assertEquals(byKey(ResultStore.read(a)).keySet(), byKey(ResultStore.read(b)).keySet());
        for (ResultRecord r : ResultStore.read(b)) {
            assertEquals(byKey(ResultStore.read(a)).get(r.key()).score(), r.score(), 0.0, r.key().toString());
        }
        assertTrue(Files.size(damaged) > 3, "and the file is written anew");

        Cli third = new Cli();
        assertEquals(ExitCode.OK.code(), third.benchmark(tmp.resolve("c"), List.of("oracle"), List.of("fake-sum"),
                "--heatmap-cache", a.resolve("heatmaps").toString(), "--seed", "5"), third.err);
        assertEquals(10, third.fakes.explained.get(), "another seed is another key");
    }

    /** A map with a non-finite value is not cached: the sample is explained again and fails again. */
    @Test
    void nonFiniteMapsAreNotCached() {
        Cli first = new Cli();
        Path a = tmp.resolve("a");
        assertEquals(ExitCode.OK.code(), first.benchmark(a, List.of("nan-on-odd"), List.of("fake-sum")), first.err);
        Cli second = new Cli();
        Path b = tmp.resolve("b");
        assertEquals(ExitCode.OK.code(),
                second.benchmark(b, List.of("nan-on-odd"), List.of("fake-sum"), "--heatmap-cache",
                a.resolve("heatmaps").toString()), second.err);
        assertEquals(5, second.fakes.explained.get(), "the 5 odd samples");
        long failed = ResultStore.read(b).stream().filter(r -> r.error() != null).count();
        assertEquals(5, failed);
    }

    @Test
    void anUnwritableCacheCostsAWarningNotTheRun() throws Exception {
        Path notADirectory = tmp.resolve("cache-file");
        Files.writeString(notADirectory, "x");
        Cli cli = new Cli();
        Path out = tmp.resolve("run");

        assertEquals(ExitCode.OK.code(),
                cli.benchmark(out, List.of("oracle"), List.of("fake-deletion"), "--heatmap-cache",
                notADirectory.toString()), cli.err);

        assertEquals(10, ResultStore.read(out).size());
        assertTrue(ResultStore.read(out).stream().allMatch(ResultRecord::isOk));
    }

    @Test
    void sampleIdsBecomeSafeDistinctFileNames() {
        assertEquals("s-001.bin", HeatmapCache.fileName("s-001"));
        assertEquals("fashion-mnist_2ftest_2f19.bin", HeatmapCache.fileName("fashion-mnist/test/19"));
        assertEquals("a_2fb.bin", HeatmapCache.fileName("a/b"));
        assertEquals("a_5f2fb.bin", HeatmapCache.fileName("a_2fb"));
        String longId = "x".repeat(300);
        String name = HeatmapCache.fileName(longId);
        assertTrue(name.length() <= 204 && name.startsWith("x".repeat(183) + "~"), name);
        assertNotEquals(name, HeatmapCache.fileName(longId + "y"));
    }

    private static Sample sample(String id) {
        return new Sample(id, 0, new Image(1, 4, 4, new float[16]));
    }

    private static int[] bits(float[] values) {
        int[] out = new int[values.length];
        for (int i = 0; i < values.length; i++) {
            out[i] = Float.floatToRawIntBits(values[i]);
        }
        return out;
    }

    private static Map<ResultRecord.Key, ResultRecord> byKey(List<ResultRecord> records) {
        Map<ResultRecord.Key, ResultRecord> out = new LinkedHashMap<>();
        records.forEach(r -> out.put(r.key(), r));
        return out;
    }
}
