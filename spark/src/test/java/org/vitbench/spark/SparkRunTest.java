package org.vitbench.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Collectors;
import org.apache.spark.TaskContext;
import org.apache.spark.TaskKilledException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.vitbench.api.ConfigurationException;
import org.vitbench.api.Registry;
import org.vitbench.api.ResultRecord;
import org.vitbench.runner.cli.Main;
import org.vitbench.runner.run.Benchmark;
import org.vitbench.runner.run.ClusterRunner;
import org.vitbench.runner.run.ConsoleProgress;
import org.vitbench.runner.run.HeatmapOutputs;
import org.vitbench.runner.run.PluginCalls;
import org.vitbench.runner.run.PluginSpec;
import org.vitbench.runner.run.RunConfig;
import org.vitbench.runner.run.Shard;
import org.vitbench.runner.store.ResultCodec;
import org.vitbench.runner.store.ResultStore;

/**
 * A run on Spark ({@code local[2]}) stores the records of the same run made in one process, and
 * its summary is the same; failed and killed task attempts are retried without computing a
 * stored unit twice; a rerun computes only what is missing; a failing method gives failed cells.
 * Real plug-ins on the embedded ViT: an attention, a gradient and a baseline method, a masking
 * and a model-free metric.
 */
class SparkRunTest {

    private static final List<PluginSpec> METHODS = List.of(PluginSpec.of("random"), PluginSpec.of("attention-rollout"),
            PluginSpec.of("saliency"));
    private static final List<PluginSpec> METRICS = List.of(PluginSpec.of("deletion"), PluginSpec.of("complexity"));
    private static final int SAMPLES = 12;
    private static final int UNITS = SAMPLES * METHODS.size() * METRICS.size();

    @TempDir
    Path tmp;

    @AfterEach
    void noFaults() {
        ShardWork.afterBatch = (t, n) -> { };
    }

    private static RunConfig config(Path out, List<PluginSpec> methods) {
        return new RunConfig(PluginSpec.of("embedded"), PluginSpec.of("embedded-surrogate"),
                PluginSpec.of("fashion-mnist-embedded"), SAMPLES, methods, METRICS, 0, 2, out);
    }

    private static List<Path> spark(RunConfig config, Integer tasks) {
        return spark(config, tasks, null);
    }

    private static List<Path> spark(RunConfig config, Integer tasks, String outUri) {
        PrintWriter sink = new PrintWriter(new StringWriter());
        return SparkRun.run(new ClusterRunner.Request(config, "local[2]", tasks, new HeatmapOutputs(null, 2), null,
                PluginCalls.DEFAULT_LIMIT, true, sink, sink, outUri));
    }

    private static void plain(RunConfig config) {
        PrintWriter sink = new PrintWriter(new StringWriter());
        new Benchmark(Registry.load(), config, Shard.WHOLE, new HeatmapOutputs(null, 2), ConsoleProgress.Mode.OFF, sink,
                sink).run();
    }

    /** Counts the units each task stores, by task. */
    private static Map<Integer, AtomicLong> countStored() {
        Map<Integer, AtomicLong> stored = new ConcurrentHashMap<>();
        ShardWork.afterBatch = (t, n) -> stored.computeIfAbsent(t.index(), k -> new AtomicLong()).addAndGet(n);
        return stored;
    }

    private static long sum(Map<Integer, AtomicLong> stored) {
        return stored.values().stream().mapToLong(AtomicLong::get).sum();
    }

    @Test
    void sparkRunStoresTheRecordsAndSummaryOfAPlainRun() throws Exception {
        Path whole = tmp.resolve("plain");
        Path onSpark = tmp.resolve("spark");
        plain(config(whole, METHODS));
        Map<Integer, AtomicLong> stored = countStored();
        int loads = Worker.INSTANCE.loads();
        List<Path> reports = spark(config(onSpark, METHODS), 3);
        assertTrue(Worker.INSTANCE.loads() - loads <= 2, "three tasks share one load of each of the two models, "
                + "not one per task: " + (Worker.INSTANCE.loads() - loads) + " loads");
        assertTrue(Worker.INSTANCE.loadedModels().containsAll(List.of("embedded", "embedded-surrogate")),
                Worker.INSTANCE.loadedModels().toString());

        assertTrue(reports.stream().allMatch(Files::isRegularFile), reports.toString());
        assertEquals(Set.of(1, 2, 3), stored.keySet(), "three tasks, each stored its part");
        assertTrue(stored.values().stream().allMatch(n -> n.get() == UNITS / 3), stored.toString());
        assertEquals(UNITS, sum(stored));
        assertSameRecords(ResultStore.read(whole), ResultStore.read(onSpark));
        ObjectMapper json = new ObjectMapper();
        JsonNode a = json.readTree(whole.resolve("summary.json").toFile()).get("leaderboard");
        JsonNode b = json.readTree(onSpark.resolve("summary.json").toFile()).get("leaderboard");
        assertEquals(a, b, "the same leaderboard, bootstrap intervals and paired tests included");
        assertEquals(Files.readString(whole.resolve("leaderboard.csv")), Files.readString(onSpark.resolve("leaderboard.csv")));
        assertTrue(Files.isDirectory(onSpark.resolve("shards/part-2-of-3")));
    }

    @Test
    void failedAndKilledAttemptsAreRetriedAndNoUnitIsComputedTwice() throws Exception {
        Path out = tmp.resolve("faults");
        Map<Integer, AtomicLong> stored = countStored();
        var counting = ShardWork.afterBatch;
        Set<String> failedOnce = ConcurrentHashMap.newKeySet();
        ShardWork.afterBatch = (t, n) -> {
            counting.accept(t, n);
            int attempt = TaskContext.get().attemptNumber();
            // after its first batch: task 1's first attempt fails, task 2's is killed
            if (attempt == 0 && t.index() == 1 && failedOnce.add("fail")) {
                throw new IllegalStateException("injected executor failure");
            }
            if (attempt == 0 && t.index() == 2 && failedOnce.add("kill")) {
                throw new TaskKilledException("injected kill");
            }
        };
        spark(config(out, METHODS), 3);

        assertEquals(Set.of("fail", "kill"), failedOnce);
        List<ResultRecord> records = ResultStore.read(out);
        assertEquals(UNITS, records.size());
        assertEquals(UNITS, records.stream().map(ResultRecord::key).distinct().count(), "every unit exactly once");
        assertEquals(UNITS, sum(stored), "the retried attempts resumed: no unit was computed twice");
        assertTrue(records.stream().allMatch(r -> r.status() == ResultRecord.Status.OK));
    }

    @Test
    void aRerunComputesOnlyWhatIsMissing() throws Exception {
        Path out = tmp.resolve("rerun");
        spark(config(out, METHODS), 3);
        List<ResultRecord> first = ResultStore.read(out);

        Map<Integer, AtomicLong> stored = countStored();
        spark(config(out, METHODS), null);
        assertEquals(0, sum(stored), "a finished run computes nothing again; the stored split is reused");

        // an interrupted task: the last five records of part 2 are lost
        Path part = out.resolve("shards/part-2-of-3/" + ResultStore.FILE_NAME);
        List<String> lines = Files.readAllLines(part);
        Files.write(part, lines.subList(0, lines.size() - 5));
        stored = countStored();
        spark(config(out, METHODS), null);
        assertEquals(5, sum(stored));
        assertEquals(Set.of(2), stored.entrySet().stream().filter(e -> e.getValue().get() > 0).map(Map.Entry::getKey)
                .collect(Collectors.toSet()), "only the interrupted task computes");
        assertSameRecords(first, ResultStore.read(out));

        ConfigurationException e = assertThrows(ConfigurationException.class, () -> spark(config(out, METHODS), 4));
        assertTrue(e.getMessage().contains("split into 3 tasks, not 4; rerun with --spark-tasks 3"), e.getMessage());
    }

    @Test
    void aRunOnAHadoopFileSystemUriIsTheSameRunAndResumes() throws Exception {
        Path whole = tmp.resolve("plain");
        plain(config(whole, METHODS));
        Path remote = tmp.resolve("remote");
        String uri = remote.toUri().toString().replaceFirst("^file:/+", "file:///");
        Map<Integer, AtomicLong> stored = countStored();
        spark(config(tmp.resolve("unused"), METHODS), 3, uri);

        assertEquals(UNITS, sum(stored));
        assertSameRecords(ResultStore.read(whole), ResultStore.read(remote));
        for (String file : List.of("report.html", "summary.json", "leaderboard.csv", "run.json", "config.yaml")) {
            assertTrue(Files.isRegularFile(remote.resolve(file)), file + " uploaded");
        }
        assertTrue(Files.isRegularFile(remote.resolve("shards/part-3-of-3/" + ResultStore.FILE_NAME)));
        assertTrue(Files.notExists(remote.resolve("shards/part-3-of-3/heatmaps")), "the heatmap cache stays local");
        assertTrue(Files.notExists(tmp.resolve("unused")), "nothing is written to the local path");

        // a part loses its last four records: the rerun downloads the rest and computes those four
        Path part = remote.resolve("shards/part-1-of-3/" + ResultStore.FILE_NAME);
        List<String> lines = Files.readAllLines(part);
        Files.write(part, lines.subList(0, lines.size() - 4));
        Files.deleteIfExists(remote.resolve("shards/part-1-of-3/." + ResultStore.FILE_NAME + ".crc"));
        stored = countStored();
        spark(config(tmp.resolve("unused"), METHODS), null, uri);
        assertEquals(4, sum(stored));
        assertSameRecords(ResultStore.read(whole), ResultStore.read(remote));
    }

    @Test
    void aFailingMethodGivesFailedCellsAndTheJobSucceeds() {
        Path out = tmp.resolve("failing");
        List<PluginSpec> methods = List.of(PluginSpec.of("random"), PluginSpec.of(FailingMethod.ID));
        spark(config(out, methods), 2);
        List<ResultRecord> records = ResultStore.read(out);
        assertEquals(SAMPLES * 2 * METRICS.size(), records.size());
        Map<String, Set<ResultRecord.Status>> byMethod = records.stream().collect(Collectors.groupingBy(
                ResultRecord::methodId, Collectors.mapping(ResultRecord::status, Collectors.toSet())));
        assertEquals(Set.of(ResultRecord.Status.FAILED), byMethod.get(FailingMethod.ID));
        assertEquals(Set.of(ResultRecord.Status.OK), byMethod.get("random"));
        assertTrue(records.stream().filter(r -> r.methodId().equals(FailingMethod.ID))
                .allMatch(r -> r.error().contains("this test method always fails")));
    }

    @Test
    void theCommandLineRunsOnSparkAndNamesMisuse() throws Exception {
        Path out = tmp.resolve("cli");
        StringWriter text = new StringWriter();
        StringWriter errors = new StringWriter();
        int code = Main.execute(Registry::load, new String[] {"run", "--spark", "local[2]", "--limit", "4", "--method",
            "random", "--metric", "complexity", "--out", out.toString(), "--quiet"}, new PrintWriter(text, true),
                new PrintWriter(errors, true));
        assertEquals(0, code, errors.toString());
        assertTrue(text.toString().contains("merged 4 records of 4 shards"), text.toString());
        assertTrue(Files.isRegularFile(out.resolve("report.html")));

        errors.getBuffer().setLength(0);
        code = Main.execute(Registry::load, new String[] {"run", "--spark", "local[2]", "--shard", "1/2", "--method",
            "random", "--metric", "complexity", "--out", tmp.resolve("x").toString()}, new PrintWriter(text, true),
                new PrintWriter(errors, true));
        assertEquals(2, code);
        assertTrue(errors.toString().contains("leave out --shard"), errors.toString());

        Path plainOut = tmp.resolve("plain");
        assertEquals(0, Main.execute(Registry::load, new String[] {"run", "--limit", "2", "--method", "random", "--metric",
            "complexity", "--out", plainOut.toString(), "--quiet"}, new PrintWriter(text, true), new PrintWriter(errors, true)));
        errors.getBuffer().setLength(0);
        code = Main.execute(Registry::load, new String[] {"run", "--spark", "local[2]", "--limit", "2", "--method",
            "random", "--metric", "complexity", "--out", plainOut.toString()}, new PrintWriter(text, true),
                new PrintWriter(errors, true));
        assertEquals(2, code);
        assertTrue(errors.toString().contains("holds a run made without Spark"), errors.toString());

        errors.getBuffer().setLength(0);
        String uri = tmp.resolve("r").toUri().toString();
        code = Main.execute(Registry::load, new String[] {"run", "--limit", "2", "--method", "random", "--metric",
            "complexity", "--out", uri}, new PrintWriter(text, true), new PrintWriter(errors, true));
        assertEquals(2, code);
        assertTrue(errors.toString().contains("is a file-system URI, which a Spark run writes (add --spark MASTER)"),
                errors.toString());
        Path config = tmp.resolve("run.yaml");
        Files.writeString(config, "out: " + uri + "\n");
        errors.getBuffer().setLength(0);
        code = Main.execute(Registry::load, new String[] {"run", "--config", config.toString()}, new PrintWriter(text, true),
                new PrintWriter(errors, true));
        assertEquals(2, code);
        assertTrue(errors.toString().contains("give a URI with --out on the command line"), errors.toString());
    }

    @Test
    void localMastersRetryAsAClusterDoesAndTheSplitIsStable() {
        assertEquals("local[2,4]", SparkRun.withRetries("local[2]"));
        assertEquals("local[1,4]", SparkRun.withRetries("local"));
        assertEquals("local[*,4]", SparkRun.withRetries("local[*]"));
        assertEquals("local[2,1]", SparkRun.withRetries("local[2,1]"));
        assertEquals("yarn", SparkRun.withRetries("yarn"));
        assertEquals(4, SparkRun.tasks(null, null, 2, 100));
        assertEquals(3, SparkRun.tasks(null, null, 8, 3), "at most one task per sample");
        assertEquals(5, SparkRun.tasks(null, 5, 2, 100), "a rerun keeps the stored split");
        assertEquals(7, SparkRun.tasks(7, null, 2, 100));
        ConfigurationException e = assertThrows(ConfigurationException.class, () -> SparkRun.tasks(0, null, 2, 100));
        assertTrue(e.getMessage().contains("invalid --spark-tasks 0"), e.getMessage());
    }

    /** The same units with the same outcomes; timings aside, the records are equal. */
    static void assertSameRecords(List<ResultRecord> expected, List<ResultRecord> actual) {
        assertEquals(expected.size(), actual.size());
        Set<String> a = new HashSet<>();
        Set<String> b = new HashSet<>();
        expected.forEach(r -> a.add(withoutTimes(r)));
        actual.forEach(r -> b.add(withoutTimes(r)));
        assertEquals(a, b);
        List<String> order = new ArrayList<>();
        expected.forEach(r -> order.add(r.sampleId()));
        List<String> merged = new ArrayList<>();
        actual.forEach(r -> merged.add(r.sampleId()));
        assertEquals(order.stream().distinct().toList(), merged.stream().distinct().toList(), "samples in run order");
    }

    private static String withoutTimes(ResultRecord r) {
        return ResultCodec.encode(new ResultRecord(r.configHash(), r.sampleId(), r.label(), r.target(), r.methodId(),
                r.methodParameters(), r.metricId(), r.metricSpec(), r.specHash(), r.status(), r.score(), r.curve(),
                r.curveX(), r.error(), 0, 0));
    }

}
