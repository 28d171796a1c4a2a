package org.vitbench.reports;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

class MachineReadableTest {

    @Test
    void summaryMatchesTheGoldenFile() throws Exception {
        Golden.check("summary.json", SummaryJson.render(Fixtures.report()));
    }

    @Test
    void leaderboardMatchesTheGoldenFile() throws Exception {
        Golden.check("leaderboard.csv", LeaderboardCsv.render(Fixtures.report()));
    }

    @Test
    void summaryIsValidJsonWithNullForNaN() throws Exception {
        JsonNode root = new ObjectMapper().readTree(SummaryJson.render(Fixtures.report()));

        assertEquals(5, root.get("leaderboard").size());
        JsonNode empty = root.get("leaderboard").get(4);
        assertEquals("kernel-shap:budget=64", empty.get("method").asText());
        assertTrue(empty.get("mean").isNull());
        assertTrue(empty.get("rank").isNull());
        assertEquals(1, root.get("leaderboard").get(0).get("rank").asInt());
        assertEquals("lower-is-better", root.get("leaderboard").get(0).get("direction").asText());
        assertEquals(0.3, root.get("curves").get(0).get("mean").get(1).asDouble(), 0.0);
        assertEquals("0123456789abcdef", root.get("metadata").get("config hash").asText());
    }

    @Test
    void csvHasOneLinePerRowAndEmptyFieldsForNaN() {
        String[] lines = LeaderboardCsv.render(Fixtures.report()).split("\n");

        assertEquals(6, lines.length);
        assertEquals(LeaderboardCsv.HEADER, lines[0]);
        assertEquals("kernel-shap:budget=64,deletion,deletion@vit-shapley{removal=attention-mask;}v1,"
                + "a1b2c3d4e5f60718,lower-is-better,,,,0,4,", lines[5]);
    }

    @Test
    void csvQuotesFieldsThatNeedIt() {
        assertEquals("plain", LeaderboardCsv.field("plain"));
        assertEquals("\"a,b\"", LeaderboardCsv.field("a,b"));
        assertEquals("\"say \"\"hi\"\"\"", LeaderboardCsv.field("say \"hi\""));
        assertEquals("\"two\nlines\"", LeaderboardCsv.field("two\nlines"));
    }
}
