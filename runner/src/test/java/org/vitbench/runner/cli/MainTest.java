package org.vitbench.runner.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.vitbench.runner.store.ResultStore;
import org.vitbench.runner.store.RunManifest;

/** Exit codes, help, version, list and config-file handling of the command line. */
class MainTest {

    @TempDir
    Path tmp;

    @Test
    void helpListsTheSubcommands() {
        Cli cli = new Cli();

        assertEquals(ExitCode.OK.code(), cli.run("--help"));

        for (String command : new String[] {"run", "list", "report", "compare", "help"}) {
            assertTrue(cli.out.contains("  " + command + " "), cli.out);
        }
        assertTrue(cli.out.contains("Exit codes: 0 ok, 1 failure, 2 usage or configuration error, 3 regression."));
    }

    @Test
    void versionNamesVitbenchAndJava() {
        Cli cli = new Cli();

        assertEquals(ExitCode.OK.code(), cli.run("--version"));

        assertTrue(cli.out.startsWith("vitbench "), cli.out);
        assertTrue(cli.out.contains("Java "), cli.out);
    }

    @Test
    void noCommandOrAnUnknownOptionIsAUsageError() {
        Cli cli = new Cli();

        assertEquals(ExitCode.USAGE.code(), cli.run());
        assertTrue(cli.err.contains("missing command"), cli.err);
        assertEquals(ExitCode.USAGE.code(), cli.run("run", "--no-such-option"));
        assertTrue(cli.err.contains("Unknown option: '--no-such-option'"), cli.err);
        assertEquals(ExitCode.USAGE.code(), cli.run("run", "--limit", "many"));
    }

    @Test
    void anUnknownMethodIsAUsageErrorListingTheKnownOnes() {
        Cli cli = new Cli();

        int code = cli.benchmark(tmp.resolve("out"), java.util.List.of("kernel-shapp"), java.util.List.of("fake-sum"));

        assertEquals(ExitCode.USAGE.code(), code);
        assertEquals("vitbench: error: unknown method 'kernel-shapp'; known: crash, nan-on-odd, noise, oracle\n",
                cli.err);
    }

    @Test
    void anInvalidPluginParameterIsAUsageError() {
        Cli cli = new Cli();

        int code = cli.benchmark(tmp.resolve("out"), java.util.List.of("oracle"),
                java.util.List.of("fake-deletion:preset=flat"));

        assertEquals(ExitCode.USAGE.code(), code);
        assertTrue(cli.err.contains("invalid value 'flat' for parameter 'preset' of fake-deletion"), cli.err);
    }

    @Test
    void listShowsEveryPlugin() {
        Cli cli = new Cli();

        assertEquals(ExitCode.OK.code(), cli.run("list"));

        assertTrue(cli.out.contains("  oracle "), cli.out);
        assertTrue(cli.out.contains("family baseline, needs nothing"), cli.out);
        assertTrue(cli.out.contains("  fake-deletion            Fake deletion, faithfulness, lower is better \u2193,"
                + " presets default steep"), cli.out);
        assertTrue(cli.out.contains("needs all classes"), cli.out);
        assertTrue(cli.out.contains("  fake-data "), cli.out);
        assertTrue(cli.out.contains("  fake-model "), cli.out);
    }

    @Test
    void anUnknownConfigKeyIsNamedWithTheAllowedOnes() throws Exception {
        Cli cli = new Cli();
        Path config = tmp.resolve("c.yaml");
        Files.writeString(config, "model: fake-model\nmetrik: fake-sum\n");

        assertEquals(ExitCode.USAGE.code(), cli.run("run", "--config", config.toString()));

        assertTrue(cli.err.contains("unknown key 'metrik' in config " + config
                + "; allowed keys: batch-size, dataset, device, evaluation-model, gallery-samples, heatmap-cache, limit, "
                + "memory, methods, metrics, model, out, seed, shard"), cli.err);
        assertFalse(cli.err.contains("\tat "), cli.err);
    }

    @Test
    void aConfigFileRunsAndOptionsOverrideIt() throws Exception {
        Cli cli = new Cli();
        Path out = tmp.resolve("out");
        Path config = tmp.resolve("c.yaml");
        Files.writeString(config, """
                model: fake-model
                dataset: {id: fake-data, size: 6}
                limit: 0
                methods: [oracle, noise]
                metrics:
                  - fake-sum
                seed: 3
                batch-size: 4
                out: %s
                """.formatted(tmp.resolve("ignored")));

        assertEquals(ExitCode.OK.code(), cli.run("run", "--config", config.toString(), "--out", out.toString(),
                "--method", "oracle", "--quiet"), cli.err);

        assertEquals(6, ResultStore.read(out).size(), "6 samples x oracle (the option replaced the list) x fake-sum");
        assertFalse(Files.exists(tmp.resolve("ignored")));
        assertTrue(Files.readString(out.resolve(RunManifest.CONFIG_FILE)).contains("seed: 3\n"));
    }

    @Test
    void progressGoesToStderrWithoutQuiet() {
        Cli cli = new Cli();

        assertEquals(ExitCode.OK.code(),
                cli.run("run", "--model", "fake-model", "--dataset", "fake-data", "--method", "oracle",
                "--metric", "fake-sum", "--out", tmp.resolve("out").toString()), cli.err);

        assertTrue(cli.err.contains("progress: 10/10 units 100%"), cli.err);
    }

    @Test
    void theCompletionScriptCoversTheCommandsAndTheirOptions() {
        Cli cli = new Cli();

        assertEquals(ExitCode.OK.code(), cli.run("completion"));

        assertTrue(cli.out.contains("complete -F"), "a bash completion script");
        for (String word : new String[] {"explain", "estimation-error", "--evaluation-model", "--jmh"}) {
            assertTrue(cli.out.contains(word), "completes " + word);
        }
    }
}
