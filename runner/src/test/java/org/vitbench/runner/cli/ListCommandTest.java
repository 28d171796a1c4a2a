package org.vitbench.runner.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import org.junit.jupiter.api.Test;
import org.vitbench.api.Registry;

/** {@code vitbench list ID}: a plug-in's parameters and presets come from its declaration. */
class ListCommandTest {

    private String out;
    private String err;

    private int list(String... args) {
        StringWriter o = new StringWriter();
        StringWriter e = new StringWriter();
        String[] all = new String[args.length + 1];
        all[0] = "list";
        System.arraycopy(args, 0, all, 1, args.length);
        int code = Main.execute(Registry::load, all, new PrintWriter(o, true), new PrintWriter(e, true));
        out = o.toString();
        err = e.toString();
        return code;
    }

    @Test
    void aMethodShowsEachDeclaredParameterWithItsDefaultAndItsPresets() {
        assertEquals(ExitCode.OK.code(), list("kernel-shap"));
        assertTrue(out.contains("budget           default 1024; an integer from 1 to 2147483647"), out);
        assertTrue(out.contains("removal          default token-drop;"), out);
        assertTrue(out.contains("vit-shapley      {budget=400000,"), out);
    }

    @Test
    void aMetricShowsWhichParametersBelongToWhichPreset() {
        assertEquals(ExitCode.OK.code(), list("deletion"));
        assertTrue(out.contains("order            default positive; positive, negative; only with preset=chefer"),
                out);
        assertTrue(out.contains("rise             {removal=pixel-mean}"), out);
    }

    @Test
    void anUnknownIdNamesTheFix() {
        assertEquals(ExitCode.USAGE.code(), list("no-such-method"));
        assertTrue(err.contains("'no-such-method' is neither an installed method nor metric"), err);
    }

    @Test
    void theOverviewPointsToTheDetails() {
        assertEquals(ExitCode.OK.code(), list());
        assertTrue(out.contains("'vitbench list ID' shows the parameters"), out);
    }
}
