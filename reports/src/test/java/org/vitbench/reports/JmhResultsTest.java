package org.vitbench.reports;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.vitbench.api.ConfigurationException;

class JmhResultsTest {

    /** The shape of JMH 1.37's -rf json output, trimmed to the fields vitbench reads and a few more. */
    static final String JSON = """
            [ {
                "jmhVersion" : "1.37",
                "benchmark" : "org.vitbench.benchmarks.MethodBenchmark.explain",
                "mode" : "avgt", "threads" : 1, "forks" : 1, "measurementIterations" : 5,
                "params" : { "method" : "attention-rollout<b>" },
                "primaryMetric" : { "score" : 1.25, "scoreError" : 0.05, "scoreUnit" : "ms/op",
                    "rawData" : [ [ 1.2, 1.3 ] ] },
                "secondaryMetrics" : { }
            }, {
                "benchmark" : "org.vitbench.benchmarks.ForwardBenchmark.forward",
                "mode" : "thrpt", "forks" : 1, "measurementIterations" : 3,
                "primaryMetric" : { "score" : 812.5, "scoreError" : "NaN", "scoreUnit" : "ops/s" }
            } ]
            """;

    @TempDir
    Path dir;

    @Test
    void readsBenchmarksParametersScoresAndUnits() throws Exception {
        Path file = dir.resolve("jmh.json");
        Files.writeString(file, JSON);

        List<JmhResults.Result> results = JmhResults.read(file);

        assertEquals(2, results.size());
        JmhResults.Result first = results.get(0);
        assertEquals("MethodBenchmark.explain", first.benchmark());
        assertEquals(Map.of("method", "attention-rollout<b>"), first.params());
        assertEquals("avgt", first.mode());
        assertEquals(1.25, first.score());
        assertEquals(0.05, first.error());
        assertEquals("ms/op", first.unit());
        assertEquals(5, first.iterations());
        assertTrue(Double.isNaN(results.get(1).error()), "a NaN error stays NaN");
    }

    @Test
    void theReportShowsThemEscaped() throws Exception {
        Path file = dir.resolve("jmh.json");
        Files.writeString(file, JSON);
        ReportData data = Fixtures.report().withBenchmarks(JmhResults.read(file));

        String html = HtmlReport.render(data);

        assertTrue(html.contains("JMH benchmarks"), "a JMH table");
        assertTrue(html.contains("MethodBenchmark.explain"));
        assertTrue(html.contains("method=attention-rollout&lt;b&gt;"), "parameters are escaped");
        assertTrue(html.contains("ms/op"));
    }

    @Test
    void otherJsonIsRefusedWithWhatToPass() throws Exception {
        Path file = dir.resolve("not-jmh.json");
        Files.writeString(file, "{\"a\": 1}");
        ConfigurationException e = assertThrows(ConfigurationException.class, () -> JmhResults.read(file));
        assertTrue(e.getMessage().contains("-rf json"), e.getMessage());
        Files.writeString(file, "[{\"benchmark\": \"x\"}]");
        e = assertThrows(ConfigurationException.class, () -> JmhResults.read(file));
        assertTrue(e.getMessage().contains("primaryMetric.score"), e.getMessage());
    }
}
