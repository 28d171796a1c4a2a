package org.vitbench.runner.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.vitbench.runner.ci.Baseline;

/** {@code vitbench compare} end to end on fake plug-ins: the gate passes on its baseline and fails on a degraded method. */
class CompareCommandTest {

    private static final List<String> METHODS = List.of("oracle", "noise");
    private static final List<String> METRICS = List.of("fake-deletion", "fake-sum");

    @TempDir
    Path tmp;

    /** Runs the fake benchmark of {@code methods} into {@code dir} and writes its baseline with {@code options}. */
    private Path baselineOf(Cli cli, Path dir, List<String> methods, String... options) {
        Path baseline = tmp.resolve("baseline-" + dir.getFileName() + ".json");
        assertEquals(ExitCode.OK.code(), cli.benchmark(dir, methods, METRICS), cli.err);
        List<String> args = new java.util.ArrayList<>(List.of("compare", "--run", dir.toString(), "--write-baseline",
                baseline.toString()));
        args.addAll(List.of(options));
        assertEquals(ExitCode.OK.code(), cli.run(args.toArray(String[]::new)), cli.err);
        return baseline;
    }

    @Test
    void aRunPassesAgainstItsOwnBaseline() {
        Cli cli = new Cli();
        Path run = tmp.resolve("run");
        Path baseline = tmp.resolve("ci/baseline.json");
        assertEquals(ExitCode.OK.code(), cli.benchmark(run, METHODS, METRICS), cli.err);

        assertEquals(ExitCode.OK.code(),
                cli.run("compare", "--run", run.toString(), "--write-baseline", baseline.toString()),
                cli.err);
        assertTrue(cli.out.contains("4 cells"), cli.out);
        assertEquals(ExitCode.OK.code(),
                cli.run("compare", "--run", run.toString(), "--baseline", baseline.toString()), cli.err);
        assertTrue(cli.out.contains("verdict: PASS (4 cells; 0 improved, 0 new)"), cli.out);
    }

    @Test
    void aDegradedMethodFailsTheGateAndTheDiffNamesTheCell() {
        Path baseline = baselineOf(new Cli(), tmp.resolve("good"), METHODS);

        Cli bad = new Cli();
        bad.fakes.degradeOracle = true;
        Path degraded = tmp.resolve("degraded");
        assertEquals(ExitCode.OK.code(), bad.benchmark(degraded, METHODS, METRICS), bad.err);

        assertEquals(ExitCode.REGRESSION.code(), bad.run("compare", "--run", degraded.toString(), "--baseline",
                baseline.toString()), bad.err);
        String oracleDeletion = bad.out.lines().filter(l -> l.startsWith("oracle ") && l.contains("fake-deletion"))
                .findFirst().orElseThrow(() -> new AssertionError(bad.out));
        assertTrue(oracleDeletion.contains("REGRESSION"), oracleDeletion);
        assertTrue(bad.out.lines().filter(l -> l.startsWith("noise ")).allMatch(l -> l.contains(" pass ")), bad.out);
        assertTrue(bad.out.contains("verdict: REGRESSION in"), bad.out);
    }

    @Test
    void thePairedRuleFailsADegradedMethodWithItsPValue() {
        Path baseline = baselineOf(new Cli(), tmp.resolve("good"), METHODS, "--paired", "--tolerance", "0");
        Cli bad = new Cli();
        bad.fakes.degradeOracle = true;
        assertEquals(ExitCode.OK.code(), bad.benchmark(tmp.resolve("bad"), METHODS, METRICS), bad.err);

        assertEquals(ExitCode.REGRESSION.code(),
                bad.run("compare", "--run", tmp.resolve("bad").toString(), "--baseline",
                baseline.toString()), bad.err);
        assertTrue(bad.out.contains("paired p = "), bad.out);
    }

    @Test
    void aCellTheRunLacksIsARegressionOnceTheConfigChangeIsAllowed() {
        Cli cli = new Cli();
        Path baseline = baselineOf(cli, tmp.resolve("both"), METHODS);
        assertEquals(ExitCode.OK.code(), cli.benchmark(tmp.resolve("noise"), List.of("noise"), METRICS), cli.err);

        assertEquals(ExitCode.USAGE.code(), cli.run("compare", "--run", tmp.resolve("noise").toString(), "--baseline",
                baseline.toString()), cli.out);
        assertTrue(cli.err.contains("--allow-config-change"), cli.err);

        assertEquals(ExitCode.REGRESSION.code(),
                cli.run("compare", "--run", tmp.resolve("noise").toString(), "--baseline",
                baseline.toString(), "--allow-config-change"), cli.err);
        assertEquals(2, cli.out.lines().filter(l -> l.startsWith("oracle ") && l.contains("MISSING")).count(), cli.out);
    }

    @Test
    void aMalformedBaselineIsAUsageErrorNamingTheField() throws Exception {
        Cli cli = new Cli();
        Path baseline = baselineOf(cli, tmp.resolve("run"), METHODS);
        ObjectMapper json = new ObjectMapper();
        ObjectNode root = (ObjectNode) json.readTree(baseline.toFile());
        ((ObjectNode) root.get("cells").get(1)).remove("mean");
        json.writeValue(baseline.toFile(), root);

        assertEquals(ExitCode.USAGE.code(), cli.run("compare", "--run", tmp.resolve("run").toString(), "--baseline",
                baseline.toString()));
        assertTrue(cli.err.contains("cells[1]: field 'mean' is missing or not a number"), cli.err);

        Files.writeString(baseline, "{\"schema\": \"vitbench-baseline/0\"}");
        assertEquals(ExitCode.USAGE.code(), cli.run("compare", "--run", tmp.resolve("run").toString(), "--baseline",
                baseline.toString()));
        assertTrue(cli.err.contains("field 'schema' is 'vitbench-baseline/0'"), cli.err);

        assertEquals(ExitCode.USAGE.code(), cli.run("compare", "--run", tmp.resolve("run").toString(), "--baseline",
                tmp.resolve("absent.json").toString()));
        assertTrue(cli.err.contains("does not exist"), cli.err);
    }

    @Test
    void baselinesThatWouldPassOrFailEveryRunAreRefused() throws Exception {
        Cli cli = new Cli();
        Path baseline = baselineOf(cli, tmp.resolve("run"), METHODS);
        ObjectMapper json = new ObjectMapper();
        ObjectNode good = (ObjectNode) json.readTree(baseline.toFile());
        String run = tmp.resolve("run").toString();

        ObjectNode empty = good.deepCopy();
        empty.putArray("cells");
        assertRefused(cli, run, baseline, empty, "has no cells, so every run would pass it");

        ObjectNode repeated = good.deepCopy();
        ((com.fasterxml.jackson.databind.node.ArrayNode) repeated.get("cells")).add(good.get("cells").get(0).deepCopy());
        assertRefused(cli, run, baseline, repeated, "repeats cells[0]");

        ObjectNode negative = good.deepCopy();
        ((ObjectNode) negative.get("cells").get(0)).put("failed", -1);
        assertRefused(cli, run, baseline, negative, "field 'failed' is missing or not a count");
    }

    /** Writes {@code content} as the baseline; compare must refuse it (exit 2) naming {@code message}. */
    private static void assertRefused(Cli cli, String run, Path baseline, ObjectNode content, String message)
            throws Exception {
        new ObjectMapper().writeValue(baseline.toFile(), content);
        assertEquals(ExitCode.USAGE.code(), cli.run("compare", "--run", run, "--baseline", baseline.toString()));
        assertTrue(cli.err.contains(message), cli.err);
    }

    @Test
    void refreshingABaselineKeepsEditedTolerances() throws Exception {
        Cli cli = new Cli();
        Path baseline = baselineOf(cli, tmp.resolve("run"), METHODS);
        ObjectMapper json = new ObjectMapper();
        ObjectNode root = (ObjectNode) json.readTree(baseline.toFile());
        ((ObjectNode) root.get("cells").get(0).get("tolerance")).put("margin", 0.5);
        json.writeValue(baseline.toFile(), root);

        assertEquals(ExitCode.OK.code(), cli.run("compare", "--run", tmp.resolve("run").toString(), "--write-baseline",
                baseline.toString()), cli.err);
        Baseline refreshed = Baseline.read(baseline);
        assertEquals(0.5, refreshed.cells().get(0).tolerance().margin());
        assertEquals(Baseline.Tolerance.DEFAULT.margin(), refreshed.cells().get(1).tolerance().margin());
    }

    @Test
    void aRefreshWithoutToleranceOptionsGivesNewCellsTheFilesDefaults() {
        Cli cli = new Cli();
        Path baseline = baselineOf(cli, tmp.resolve("noise"), List.of("noise"), "--paired", "--tolerance", "0.1");
        Baseline.Tolerance given = new Baseline.Tolerance(Baseline.Rule.PAIRED, 0.1, 0.05);
        assertEquals(given, Baseline.read(baseline).defaults());

        // an intended change adds a method; the refresh names no tolerance
        assertEquals(ExitCode.OK.code(), cli.benchmark(tmp.resolve("both"), METHODS, METRICS), cli.err);
        assertEquals(ExitCode.OK.code(), cli.run("compare", "--run", tmp.resolve("both").toString(), "--write-baseline",
                baseline.toString()), cli.err);
        Baseline refreshed = Baseline.read(baseline);
        assertEquals(given, refreshed.defaults());
        assertEquals(4, refreshed.cells().size());
        assertTrue(refreshed.cells().stream().allMatch(c -> c.tolerance().equals(given)), refreshed.toString());

        // naming a tolerance replaces the defaults for new cells only
        assertEquals(ExitCode.OK.code(), cli.run("compare", "--run", tmp.resolve("both").toString(), "--write-baseline",
                tmp.resolve("fresh.json").toString(), "--tolerance", "0.03"), cli.err);
        assertEquals(new Baseline.Tolerance(Baseline.Rule.MARGIN, 0.03, 0.05),
                Baseline.read(tmp.resolve("fresh.json")).defaults());
    }

    @Test
    void aMalformedDefaultsToleranceNamesItsField() throws Exception {
        Cli cli = new Cli();
        Path baseline = baselineOf(cli, tmp.resolve("run"), METHODS);
        ObjectMapper json = new ObjectMapper();
        ObjectNode root = (ObjectNode) json.readTree(baseline.toFile());
        ((ObjectNode) root.get("defaults")).put("margin", -1);
        json.writeValue(baseline.toFile(), root);

        assertEquals(ExitCode.USAGE.code(), cli.run("compare", "--run", tmp.resolve("run").toString(), "--baseline",
                baseline.toString()));
        assertTrue(cli.err.contains(".defaults: tolerance margin must be a finite number >= 0, got -1.0"), cli.err);

        root.remove("defaults");
        json.writeValue(baseline.toFile(), root);
        assertEquals(ExitCode.USAGE.code(), cli.run("compare", "--run", tmp.resolve("run").toString(), "--baseline",
                baseline.toString()));
        assertTrue(cli.err.contains("field 'defaults' is missing or not an object"), cli.err);
    }
}
