package org.vitbench.runner;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Leaderboards merged from runs of different methods under one protocol. */
class LeaderboardCommandTest {

    private static final List<String> METRICS = List.of("fake-deletion", "fake-sum");

    @TempDir
    Path tmp;

    @Test
    void runsOfDifferentMethodsMergeIntoTheLeaderboardOfOneRunOfAll() throws Exception {
        Cli cli = new Cli();
        assertEquals(Main.OK, cli.benchmark(tmp.resolve("a"), List.of("oracle"), METRICS), cli.err);
        assertEquals(Main.OK, cli.benchmark(tmp.resolve("b"), List.of("noise"), METRICS), cli.err);
        assertEquals(Main.OK, cli.benchmark(tmp.resolve("both"), List.of("oracle", "noise"), METRICS), cli.err);

        assertEquals(Main.OK, cli.run("leaderboard", "--out", tmp.resolve("board").toString(),
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
    }

    @Test
    void runsUnderAnotherProtocolOrWithTheSameMethodAreRefused() {
        Cli cli = new Cli();
        assertEquals(Main.OK, cli.benchmark(tmp.resolve("a"), List.of("oracle"), METRICS), cli.err);
        assertEquals(Main.OK, cli.benchmark(tmp.resolve("s1"), List.of("noise"), METRICS, "--seed", "1"), cli.err);
        assertEquals(Main.USAGE, cli.run("leaderboard", "--out", tmp.resolve("x").toString(),
                tmp.resolve("a").toString(), tmp.resolve("s1").toString()));
        assertTrue(cli.err.contains("they differ in 'seed' (0 vs 1)"), cli.err);

        assertEquals(Main.OK, cli.benchmark(tmp.resolve("again"), List.of("oracle", "noise"), METRICS), cli.err);
        assertEquals(Main.USAGE, cli.run("leaderboard", "--out", tmp.resolve("y").toString(),
                tmp.resolve("a").toString(), tmp.resolve("again").toString()));
        assertTrue(cli.err.contains("method oracle is in both"), cli.err);
        assertEquals(Main.OK, cli.run("leaderboard", "--out", tmp.resolve("y").toString(), "--prefer", "first",
                tmp.resolve("a").toString(), tmp.resolve("again").toString()), cli.err);
    }
}
