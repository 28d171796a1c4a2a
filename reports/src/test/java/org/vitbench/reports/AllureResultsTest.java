package org.vitbench.reports;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The Allure results of a report, read back as Allure reads them. */
class AllureResultsTest {

    private static final String HOSTILE = "<b>m</b>";

    @TempDir
    Path tmp;

    @Test
    void eachCellIsATestCaseWithItsScoreAsParameters() throws Exception {
        ReportData data = Fixtures.report(HOSTILE);
        Map<String, AllureResults.Verdict> verdicts = Map.of(AllureResults.key("random", "deletion"),
                new AllureResults.Verdict("<= 0.3800", true, "REGRESSION: worse by 0.0200"));
        AllureResults.write(data, tmp, verdicts, 1_000L, 2_000L);

        Map<String, JsonNode> byName = new HashMap<>();
        ObjectMapper json = new ObjectMapper();
        try (var files = Files.list(tmp)) {
            for (Path f : files.filter(p -> p.toString().endsWith("-result.json")).toList()) {
                JsonNode r = json.readTree(f.toFile());
                assertEquals(f.getFileName().toString(), r.get("uuid").asText() + "-result.json");
                byName.put(r.get("name").asText(), r);
            }
        }
        assertEquals(5, byName.size(), byName.keySet().toString());

        JsonNode best = byName.get(HOSTILE + " \u00d7 deletion");
        assertEquals("passed", best.get("status").asText());
        assertEquals("finished", best.get("stage").asText());
        assertEquals(1_000L, best.get("start").asLong());
        assertEquals(2_000L, best.get("stop").asLong());
        assertEquals("0.2100", param(best, "mean"));
        assertEquals("[0.1800, 0.2400]", param(best, "95% CI"));
        assertEquals("1", param(best, "rank"));
        assertEquals("lower-is-better", param(best, "direction"));
        assertEquals(null, param(best, "threshold"));
        assertEquals("deletion", label(best, "suite"));
        assertEquals(HOSTILE, label(best, "subSuite"));
        JsonNode attachment = best.get("attachments").get(0);
        assertEquals("image/svg+xml", attachment.get("type").asText());
        Xml.parse(Files.readString(tmp.resolve(attachment.get("source").asText())));

        JsonNode regressed = byName.get("random \u00d7 deletion");
        assertEquals("failed", regressed.get("status").asText());
        assertEquals("REGRESSION: worse by 0.0200", regressed.get("statusDetails").get("message").asText());
        assertEquals("<= 0.3800", param(regressed, "threshold"));

        JsonNode broken = byName.get("kernel-shap:budget=64 \u00d7 deletion");
        assertEquals("broken", broken.get("status").asText());
        assertTrue(broken.get("statusDetails").get("message").asText().contains("every sample failed (4)"));

        assertFalse(best.get("historyId").asText().equals(regressed.get("historyId").asText()));
        Properties env = new Properties();
        try (Reader r = Files.newBufferedReader(tmp.resolve("environment.properties"))) {
            env.load(r);
        }
        assertEquals("0123456789abcdef", env.getProperty("config hash"));
        assertEquals(null, env.getProperty("config"), "the multi-line config stays in the report");
    }

    @Test
    void aRegressedCellMatchesItsGoldenFile() throws Exception {
        // uuids are derived from the cell and the run's end, so a fixed clock gives fixed files
        AllureResults.write(Fixtures.report(), tmp, Map.of(AllureResults.key("random", "deletion"),
                new AllureResults.Verdict("<= 0.3800", true, "REGRESSION: worse by 0.0200")), 1_000L, 2_000L);
        Path regressed = null;
        try (var files = Files.list(tmp)) {
            for (Path f : files.filter(p -> p.toString().endsWith("-result.json")).toList()) {
                if (new ObjectMapper().readTree(f.toFile()).get("name").asText().equals("random \u00d7 deletion")) {
                    regressed = f;
                }
            }
        }
        assertTrue(regressed != null, "no result for random x deletion");
        Golden.check("allure-random-deletion-result.json", Files.readString(regressed));
        Golden.check("allure-environment.properties", Files.readString(tmp.resolve("environment.properties")));
    }

    @Test
    void writingTheSameRunAgainReplacesItsFiles() throws Exception {
        AllureResults.write(Fixtures.report(), tmp, Map.of(), 1_000L, 2_000L);
        List<Path> first;
        try (var files = Files.list(tmp)) {
            first = files.sorted().toList();
        }
        AllureResults.write(Fixtures.report(), tmp, Map.of(), 1_000L, 2_000L);
        try (var files = Files.list(tmp)) {
            assertEquals(first, files.sorted().toList());
        }
    }

    private static String param(JsonNode r, String name) {
        for (JsonNode p : r.get("parameters")) {
            if (p.get("name").asText().equals(name)) {
                return p.get("value").asText();
            }
        }
        return null;
    }

    private static String label(JsonNode r, String name) {
        for (JsonNode p : r.get("labels")) {
            if (p.get("name").asText().equals(name)) {
                return p.get("value").asText();
            }
        }
        return null;
    }
}
