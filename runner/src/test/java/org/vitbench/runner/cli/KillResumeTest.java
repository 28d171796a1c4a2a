package org.vitbench.runner.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.vitbench.api.Registry;
import org.vitbench.api.ResultRecord;
import org.vitbench.runner.store.ResultStore;

/**
 * A real {@code vitbench run} in its own JVM, killed with SIGKILL after its first batches and
 * rerun, gives the same results as an uninterrupted run: the store is never corrupted and the
 * rerun resumes where the kill left it.
 */
class KillResumeTest {

    private static final List<String> ARGS = List.of("run", "--model", "embedded", "--dataset", "fashion-mnist-embedded",
            "--limit", "48", "--batch-size", "4", "--method", "random", "--method", "saliency", "--method",
            "attention-rollout", "--metric", "deletion", "--metric", "sparseness", "--quiet");

    /** Records per batch: 4 samples x 3 methods x 2 metrics. */
    private static final int BATCH_RECORDS = 4 * 3 * 2;

    @TempDir
    Path tmp;

    @Test
    void aRunKilledMidwayAndRerunEqualsAnUninterruptedRun() throws Exception {
        Path killed = tmp.resolve("killed");
        Process p = start(killed);
        Path store = killed.resolve(ResultStore.FILE_NAME);
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
        int lines = 0;
        while (lines < BATCH_RECORDS && System.nanoTime() < deadline && p.isAlive()) {
            Thread.sleep(5);
            lines = Files.exists(store) ? completeLines(store) : 0;
        }
        if (!p.isAlive()) {
            fail("the run ended (exit " + p.exitValue() + ") before it could be killed; make the test's run longer. "
                    + "Output: " + new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8));
        }
        assertTrue(lines >= BATCH_RECORDS, "no batch was stored within 120 s");
        p.destroyForcibly();
        assertTrue(p.waitFor(30, TimeUnit.SECONDS));
        assertEquals(137, p.exitValue(), "killed with SIGKILL");
        assertFalse(Files.exists(killed.resolve("report.html")), "killed before the end of the run");

        List<ResultRecord> afterKill = ResultStore.read(killed);
        assertTrue(afterKill.size() < 48 * 3 * 2, "killed before the last batch");
        assertEquals(0, afterKill.size() % BATCH_RECORDS, "whole batches only: " + afterKill.size());

        Process rerun = start(killed);
        assertTrue(rerun.waitFor(300, TimeUnit.SECONDS), "the rerun finished");
        assertEquals(ExitCode.OK.code(),
                rerun.exitValue(), new String(rerun.getInputStream().readAllBytes(), StandardCharsets.UTF_8));

        Path whole = tmp.resolve("whole");
        List<String> args = new ArrayList<>(ARGS);
        args.addAll(List.of("--out", whole.toString()));
        StringWriter err = new StringWriter();
        assertEquals(ExitCode.OK.code(),
                Main.execute(Registry::load, args.toArray(String[]::new), new PrintWriter(new StringWriter()),
                new PrintWriter(err)), err.toString());

        Map<ResultRecord.Key, ResultRecord> resumed = byKey(ResultStore.read(killed));
        Map<ResultRecord.Key, ResultRecord> uninterrupted = byKey(ResultStore.read(whole));
        assertEquals(uninterrupted.keySet(), resumed.keySet());
        for (ResultRecord.Key key : uninterrupted.keySet()) {
            ResultRecord a = uninterrupted.get(key);
            ResultRecord b = resumed.get(key);
            assertEquals(a.status(), b.status(), key.toString());
            assertEquals(a.score(), b.score(), 0.0, key.toString());
            assertArrayEquals(a.curve(), b.curve(), key.toString());
            assertEquals(a.target(), b.target(), key.toString());
        }
    }

    private Process start(Path out) throws Exception {
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx2g", "-Dai.djl.offline=true", "-cp", System.getProperty("java.class.path"),
                Main.class.getName()));
        command.addAll(ARGS);
        command.addAll(List.of("--out", out.toString()));
        ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true);
        pb.environment().put("OPT_OUT_TRACKING", "true");
        pb.environment().put("OMP_WAIT_POLICY", "PASSIVE");
        return pb.start();
    }

    private static int completeLines(Path file) throws Exception {
        byte[] bytes = Files.readAllBytes(file);
        int n = 0;
        for (byte b : bytes) {
            n += b == '\n' ? 1 : 0;
        }
        return n;
    }

    private static Map<ResultRecord.Key, ResultRecord> byKey(List<ResultRecord> records) {
        Map<ResultRecord.Key, ResultRecord> out = new LinkedHashMap<>();
        records.forEach(r -> assertEquals(null, out.put(r.key(), r), "one record per unit: " + r.key()));
        return out;
    }
}
