package org.vitbench.runner.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.vitbench.api.Registry;

/**
 * The shipped CI regression config, run for real, passes the gate against its shipped baseline:
 * the baseline stays in step with the code (a change that moves a score beyond its tolerance must
 * refresh {@code ci/baseline.json} on purpose).
 */
class RegressionConfigTest {

    private static final Path CI = Path.of("..", "ci");

    @TempDir
    Path tmp;

    @Test
    void theRegressionConfigPassesAgainstItsBaseline() {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int run = Main.execute(Registry::load, new String[] {"run", "--config", CI.resolve("regression.yaml").toString(),
            "--out", tmp.toString(), "--quiet"}, new PrintWriter(out, true), new PrintWriter(err, true));
        assertEquals(ExitCode.OK.code(), run, err.toString());

        int compare = Main.execute(Registry::load, new String[] {"compare", "--run", tmp.toString(), "--baseline",
            CI.resolve("baseline.json").toString()}, new PrintWriter(out, true), new PrintWriter(err, true));
        assertEquals(ExitCode.OK.code(), compare, out + "\n" + err
                + "\nIf the change is intended, refresh the baseline: see ci/README.md");
        assertTrue(out.toString().contains("verdict: PASS (15 cells"), out.toString());
    }
}
