package org.vitbench.runner.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.vitbench.api.ResultRecord;
import org.vitbench.runner.store.ResultStore;

/** The run command end to end on fake plug-ins. */
class RunnerTest {

    private static final List<String> METHODS = List.of("oracle", "noise");
    private static final List<String> METRICS = List.of("fake-deletion", "fake-sum");

    @TempDir
    Path tmp;

    @Test
    void aFullRunWritesResultsAndAReport() throws Exception {
        Cli cli = new Cli();
        Path out = tmp.resolve("out");

        assertEquals(ExitCode.OK.code(), cli.benchmark(out, METHODS, METRICS), cli.err);

        List<ResultRecord> records = ResultStore.read(out);
        assertEquals(10 * 2 * 2, records.size());
        assertTrue(records.stream().allMatch(ResultRecord::isOk));
        assertEquals(20, cli.fakes.explained.get(), "each method explains each sample once");
        assertEquals(2 * RunCommand.defaultWorkers(), cli.fakes.closed.get(),
                "the run closes each method it created, one instance per worker");
        assertTrue(cli.out.startsWith("finished in "), cli.out);
        assertTrue(cli.out.contains("cells:       4 method x metric cells scored, 0 failed units, 0 pairs skipped"),
                cli.out);
        assertTrue(cli.out.contains("best three per metric (mean):\n  fake-deletion \u2193  oracle "), cli.out);
        assertTrue(cli.out.contains("results:     " + out.resolve("results.jsonl")), cli.out);
        String html = Files.readString(out.resolve("report.html"));
        assertTrue(html.contains("<tr data-family=\"baseline\"><th scope=\"row\">oracle<span class=\"family\">baseline"
                + "</span></th>"), "a row per method, with its family from run.json");
        assertTrue(html.contains("fake-deletion \u2193"));
        assertTrue(html.contains("<svg viewBox"), "deletion curves are drawn");
        JsonNode summary = new ObjectMapper().readTree(out.resolve("summary.json").toFile());
        assertEquals(4, summary.get("leaderboard").size());
        JsonNode oracleDeletion = summary.get("leaderboard").get(0);
        assertEquals("oracle", oracleDeletion.get("method").asText());
        assertEquals(1, oracleDeletion.get("rank").asInt(), "deleting by the true contributions is best");
        assertEquals(10, oracleDeletion.get("n").asInt());
        assertTrue(oracleDeletion.get("ciLow").asDouble() <= oracleDeletion.get("mean").asDouble());
        assertTrue(Files.readString(out.resolve("leaderboard.csv")).startsWith("method,metric,"));
        assertTrue(Files.readString(out.resolve("leaderboard.tex")).contains("\\begin{tabular}"));
        assertTrue(cli.out.contains("report:      " + out.resolve("report.html")), cli.out);
        assertTrue(Files.readString(out.resolve("config.yaml")).contains("\"fake-deletion:preset=default,removal=zero\""));
        assertEquals("", cli.err, "--quiet prints no progress");
    }

    @Test
    void aParameterWithACommaSurvivesTheWrittenConfig() throws Exception {
        Cli cli = new Cli();
        Path out = tmp.resolve("out");
        assertEquals(ExitCode.OK.code(),
                cli.benchmark(out, List.of("oracle:scale=a\\,b\\=c"), List.of("fake-sum")), cli.err);
        int explained = cli.fakes.explained.get();

        // the written config reproduces the run: same hash, so nothing is explained again
        assertEquals(ExitCode.OK.code(),
                cli.run("run", "--config", out.resolve("config.yaml").toString(), "--out", out.toString(),
                "--quiet"), cli.err);

        assertEquals(explained, cli.fakes.explained.get());
        assertTrue(ResultStore.read(out).stream().allMatch(r -> r.methodParameters().get("scale").equals("a,b=c")));
    }

    @Test
    void aRerunResumesAndSkipsStoredUnits() throws Exception {
        Cli cli = new Cli();
        Path out = tmp.resolve("out");
        assertEquals(ExitCode.OK.code(), cli.benchmark(out, METHODS, METRICS), cli.err);
        byte[] before = Files.readAllBytes(out.resolve(ResultStore.FILE_NAME));
        int explained = cli.fakes.explained.get();

        assertEquals(ExitCode.OK.code(), cli.benchmark(out, METHODS, METRICS), cli.err);

        assertEquals(explained, cli.fakes.explained.get(), "nothing is explained again");
        assertArrayEquals(before, Files.readAllBytes(out.resolve(ResultStore.FILE_NAME)));
    }

    @Test
    void aPartialStoreIsCompletedWithTheSameScores() throws Exception {
        Cli cli = new Cli();
        Path full = tmp.resolve("full");
        assertEquals(ExitCode.OK.code(), cli.benchmark(full, METHODS, METRICS), cli.err);
        List<String> lines = Files.readAllLines(full.resolve(ResultStore.FILE_NAME));
        Path partial = tmp.resolve("partial");
        Files.createDirectories(partial);
        Files.write(partial.resolve(ResultStore.FILE_NAME), lines.subList(0, 15));
        int explainedBefore = cli.fakes.explained.get();

        assertEquals(ExitCode.OK.code(), cli.benchmark(partial, METHODS, METRICS), cli.err);

        assertEquals(scores(ResultStore.read(full)), scores(ResultStore.read(partial)));
        assertTrue(cli.fakes.explained.get() - explainedBefore < 20, "stored units were not explained again");
    }

    @Test
    void aTornLastLineIsDroppedAndTheRunResumes() throws Exception {
        Cli cli = new Cli();
        Path out = tmp.resolve("out");
        assertEquals(ExitCode.OK.code(), cli.benchmark(out, METHODS, METRICS), cli.err);
        Path file = out.resolve(ResultStore.FILE_NAME);
        List<String> lines = Files.readAllLines(file);
        String torn = String.join("\n", lines.subList(0, 10)) + "\n" + lines.get(10).substring(0, 40);
        Files.writeString(file, torn);

        assertEquals(ExitCode.OK.code(), cli.benchmark(out, METHODS, METRICS), cli.err);

        String text = Files.readString(file, StandardCharsets.UTF_8);
        assertTrue(text.endsWith("\n"));
        assertEquals(40, text.split("\n").length);
        assertEquals(40, ResultStore.read(out).size(), "every line is a complete record");
    }

    @Test
    void aStoreOfAnotherConfigIsRefused() throws Exception {
        Cli cli = new Cli();
        Path out = tmp.resolve("out");
        assertEquals(ExitCode.OK.code(), cli.benchmark(out, METHODS, METRICS), cli.err);
        String firstHash = ResultStore.read(out).get(0).configHash();

        assertEquals(ExitCode.USAGE.code(), cli.benchmark(out, METHODS, METRICS, "--seed", "1"));

        assertTrue(cli.err.contains(firstHash), cli.err);
        assertTrue(cli.err.contains("choose a new --out directory"), cli.err);
        assertFalse(cli.err.contains("\tat "), "no stack trace for a usage error");
        assertEquals(40, ResultStore.read(out).size(), "nothing was appended");
    }

    @Test
    void theBatchSizeChangesNeitherTheConfigNorTheScores() throws Exception {
        Cli cli = new Cli();
        Path a = tmp.resolve("a");
        Path b = tmp.resolve("b");
        assertEquals(ExitCode.OK.code(), cli.benchmark(a, METHODS, METRICS), cli.err);
        assertEquals(ExitCode.OK.code(), cli.benchmark(b, METHODS, METRICS, "--batch-size", "3"), cli.err);

        assertEquals(scores(ResultStore.read(a)), scores(ResultStore.read(b)));
        assertEquals(ResultStore.read(a).get(0).configHash(), ResultStore.read(b).get(0).configHash());
    }

    @Test
    void methodsAreClosedWhenTheRunStopsOnAnError() {
        Cli cli = new Cli();
        assertEquals(ExitCode.USAGE.code(), cli.benchmark(tmp.resolve("out"), List.of("oracle", "noise", "oracle"),
                METRICS), cli.err);
        assertTrue(cli.err.toString().contains("given twice"), cli.err.toString());
        assertEquals(3, cli.fakes.closed.get(), "every method created before the error is closed");
    }

    @Test
    void aFailingMethodBecomesFailedCellsAndTheRunGoesOn() throws Exception {
        Cli cli = new Cli();
        Path out = tmp.resolve("out");

        assertEquals(ExitCode.OK.code(),
                cli.benchmark(out, List.of("crash", "nan-on-odd", "oracle"), List.of("fake-deletion")),
                cli.err);

        List<ResultRecord> records = ResultStore.read(out);
        assertEquals(30, records.size());
        List<ResultRecord> crash = records.stream().filter(r -> r.methodId().equals("crash")).toList();
        assertEquals(10, crash.size());
        assertTrue(crash.stream().allMatch(r -> !r.isOk() && r.error().equals("IllegalStateException: boom <b>")));
        List<ResultRecord> nan = records.stream().filter(r -> r.methodId().equals("nan-on-odd")).toList();
        assertEquals(5, nan.stream().filter(ResultRecord::isOk).count());
        assertTrue(nan.stream().filter(r -> !r.isOk())
                .allMatch(r -> r.error().equals("non-finite heatmap: patch 1 = NaN")), nan.toString());
        assertTrue(records.stream().filter(r -> r.methodId().equals("oracle")).allMatch(ResultRecord::isOk));
        String html = Files.readString(out.resolve("report.html"));
        assertTrue(html.contains("IllegalStateException: boom &lt;b&gt;"), "the reason is shown, escaped");
        assertTrue(html.contains("<span class=\"failed\">10 failed</span>"));
    }

    @Test
    void anIncompatiblePairIsSkippedWithItsReason() throws Exception {
        Cli cli = new Cli();
        Path out = tmp.resolve("out");

        assertEquals(ExitCode.OK.code(),
                cli.benchmark(out, List.of("oracle"), List.of("fake-sum", "fake-all-classes")), cli.err);

        assertEquals(10, ResultStore.read(out).size());
        String html = Files.readString(out.resolve("report.html"));
        assertTrue(html.contains("metric fake-all-classes needs heatmaps of every class"), html);
        assertTrue(html.contains("<p class=\"note\">No unit failed.</p>"), "a skipped pair is not a failure");
        assertTrue(Files.readString(out.resolve("run.json")).contains("\"oracle\" : \"baseline\""),
                "run.json keeps each method's family");
    }

    @Test
    void theReportCommandRendersTheSameFilesAgain() throws Exception {
        Cli cli = new Cli();
        Path out = tmp.resolve("out");
        assertEquals(ExitCode.OK.code(), cli.benchmark(out, METHODS, METRICS), cli.err);
        String html = Files.readString(out.resolve("report.html"));
        String summary = Files.readString(out.resolve("summary.json"));
        Files.delete(out.resolve("report.html"));

        assertEquals(ExitCode.OK.code(), cli.run("report", out.toString()), cli.err);

        assertEquals(html, Files.readString(out.resolve("report.html")));
        assertEquals(summary, Files.readString(out.resolve("summary.json")));
    }

    @Test
    void paperExportsCanBeRestrictedWithoutRerunningOrTouchingTheReport() throws Exception {
        Cli cli = new Cli();
        Path out = tmp.resolve("out");
        assertEquals(ExitCode.OK.code(), cli.benchmark(out, METHODS, METRICS), cli.err);
        String html = Files.readString(out.resolve("report.html"));
        int explained = cli.fakes.explained.get();

        assertEquals(ExitCode.OK.code(), cli.run("report", out.toString(), "--methods", "oracle", "--metrics",
                "fake-deletion"), cli.err);

        String tex = Files.readString(out.resolve("paper/leaderboard.tex"));
        assertTrue(tex.contains("oracle") && !tex.contains("noise") && !tex.contains("fake-sum"), tex);
        assertTrue(Files.exists(out.resolve("paper/charts/curves-fake-deletion.svg")));
        assertTrue(cli.out.contains("paper exports of 1 methods x 1 metrics"), cli.out);
        assertEquals(html, Files.readString(out.resolve("report.html")), "the run's report stays whole");
        assertEquals(explained, cli.fakes.explained.get(), "nothing is explained again");

        assertEquals(ExitCode.USAGE.code(), cli.run("report", out.toString(), "--methods", "nope"));
        assertTrue(cli.err.contains("--methods: the run has no 'nope'; it has [noise, oracle]"), cli.err);
    }

    @Test
    void theReportCommandNeedsARunDirectory() {
        Cli cli = new Cli();

        assertEquals(ExitCode.USAGE.code(), cli.run("report", tmp.resolve("nothing").toString()));
        assertTrue(cli.err.contains("run.json is missing"), cli.err);
    }

    /** Scores by unit key (timings differ between runs). */
    private static Map<ResultRecord.Key, Double> scores(List<ResultRecord> records) {
        Map<ResultRecord.Key, Double> out = new LinkedHashMap<>();
        records.forEach(r -> out.put(r.key(), r.score()));
        return out;
    }
}
