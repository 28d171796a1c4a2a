package org.vitbench.reports;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Map;

/**
 * The leaderboard for publishing ({@code leaderboard.json}, schema {@value #SCHEMA}, described by
 * {@code leaderboard.schema.json} in this package): the protocol (everything that fixes how methods
 * are scored: model, evaluation model, data, sample count, metric specs, seed) with its hash, and
 * one entry per method x metric with mean, 95% interval, n, rank, the Holm-adjusted p-value against
 * the best, and where the method's results come from (run, machine, commit, date). Leaderboards
 * merge only under one protocol hash.
 */
public final class LeaderboardJson {

    /** The schema id and version. */
    public static final String SCHEMA = "vitbench-leaderboard/1";

    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    private LeaderboardJson() {
    }

    /**
     * @param protocolHash the protocol's hash
     * @param protocol the protocol as canonical YAML
     * @param provenance per method label, where its results come from (run, host, commit, finished)
     */
    public static String render(ReportData data, String protocolHash, String protocol,
            Map<String, Map<String, String>> provenance) {
        ObjectNode root = JSON.createObjectNode();
        root.put("schema", SCHEMA);
        root.put("protocolHash", protocolHash);
        root.put("protocol", protocol);
        ArrayNode entries = root.putArray("entries");
        for (ReportData.Row r : data.rows()) {
            ObjectNode e = entries.addObject();
            e.put("method", r.method());
            e.put("metric", r.metric());
            e.put("metricSpec", r.spec());
            e.put("specHash", r.specHash());
            e.put("direction", SummaryJson.direction(r));
            number(e, "mean", r.mean());
            number(e, "ciLow", r.low());
            number(e, "ciHigh", r.high());
            e.put("n", r.n());
            e.put("failed", r.failed());
            if (r.rank() > 0) {
                e.put("rank", r.rank());
            } else {
                e.putNull("rank");
            }
            number(e, "pVsBest", r.pVsBest());
            ObjectNode source = e.putObject("source");
            provenance.getOrDefault(r.method(), Map.of()).forEach(source::put);
        }
        try {
            return JSON.writeValueAsString(root) + "\n";
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a tree of plain values always serialises", e);
        }
    }

    private static void number(ObjectNode o, String key, double v) {
        if (Double.isFinite(v)) {
            o.put(key, v);
        } else {
            o.putNull(key);
        }
    }
}
