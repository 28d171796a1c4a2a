package org.vitbench.reports;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.InputStream;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** leaderboard.json against its golden file and the required fields its JSON schema lists. */
class LeaderboardJsonTest {

    private static final String JSON = LeaderboardJson.render(Fixtures.report(), "0123456789abcdef",
            "model: \"embedded\"\nlimit: 4\n", Map.of("random", new java.util.TreeMap<>(Map.of("run", "runs/a", "finished", "2026-01-01T00:00:00Z"))));

    @Test
    void theFixtureRendersAsItsGoldenFile() throws Exception {
        Golden.check("leaderboard.json", JSON);
    }

    @Test
    void everyFieldTheSchemaRequiresIsThere() throws Exception {
        ObjectMapper mapper = new ObjectMapper();
        JsonNode schema;
        try (InputStream in = LeaderboardJson.class.getResourceAsStream("leaderboard.schema.json")) {
            schema = mapper.readTree(in);
        }
        JsonNode doc = mapper.readTree(JSON);
        assertEquals(schema.get("properties").get("schema").get("const").asText(), doc.get("schema").asText());
        schema.get("required").forEach(f -> assertTrue(doc.has(f.asText()), f.asText()));
        JsonNode item = schema.get("properties").get("entries").get("items");
        for (JsonNode e : doc.get("entries")) {
            item.get("required").forEach(f -> assertTrue(e.has(f.asText()), f.asText() + " in " + e));
            assertTrue(e.get("n").isInt());
        }
        assertEquals("runs/a", doc.get("entries").get(2).get("source").get("run").asText());
    }
}
