package org.vitbench.runner.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The launcher script refuses plug-in paths that would load code from the working directory. */
class LauncherTest {

    @TempDir
    Path tmp;

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        ":/opt/x.jar | has an empty entry",
        "/opt/a.jar:: | has an empty entry",
        "plugin.jar | is a relative path",
        "./plugin.jar | is a relative path",
        "/nonexistent/plugin.jar | is not an existing .jar file",
        "/etc/hostname | is not an existing .jar file"})
    void badPluginEntriesAreRefusedBeforeAnythingRuns(String entry, String message) throws Exception {
        // a jar in the working directory: the class path must never reach it
        Files.writeString(tmp.resolve("plugin.jar"), "not a jar");
        Path launcher = Path.of("..", "vitbench").toAbsolutePath().normalize();
        ProcessBuilder pb = new ProcessBuilder("bash", launcher.toString(), "--version").directory(tmp.toFile())
                .redirectErrorStream(true);
        pb.environment().put("VITBENCH_PLUGINS", entry.strip());
        Process p = pb.start();
        String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(60, TimeUnit.SECONDS));

        assertEquals(ExitCode.USAGE.code(), p.exitValue(), output);
        assertTrue(output.startsWith("vitbench: error: VITBENCH_PLUGINS"), output);
        assertTrue(output.contains(message), output);
    }
}
