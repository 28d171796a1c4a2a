package org.vitbench.runner.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.vitbench.api.ResultRecord;
import org.vitbench.runner.store.ResultStore;

/**
 * Misbehaving plug-ins: each becomes failed cells with its reason, the run goes on and ends with
 * exit 0, and the well-behaved methods score exactly as in a run without them.
 */
class HostilePluginTest {

    @TempDir
    Path tmp;

    private static final List<String> GOOD = List.of("oracle", "noise");

    /** Every hostile method, with the text its failed cells must show. */
    private static final Map<String, String> HOSTILE = Map.of(
            "assert", "AssertionError: invariant broken",
            "overflow", "StackOverflowError",
            "huge", "OutOfMemoryError",
            "sleep", "timed out after 2s (limit 1s per sample x 2",
            "spin", "its thread did not stop");

    @Test
    void eachMisbehaviourIsAFailedCellAndTheOthersScoreAsAlone() {
        Cli alone = new Cli();
        Path clean = tmp.resolve("clean");
        assertEquals(ExitCode.OK.code(), alone.benchmark(clean, GOOD, List.of("fake-deletion"), "--batch-size", "2",
                "--limit", "2"), alone.err);

        Cli cli = Cli.hostile();
        Path out = tmp.resolve("hostile");
        // the scribbler first: it zeroes the pixels it is given, which later methods must not see
        List<String> methods = new java.util.ArrayList<>(List.of("scribble", "interrupt"));
        methods.addAll(HOSTILE.keySet().stream().sorted().toList());
        methods.addAll(GOOD);
        int code;
        try {
            code = cli.benchmark(out, methods, List.of("fake-deletion", "fake-bad-curve"), "--batch-size", "2",
                    "--limit", "2", "--timeout", "1s");
        } finally {
            Fakes.releaseSpinners = true;
        }

        assertEquals(ExitCode.OK.code(), code, cli.err);
        List<ResultRecord> records = ResultStore.read(out);
        assertEquals(2 * methods.size() * 2, records.size(), "every unit stored: " + cli.err);
        for (Map.Entry<String, String> h : HOSTILE.entrySet()) {
            List<ResultRecord> cells = records.stream().filter(r -> r.methodId().equals(h.getKey())).toList();
            assertTrue(cells.stream().noneMatch(ResultRecord::isOk), h.getKey());
            assertTrue(cells.stream().allMatch(r -> r.error().contains(h.getValue())),
                    h.getKey() + ": " + cells.get(0).error());
        }
        assertTrue(records.stream().filter(r -> r.metricId().equals("fake-bad-curve"))
                .allMatch(r -> !r.isOk() && (r.error().contains("curve of 5 points for an x-axis of 3")
                        || HOSTILE.containsKey(r.methodId()))), "a curve that does not fit its axis fails its cell");
        assertTrue(records.stream().filter(r -> r.methodId().equals("interrupt") && r.metricId().equals("fake-deletion"))
                .allMatch(ResultRecord::isOk), "setting the interrupt flag harms nobody");
        assertEquals(scores(ResultStore.read(clean)), scores(records.stream()
                .filter(r -> GOOD.contains(r.methodId()) && r.metricId().equals("fake-deletion")).toList()),
                "the scribbled pixels reach no other method");
    }

    private static Map<String, Double> scores(List<ResultRecord> records) {
        return records.stream().collect(Collectors.toMap(r -> r.methodId() + "|" + r.sampleId(), ResultRecord::score,
                (a, b) -> a, TreeMap::new));
    }
}
