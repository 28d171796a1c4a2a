package org.vitbench.runner.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.vitbench.api.ConfigurationException;
import org.vitbench.api.MethodSpec;
import org.vitbench.api.MetricSpec;
import org.vitbench.api.ResultRecord;
import org.vitbench.api.VitbenchException;

class ResultStoreTest {

    private static final MetricSpec SPEC = MetricSpec.of("deletion", "vit-shapley", Map.of("removal", "attention-mask"));

    @TempDir
    Path dir;

    @Test
    void recordsSurviveTheCodecExactly() {
        ResultRecord ok = ok("s-1", 0.25);
        ResultRecord curve = ResultRecord.ok("h", "s-2", 3, 4, MethodSpec.of("kernel-shap", Map.of("budget", "64", "a", "b")),
                SPEC, 0.5, new double[] {1, Double.NaN, 0.125}, new double[] {0, 0.5, 1}, 0.01, 0.02);
        ResultRecord failed = ResultRecord.failed("h", "s-3", -1, 0, MethodSpec.of("random", Map.of()), SPEC,
                "IllegalStateException: \"quoted\"\nsecond line", 0.5, 0);

        for (ResultRecord r : List.of(ok, curve, failed)) {
            String line = ResultCodec.encode(r);
            assertFalse(line.contains("\n"), line);
            assertEquals(r, ResultCodec.decode(line));
        }
        assertEquals(new ResultRecord.Key("s-2", new ResultRecord.Cell(MethodSpec.parse("kernel-shap:a=b,budget=64"),
                SPEC.hash())), curve.key());
    }

    @Test
    void appendedRecordsAreReadBackAndKeyed() {
        try (ResultStore store = ResultStore.open(dir, "h")) {
            store.append(List.of(ok("s-1", 0.1), ok("s-2", 0.2)));
            assertTrue(store.contains(ok("s-1", 0).key()));
        }
        try (ResultStore store = ResultStore.open(dir, "h")) {
            assertEquals(2, store.records().size());
            assertTrue(store.contains(ok("s-2", 0).key()));
            assertFalse(store.contains(ok("s-3", 0).key()));
        }
    }

    @Test
    void aTornLastLineIsIgnoredAndTruncatedBeforeAppending() throws Exception {
        Path file = dir.resolve(ResultStore.FILE_NAME);
        String good = ResultCodec.encode(ok("s-1", 0.1)) + "\n";
        Files.writeString(file, good + ResultCodec.encode(ok("s-2", 0.2)).substring(0, 30));

        assertEquals(1, ResultStore.read(dir).size(), "reading ignores the torn line");
        assertTrue(Files.size(file) > good.length(), "reading leaves the file alone");
        try (ResultStore store = ResultStore.open(dir, "h")) {
            assertEquals(1, store.records().size());
            assertEquals(good, Files.readString(file), "opening truncates the torn line");
            store.append(List.of(ok("s-2", 0.2)));
        }
        assertEquals(2, ResultStore.read(dir).size());
        assertEquals(2, Files.readString(file, StandardCharsets.UTF_8).split("\n").length);
    }

    @Test
    void anotherConfigHashIsRefusedNamingBoth() {
        try (ResultStore store = ResultStore.open(dir, "h")) {
            store.append(List.of(ok("s-1", 0.1)));
        }

        ConfigurationException e = assertThrows(ConfigurationException.class, () -> ResultStore.open(dir, "other"));

        assertTrue(e.getMessage().contains("produced by config h but this run's config is other"), e.getMessage());
        assertTrue(e.getMessage().contains("new --out directory"), e.getMessage());
    }

    @Test
    void aCorruptCompleteLineIsAnErrorNamingTheLine() throws Exception {
        Files.writeString(dir.resolve(ResultStore.FILE_NAME), ResultCodec.encode(ok("s-1", 0.1)) + "\n{\"config\":1}\n");

        VitbenchException e = assertThrows(VitbenchException.class, () -> ResultStore.open(dir, "h"));

        assertTrue(e.getMessage().contains("line 2 is not a valid result record"), e.getMessage());
    }

    @Test
    void anInfiniteScoreIsNotAValidRecord() throws Exception {
        String line = ResultCodec.encode(ok("s-1", 0.1)).replace("\"score\":0.1", "\"score\":1e999");
        Files.writeString(dir.resolve(ResultStore.FILE_NAME), line + "\n");

        VitbenchException e = assertThrows(VitbenchException.class, () -> ResultStore.read(dir));

        assertTrue(e.getMessage().contains("line 1 is not a valid result record") && e.getMessage().contains("finite"),
                e.getMessage());
    }

    @Test
    void aRepeatedLineCountsOnce() throws Exception {
        String line = ResultCodec.encode(ok("s-1", 0.1));
        Files.writeString(dir.resolve(ResultStore.FILE_NAME), line + "\n" + ResultCodec.encode(ok("s-2", 0.2)) + "\n"
                + line + "\n");

        assertEquals(2, ResultStore.read(dir).size());
        try (ResultStore store = ResultStore.open(dir, "h")) {
            assertEquals(2, store.records().size());
        }
    }

    @Test
    void inconsistentRecordsAreRejected() {
        assertThrows(IllegalArgumentException.class, () -> new ResultRecord("h", "s", 0, 0, "m",
                new java.util.TreeMap<>(), "d", "d@p{}v1", "x", ResultRecord.Status.OK, Double.NaN, null, null, null, 0,
                0));
        assertThrows(IllegalArgumentException.class, () -> new ResultRecord("h", "s", 0, 0, "m",
                new java.util.TreeMap<>(), "d", "d@p{}v1", "x", ResultRecord.Status.FAILED, 0.5, null, null, "e", 0,
                0));
    }

    private static ResultRecord ok(String sample, double score) {
        return ResultRecord.ok("h", sample, 1, 1, MethodSpec.of("random", Map.of()), SPEC, score, null, null, 0.001,
                0.002);
    }
}
