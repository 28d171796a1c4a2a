package org.vitbench.runner.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.vitbench.runner.run.Benchmark;
import org.vitbench.runner.store.Protocol;
import org.vitbench.runner.store.RunManifest;

/** Leaderboards merged from runs of different methods under one protocol. */
class LeaderboardCommandTest {

    private static final List<String> METRICS = List.of("fake-deletion", "fake-sum");

    @TempDir
    Path tmp;

    @Test
    void runsOfDifferentMethodsMergeIntoTheLeaderboardOfOneRunOfAll() throws Exception {
        Cli cli = new Cli();
        assertEquals(ExitCode.OK.code(), cli.benchmark(tmp.resolve("a"), List.of("oracle"), METRICS), cli.err);
        assertEquals(ExitCode.OK.code(), cli.benchmark(tmp.resolve("b"), List.of("noise"), METRICS), cli.err);
        assertEquals(ExitCode.OK.code(),
                cli.benchmark(tmp.resolve("both"), List.of("oracle", "noise"), METRICS), cli.err);

        assertEquals(ExitCode.OK.code(), cli.run("leaderboard", "--out", tmp.resolve("board").toString(),
                tmp.resolve("a").toString(), tmp.resolve("b").toString()), cli.err);

        ObjectMapper json = new ObjectMapper();
        JsonNode board = json.readTree(tmp.resolve("board/leaderboard.json").toFile());
        JsonNode single = json.readTree(tmp.resolve("both/leaderboard.json").toFile());
        assertEquals("vitbench-leaderboard/1", board.get("schema").asText());
        assertEquals(single.get("protocolHash"), board.get("protocolHash"), "one protocol, whatever the methods");
        assertEquals(4, board.get("entries").size());
        for (int i = 0; i < 4; i++) {
            JsonNode x = board.get("entries").get(i);
            JsonNode y = single.get("entries").get(i);
            for (String field : List.of("method", "metric", "mean", "ciLow", "ciHigh", "n", "rank", "pVsBest")) {
                assertEquals(y.get(field), x.get(field), field + " of entry " + i);
            }
            String from = x.get("method").asText().equals("oracle") ? "a" : "b";
            assertEquals(tmp.resolve(from).toString(), x.get("source").get("run").asText());
        }
        assertTrue(java.nio.file.Files.readString(tmp.resolve("board/report.html")).contains("protocol hash"));
        assertEquals(Benchmark.host(), board.get("entries").get(0).get("source").get("host").asText());
        String page = java.nio.file.Files.readString(tmp.resolve("board/leaderboard.html"));
        assertTrue(page.contains("<td>" + tmp.resolve("b") + "</td>"), "provenance of noise");
        assertTrue(page.contains("protocol <code>" + board.get("protocolHash").asText() + "</code>"));
    }

    @Test
    void preferNewestKeepsTheRunThatFinishedLastAndSaysSo() throws Exception {
        Cli cli = new Cli();
        Path old = tmp.resolve("old");
        Path recent = tmp.resolve("recent");
        assertEquals(ExitCode.OK.code(), cli.benchmark(old, List.of("oracle", "noise"), METRICS), cli.err);
        assertEquals(ExitCode.OK.code(), cli.benchmark(recent, List.of("oracle"), METRICS), cli.err);
        finished(old, "2026-01-02T00:00:00Z");
        finished(recent, "2026-01-03T00:00:00Z");

        assertEquals(ExitCode.OK.code(),
                cli.run("leaderboard", "--out", tmp.resolve("board").toString(), "--prefer", "newest",
                recent.toString(), old.toString()), cli.err);
        assertTrue(cli.out.contains("method oracle is in " + recent + " and " + old + ": kept " + recent
                + " (--prefer newest, finished 2026-01-03T00:00:00Z)"), cli.out);
        JsonNode entries = new ObjectMapper().readTree(tmp.resolve("board/leaderboard.json").toFile()).get("entries");
        for (JsonNode e : entries) {
            String from = e.get("method").asText().equals("oracle") ? "recent" : "old";
            assertEquals(tmp.resolve(from).toString(), e.get("source").get("run").asText(), e.toString());
            assertEquals(from.equals("recent") ? "2026-01-03T00:00:00Z" : "2026-01-02T00:00:00Z",
                    e.get("source").get("finished").asText());
        }
        assertEquals(ExitCode.USAGE.code(),
                cli.run("leaderboard", "--out", tmp.resolve("x").toString(), "--prefer", "last",
                recent.toString(), old.toString()));
        assertTrue(cli.err.contains("invalid value 'last' for --prefer; allowed: newest, first"), cli.err);
    }

    @Test
    void theModelsWeightFingerprintIsPartOfTheProtocol() throws Exception {
        Cli cli = new Cli();
        Path a = tmp.resolve("a");
        Path b = tmp.resolve("b");
        assertEquals(ExitCode.OK.code(), cli.benchmark(a, List.of("oracle"), METRICS), cli.err);
        assertEquals(ExitCode.OK.code(), cli.benchmark(b, List.of("noise"), METRICS), cli.err);
        ShardMergeTest.withFingerprint(a, "00000000000000aa");
        ShardMergeTest.withFingerprint(b, "00000000000000bb");
        assertEquals(ExitCode.USAGE.code(), cli.run("leaderboard", "--out", tmp.resolve("x").toString(), a.toString(),
                b.toString()));
        assertTrue(cli.err.contains("they differ in 'model-fingerprint' (\"00000000000000aa\" vs \"00000000000000bb\")"),
                cli.err);

        ShardMergeTest.withFingerprint(b, "00000000000000aa");
        assertEquals(ExitCode.OK.code(),
                cli.run("leaderboard", "--out", tmp.resolve("y").toString(), a.toString(), b.toString()),
                cli.err);
        JsonNode board = new ObjectMapper().readTree(tmp.resolve("y/leaderboard.json").toFile());
        assertTrue(board.get("protocol").asText().endsWith("model-fingerprint: \"00000000000000aa\"\n"),
                board.get("protocol").asText());
        assertEquals(Protocol.hash(Protocol.of(RunManifest.read(a))), board.get("protocolHash").asText(),
                "the leaderboard's own protocol is its runs' protocol");
    }

    private static void finished(Path dir, String when) {
        RunManifest m = RunManifest.read(dir);
        java.util.Map<String, String> env = new java.util.LinkedHashMap<>(m.environment());
        env.put("finished", when);
        m.withEnvironment(env).write(dir);
    }

    @Test
    void runsUnderAnotherProtocolOrWithTheSameMethodAreRefused() {
        Cli cli = new Cli();
        assertEquals(ExitCode.OK.code(), cli.benchmark(tmp.resolve("a"), List.of("oracle"), METRICS), cli.err);
        assertEquals(ExitCode.OK.code(),
                cli.benchmark(tmp.resolve("s1"), List.of("noise"), METRICS, "--seed", "1"), cli.err);
        assertEquals(ExitCode.USAGE.code(), cli.run("leaderboard", "--out", tmp.resolve("x").toString(),
                tmp.resolve("a").toString(), tmp.resolve("s1").toString()));
        assertTrue(cli.err.contains("they differ in 'seed' (0 vs 1)"), cli.err);

        assertEquals(ExitCode.OK.code(),
                cli.benchmark(tmp.resolve("again"), List.of("oracle", "noise"), METRICS), cli.err);
        assertEquals(ExitCode.USAGE.code(), cli.run("leaderboard", "--out", tmp.resolve("y").toString(),
                tmp.resolve("a").toString(), tmp.resolve("again").toString()));
        assertTrue(cli.err.contains("method oracle is in both"), cli.err);
        assertEquals(ExitCode.OK.code(),
                cli.run("leaderboard", "--out", tmp.resolve("y").toString(), "--prefer", "first",
                tmp.resolve("a").toString(), tmp.resolve("again").toString()), cli.err);
    }
}
