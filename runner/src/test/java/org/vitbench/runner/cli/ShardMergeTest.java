package org.vitbench.runner.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.vitbench.api.ResultRecord;
import org.vitbench.runner.store.Protocol;
import org.vitbench.runner.store.ResultCodec;
import org.vitbench.runner.store.ResultStore;
import org.vitbench.runner.store.RunManifest;

/** A run split into shards and merged equals the unsharded run, statistics included. */
class ShardMergeTest {

    private static final List<String> METHODS = List.of("oracle", "noise");
    private static final List<String> METRICS = List.of("fake-deletion", "fake-sum");

    @TempDir
    Path tmp;

    @Test
    void threeShardsMergeIntoTheWholeRun() throws Exception {
        Cli cli = new Cli();
        Path whole = tmp.resolve("whole");
        assertEquals(ExitCode.OK.code(), cli.benchmark(whole, METHODS, METRICS), cli.err);
        List<String> dirs = new ArrayList<>();
        for (int i = 1; i <= 3; i++) {
            Path dir = tmp.resolve("shard" + i);
            assertEquals(ExitCode.OK.code(), cli.benchmark(dir, METHODS, METRICS, "--shard", i + "/3"), cli.err);
            dirs.add(dir.toString());
        }
        assertEquals(4 * 4, ResultStore.read(tmp.resolve("shard1")).size(), "samples 0, 3, 6, 9");
        assertEquals(3 * 4, ResultStore.read(tmp.resolve("shard2")).size(), "samples 1, 4, 7");

        Path merged = tmp.resolve("merged");
        List<String> args = new ArrayList<>(List.of("merge", "--out", merged.toString()));
        args.addAll(List.of(dirs.get(2), dirs.get(0), dirs.get(1)));
        assertEquals(ExitCode.OK.code(), cli.run(args.toArray(String[]::new)), cli.err);

        Map<ResultRecord.Key, ResultRecord> a = byKey(ResultStore.read(whole));
        Map<ResultRecord.Key, ResultRecord> b = byKey(ResultStore.read(merged));
        assertEquals(a.keySet(), b.keySet());
        for (ResultRecord.Key key : a.keySet()) {
            assertEquals(a.get(key).score(), b.get(key).score(), 0.0, key.toString());
            assertArrayEquals(a.get(key).curve(), b.get(key).curve(), key.toString());
        }
        ObjectMapper json = new ObjectMapper();
        JsonNode x = json.readTree(whole.resolve("summary.json").toFile()).get("leaderboard");
        JsonNode y = json.readTree(merged.resolve("summary.json").toFile()).get("leaderboard");
        assertEquals(x, y, "the same leaderboard, bootstrap intervals and tests included");
        assertEquals(Files.readString(whole.resolve("leaderboard.csv")), Files.readString(merged.resolve("leaderboard.csv")));
    }

    @Test
    void shardsOfDifferentConfigsAreRefusedAndMissingShardsAreNamed() {
        Cli cli = new Cli();
        assertEquals(ExitCode.OK.code(), cli.benchmark(tmp.resolve("a"), METHODS, METRICS, "--shard", "1/2"), cli.err);
        assertEquals(ExitCode.OK.code(),
                cli.benchmark(tmp.resolve("b"), List.of("oracle"), METRICS, "--shard", "2/2"), cli.err);
        assertEquals(ExitCode.USAGE.code(),
                cli.run("merge", "--out", tmp.resolve("m").toString(), tmp.resolve("a").toString(),
                tmp.resolve("b").toString()));
        assertTrue(cli.err.contains("cannot merge"), cli.err);

        assertEquals(ExitCode.OK.code(),
                cli.run("merge", "--out", tmp.resolve("m").toString(), tmp.resolve("a").toString()),
                cli.err);
        assertTrue(cli.err.contains("shards 2/2 are missing"), cli.err);

        assertEquals(ExitCode.OK.code(),
                cli.run("leaderboard", "--out", tmp.resolve("board").toString(), tmp.resolve("a").toString()),
                cli.err);
        assertTrue(cli.err.contains("is shard 1/2 of a run"), "a leaderboard of one shard says so: " + cli.err);
    }

    @Test
    void exactDuplicatesAreDroppedAndConflictingOutcomesRefused() throws Exception {
        Cli cli = new Cli();
        Path one = tmp.resolve("one");
        Path two = tmp.resolve("two");
        assertEquals(ExitCode.OK.code(), cli.benchmark(one, METHODS, METRICS, "--shard", "1/2"), cli.err);
        assertEquals(ExitCode.OK.code(), cli.benchmark(two, METHODS, METRICS, "--shard", "2/2"), cli.err);
        Path again = copyOf(one, "again");

        assertEquals(ExitCode.OK.code(),
                cli.run("merge", "--out", tmp.resolve("m").toString(), one.toString(), two.toString(),
                again.toString()), cli.err);
        assertEquals(10 * 4, ResultStore.read(tmp.resolve("m")).size(), "shard 1/2 given twice counts once");
        assertTrue(cli.out.contains("merged 40 records of 3 shards"), cli.out);

        Path forged = copyOf(one, "forged");
        List<ResultRecord> records = new ArrayList<>(ResultStore.read(forged));
        ResultRecord r = records.get(0);
        records.set(0, new ResultRecord(r.configHash(), r.sampleId(), r.label(), r.target(), r.methodId(),
                r.methodParameters(), r.metricId(), r.metricSpec(), r.specHash(), r.status(), r.score() + 1, r.curve(),
                r.curveX(), r.error(), r.explainSeconds(), r.metricSeconds()));
        StringBuilder text = new StringBuilder();
        records.forEach(x -> text.append(ResultCodec.encode(x)).append('\n'));
        Files.writeString(forged.resolve(ResultStore.FILE_NAME), text);
        assertEquals(ExitCode.USAGE.code(), cli.run("merge", "--out", tmp.resolve("n").toString(), one.toString(),
                forged.toString()));
        assertTrue(cli.err.contains("unit " + r.key() + " is stored with different outcomes (score " + r.score()
                + " vs " + (r.score() + 1) + ")"), cli.err);
    }

    @Test
    void shardsOfOtherWeightsAreRefused() throws Exception {
        Cli cli = new Cli();
        Path one = tmp.resolve("one");
        Path two = tmp.resolve("two");
        assertEquals(ExitCode.OK.code(), cli.benchmark(one, METHODS, METRICS, "--shard", "1/2"), cli.err);
        assertEquals(ExitCode.OK.code(), cli.benchmark(two, METHODS, METRICS, "--shard", "2/2"), cli.err);
        withFingerprint(one, "00000000000000aa");
        withFingerprint(two, "00000000000000bb");

        assertEquals(ExitCode.USAGE.code(),
                cli.run("merge", "--out", tmp.resolve("m").toString(), one.toString(), two.toString()));
        assertTrue(cli.err.contains("they differ in 'model-fingerprint' (\"00000000000000aa\" vs \"00000000000000bb\")"),
                cli.err);
    }

    /** Records a model fingerprint in a run's manifest, as a run of vitbench's own ViT does. */
    static void withFingerprint(Path dir, String fingerprint) {
        RunManifest m = RunManifest.read(dir);
        Map<String, String> env = new java.util.LinkedHashMap<>(m.environment());
        env.put(Protocol.MODEL_FINGERPRINT, fingerprint);
        m.withEnvironment(env).write(dir);
    }

    private Path copyOf(Path dir, String name) throws Exception {
        Path copy = Files.createDirectories(tmp.resolve(name));
        for (String f : List.of(ResultStore.FILE_NAME, RunManifest.FILE_NAME)) {
            Files.copy(dir.resolve(f), copy.resolve(f));
        }
        return copy;
    }

    @Test
    void aBadShardIsAUsageError() {
        Cli cli = new Cli();
        assertEquals(ExitCode.USAGE.code(), cli.benchmark(tmp.resolve("x"), METHODS, METRICS, "--shard", "3/2"));
        assertTrue(cli.err.contains("invalid shard 3/2; allowed: i/n with 1 <= i <= n"), cli.err);
        assertEquals(ExitCode.USAGE.code(), cli.benchmark(tmp.resolve("y"), METHODS, METRICS, "--shard", "two"));
        assertTrue(cli.err.contains("invalid value 'two' for --shard"), cli.err);
    }

    private static Map<ResultRecord.Key, ResultRecord> byKey(List<ResultRecord> records) {
        Map<ResultRecord.Key, ResultRecord> out = new LinkedHashMap<>();
        records.forEach(r -> out.put(r.key(), r));
        return out;
    }
}
