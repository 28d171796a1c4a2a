package org.vitbench.runner.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.vitbench.api.ConfigurationException;
import org.vitbench.api.Registry;
import org.vitbench.api.ResultRecord;
import org.vitbench.runner.run.Benchmark;
import org.vitbench.runner.store.ResultStore;
import org.vitbench.runner.store.RunManifest;

/**
 * {@code --workers}: batches run at once give the records of one worker, in the same order, on the
 * real model with methods that take gradients, read attention and draw random numbers.
 */
class WorkersTest {

    @TempDir
    Path tmp;

    @Test
    void twoWorkersStoreWhatOneStores() {
        List<ResultRecord> one = run(tmp.resolve("one"), "1");
        List<ResultRecord> two = run(tmp.resolve("two"), "2");
        assertEquals(16 * 3 * 2, one.size());
        assertEquals(one.size(), two.size());
        for (int i = 0; i < one.size(); i++) {
            ResultRecord a = one.get(i);
            ResultRecord b = two.get(i);
            assertEquals(a.key(), b.key(), "records are stored in batch order whichever worker finished first");
            assertTrue(a.isOk() && b.isOk(), a.error() + " / " + b.error());
            assertEquals(a.score(), b.score(), 1e-6 * Math.max(1, Math.abs(a.score())), a.key().toString());
        }
        assertEquals("2", RunManifest.read(tmp.resolve("two")).environment().get(Benchmark.WORKERS_KEY));
        assertEquals("1", RunManifest.read(tmp.resolve("one")).environment().get(Benchmark.WORKERS_KEY));
    }

    @Test
    void theValueIsCheckedAndSparkRefusesIt() {
        assertEquals(Optional.of(3), Main.workers(new String[] {"run", "--workers", "3"}));
        assertEquals(Optional.of(2), Main.workers(new String[] {"run", "--workers=2"}));
        assertEquals(RunCommand.defaultWorkers(), Main.runWorkers(new String[] {"run", "--limit", "2"}));
        assertEquals(1, Main.runWorkers(new String[] {"explain", "--sample", "2"}), "other commands: one worker");
        assertEquals(1, Main.runWorkers(new String[] {"run", "--spark", "local[2]"}), "Spark has its own tasks");
        assertEquals(1, Main.runWorkers(new String[] {"run", "--device", "gpu"}));
        ConfigurationException e = assertThrows(ConfigurationException.class,
                () -> Main.workers(new String[] {"run", "--workers", "0"}));
        assertTrue(e.getMessage().contains("--workers '0' is not a number of workers; give a whole number from 1 to "
                + "4096"), e.getMessage());
        Cli cli = new Cli();
        assertEquals(ExitCode.USAGE.code(), cli.run("run", "--workers", "2", "--spark", "local[2]", "--limit", "2"));
        assertTrue(cli.err.contains("--workers runs batches at once in this process"), cli.err);
    }

    private static List<ResultRecord> run(Path out, String workers) {
        List<String> args = new ArrayList<>(List.of("run", "--limit", "16", "--batch-size", "4", "--workers", workers,
                "--out", out.toString(), "--quiet", "--gallery-samples", "2"));
        for (String m : List.of("random", "integrated-gradients", "attention-rollout")) {
            args.addAll(List.of("--method", m));
        }
        args.addAll(List.of("--metric", "deletion", "--metric", "sparseness"));
        StringWriter o = new StringWriter();
        StringWriter e = new StringWriter();
        int code = Main.execute(Registry::load, args.toArray(String[]::new), new PrintWriter(o, true),
                new PrintWriter(e, true));
        assertEquals(ExitCode.OK.code(), code, e.toString());
        return ResultStore.read(out);
    }
}
