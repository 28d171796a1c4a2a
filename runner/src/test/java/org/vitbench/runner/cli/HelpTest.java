package org.vitbench.runner.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.vitbench.api.Registry;
import picocli.CommandLine;

/** Every command's {@code --help} prints cleanly: no picocli warning, nothing on stderr. */
class HelpTest {

    @Test
    void everyCommandsHelpPrintsWithoutAWarning() {
        List<List<String>> commands = new ArrayList<>();
        collect(Main.commandLine(Registry::load, new PrintWriter(new StringWriter()),
                new PrintWriter(new StringWriter())), new ArrayList<>(), commands);
        assertTrue(commands.size() > 12, "every command and subcommand is visited: " + commands);
        PrintStream systemErr = System.err;
        for (List<String> path : commands) {
            List<String> args = new ArrayList<>(path);
            args.add("--help");
            StringWriter out = new StringWriter();
            StringWriter err = new StringWriter();
            ByteArrayOutputStream tracer = new ByteArrayOutputStream();
            int code;
            System.setErr(new PrintStream(tracer, true, StandardCharsets.UTF_8));
            try {
                code = Main.execute(Registry::load, args.toArray(String[]::new), new PrintWriter(out, true),
                        new PrintWriter(err, true));
            } finally {
                System.setErr(systemErr);
            }
            String warnings = tracer.toString(StandardCharsets.UTF_8) + err;
            assertEquals(ExitCode.OK.code(), code, args.toString());
            assertFalse(warnings.contains("WARN"), args + " printed a warning: " + warnings);
            assertEquals("", warnings, args + " printed to stderr");
            assertTrue(out.toString().startsWith("Usage: vitbench"), args + ": " + out);
        }
    }

    @Test
    void theCompletionHelpGivesTheCommandOnALineOfItsOwn() {
        StringWriter out = new StringWriter();
        Main.execute(Registry::load, new String[] {"completion", "--help"}, new PrintWriter(out, true),
                new PrintWriter(new StringWriter(), true));
        assertTrue(out.toString().contains("\n  source <(./vitbench completion)\n"), out.toString());
    }

    private static void collect(CommandLine command, List<String> path, List<List<String>> into) {
        into.add(path);
        command.getSubcommands().forEach((name, sub) -> {
            if (!name.equals("help")) {
                List<String> next = new ArrayList<>(path);
                next.add(name);
                collect(sub, next, into);
            }
        });
    }
}
