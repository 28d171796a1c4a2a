package org.vitbench.runner.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.vitbench.api.ConfigurationException;
import org.vitbench.runner.store.ResultStore;
import org.vitbench.runner.store.RunLock;
import org.vitbench.runner.store.RunManifest;

/** A run directory has one user at a time, in this JVM and across processes. */
class RunLockTest {

    @TempDir
    Path tmp;

    private static final List<String> METHODS = List.of("oracle");
    private static final List<String> METRICS = List.of("fake-deletion");

    /** Holds the lock of the directory in {@code args[0]} until its standard input closes. */
    public static final class Holder {
        public static void main(String[] args) throws Exception {
            try (RunLock lock = RunLock.acquire(Path.of(args[0]), "run")) {
                System.out.println("locked");
                System.out.flush();
                while (System.in.read() >= 0) {
                    // wait for the parent
                }
            }
        }
    }

    @Test
    void aRunOnADirectoryHeldByAnotherProcessFailsAtOnceNamingItsPid() throws Exception {
        Path out = tmp.resolve("out");
        Process holder = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-cp",
                System.getProperty("java.class.path"), Holder.class.getName(), out.toString())
                .redirectErrorStream(true).start();
        try {
            BufferedReader lines = new BufferedReader(new InputStreamReader(holder.getInputStream(),
                    StandardCharsets.UTF_8));
            assertEquals("locked", lines.readLine());
            Cli cli = new Cli();

            long t0 = System.nanoTime();
            int code = cli.benchmark(out, METHODS, METRICS);

            assertEquals(ExitCode.USAGE.code(), code);
            assertTrue(cli.err.contains("in use by vitbench process " + holder.pid() + " (vitbench run, started"),
                    cli.err);
            assertTrue((System.nanoTime() - t0) / 1e9 < 30, "fails at once");
            assertFalse(Files.exists(out.resolve(ResultStore.FILE_NAME)), "the refused run wrote nothing");
            assertFalse(Files.exists(out.resolve(RunManifest.FILE_NAME)), "the refused run wrote nothing");
        } finally {
            // as kill -9: the OS releases the lock of a dead process
            holder.destroyForcibly();
            holder.waitFor(30, TimeUnit.SECONDS);
        }
        Cli again = new Cli();
        assertEquals(ExitCode.OK.code(), again.benchmark(out, METHODS, METRICS), again.err);
        assertEquals(10, ResultStore.read(out).size());
    }

    @Test
    void anotherThreadOfThisProcessIsRefusedAndTheHolderMayReenter() throws Exception {
        Path dir = tmp.resolve("run");
        try (RunLock lock = RunLock.acquire(dir, "run")) {
            try (RunLock inner = RunLock.acquire(dir, "report")) {
                // the same thread re-enters: a command and the run it starts
            }
            ConfigurationException e = CompletableFuture.supplyAsync(() -> assertThrows(ConfigurationException.class,
                    () -> RunLock.acquire(dir, "report"))).get(30, TimeUnit.SECONDS);
            assertTrue(e.getMessage().contains("process " + ProcessHandle.current().pid()), e.getMessage());
            assertTrue(e.getMessage().contains("choose another output directory"), e.getMessage());
        }
        CompletableFuture.runAsync(() -> RunLock.acquire(dir, "report").close()).get(30, TimeUnit.SECONDS);
    }

    @Test
    void derivedOutputsRefuseToWriteIntoAnInputRun() throws Exception {
        Cli cli = new Cli();
        Path run = tmp.resolve("run");
        assertEquals(ExitCode.OK.code(), cli.benchmark(run, METHODS, METRICS), cli.err);
        byte[] manifest = Files.readAllBytes(run.resolve(RunManifest.FILE_NAME));
        byte[] results = Files.readAllBytes(run.resolve(ResultStore.FILE_NAME));

        assertEquals(ExitCode.USAGE.code(), cli.run("leaderboard", "--out", run.toString(), run.toString()));
        assertTrue(cli.err.contains("is one of the input runs"), cli.err);
        assertEquals(ExitCode.USAGE.code(), cli.run("merge", "--out", run.resolve(".").toString(), run.toString()));
        assertTrue(cli.err.contains("is one of the input runs"), cli.err);

        assertEquals(List.of(manifest.length, results.length), List.of(
                Files.readAllBytes(run.resolve(RunManifest.FILE_NAME)).length,
                Files.readAllBytes(run.resolve(ResultStore.FILE_NAME)).length));
        assertEquals(ExitCode.OK.code(), cli.run("report", run.toString()), cli.err);
    }
}
