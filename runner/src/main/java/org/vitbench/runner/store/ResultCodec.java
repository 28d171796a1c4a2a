package org.vitbench.runner.store;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Iterator;
import java.util.Map;
import java.util.TreeMap;
import org.vitbench.api.ResultRecord;

/**
 * One {@link ResultRecord} as one line of JSON. NaN is written as {@code null} (JSON has no NaN);
 * absent curves and errors are left out. Field order is fixed, so equal records give equal lines.
 */
public final class ResultCodec {

    private static final ObjectMapper JSON = new ObjectMapper();

    private ResultCodec() {
    }

    /** The record as JSON without a line break. */
    public static String encode(ResultRecord r) {
        ObjectNode o = JSON.createObjectNode();
        o.put("config", r.configHash());
        o.put("sample", r.sampleId());
        o.put("label", r.label());
        o.put("target", r.target());
        o.put("method", r.methodId());
        ObjectNode params = o.putObject("methodParams");
        r.methodParameters().forEach(params::put);
        o.put("metric", r.metricId());
        o.put("spec", r.metricSpec());
        o.put("specHash", r.specHash());
        o.put("status", r.status().id());
        number(o, "score", r.score());
        if (r.error() != null) {
            o.put("error", r.error());
        }
        number(o, "explainSeconds", r.explainSeconds());
        number(o, "metricSeconds", r.metricSeconds());
        if (r.curve() != null) {
            o.set("curveX", array(r.curveX()));
            o.set("curve", array(r.curve()));
        }
        try {
            return JSON.writeValueAsString(o);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a tree of plain values always serialises", e);
        }
    }

    /**
     * Parses one line.
     *
     * @throws IllegalArgumentException naming the missing or malformed field
     */
    static ResultRecord decode(String line) {
        JsonNode o;
        try {
            o = JSON.readTree(line);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("not JSON: " + e.getOriginalMessage(), e);
        }
        if (o == null || !o.isObject()) {
            throw new IllegalArgumentException("not a JSON object");
        }
        Map<String, String> params = new TreeMap<>();
        JsonNode p = required(o, "methodParams");
        for (Iterator<Map.Entry<String, JsonNode>> it = p.fields(); it.hasNext();) {
            Map.Entry<String, JsonNode> e = it.next();
            params.put(e.getKey(), e.getValue().asText());
        }
        double[] curve = o.has("curve") ? doubles(o.get("curve")) : null;
        double[] curveX = o.has("curveX") ? doubles(o.get("curveX")) : null;
        String error = o.hasNonNull("error") ? o.get("error").asText() : null;
        return new ResultRecord(text(o, "config"), text(o, "sample"), required(o, "label").asInt(),
                required(o, "target").asInt(), text(o, "method"), new TreeMap<>(params), text(o, "metric"),
                text(o, "spec"), text(o, "specHash"), ResultRecord.Status.parse(text(o, "status")),
                number(required(o, "score")), curve, curveX, error, number(required(o, "explainSeconds")),
                number(required(o, "metricSeconds")));
    }

    private static JsonNode required(JsonNode o, String field) {
        JsonNode v = o.get(field);
        if (v == null) {
            throw new IllegalArgumentException("missing field '" + field + "'");
        }
        return v;
    }

    private static String text(JsonNode o, String field) {
        JsonNode v = required(o, field);
        if (!v.isTextual()) {
            throw new IllegalArgumentException("field '" + field + "' is not a string");
        }
        return v.asText();
    }

    private static double number(JsonNode v) {
        return v.isNull() ? Double.NaN : v.asDouble();
    }

    private static double[] doubles(JsonNode a) {
        double[] out = new double[a.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = number(a.get(i));
        }
        return out;
    }

    private static void number(ObjectNode o, String key, double v) {
        if (Double.isFinite(v)) {
            o.put(key, v);
        } else {
            o.putNull(key);
        }
    }

    private static ArrayNode array(double[] values) {
        ArrayNode a = JSON.createArrayNode();
        for (double v : values) {
            if (Double.isFinite(v)) {
                a.add(v);
            } else {
                a.addNull();
            }
        }
        return a;
    }
}
