package org.vitbench.reports;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.util.DefaultIndenter;
import com.fasterxml.jackson.core.util.DefaultPrettyPrinter;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Locale;

/**
 * The machine-readable summary ({@code summary.json}): metadata, leaderboard rows, mean curves,
 * failures, the pairs skipped as not applicable, and timings. NaN becomes {@code null} (JSON has no NaN). Field order is fixed and line
 * breaks are {@code \n} on every platform, so the output can be sealed by a golden file.
 */
public final class SummaryJson {

    /** Bumped when the layout of the summary changes incompatibly. */
    public static final int FORMAT_VERSION = 1;

    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    private SummaryJson() {
    }

    /** The summary as pretty-printed JSON, ending with a line break. */
    public static String render(ReportData data) {
        ObjectNode root = NODES.objectNode();
        root.put("format", "vitbench-summary");
        root.put("version", FORMAT_VERSION);
        root.put("title", data.title());
        ObjectNode metadata = root.putObject("metadata");
        data.metadata().forEach(metadata::put);
        ArrayNode rows = root.putArray("leaderboard");
        for (ReportData.Row r : data.rows()) {
            ObjectNode o = rows.addObject();
            o.put("method", r.method());
            o.put("metric", r.metric());
            o.put("spec", r.spec());
            o.put("specHash", r.specHash());
            o.put("direction", direction(r));
            number(o, "mean", r.mean());
            number(o, "ciLow", r.low());
            number(o, "ciHigh", r.high());
            o.put("n", r.n());
            o.put("failed", r.failed());
            if (!Double.isNaN(r.pVsBest())) {
                number(o, "pVsBest", r.pVsBest());
                number(o, "effectVsBest", r.effectVsBest());
            }
            if (r.rank() > 0) {
                o.put("rank", r.rank());
            } else {
                o.putNull("rank");
            }
        }
        ArrayNode curves = root.putArray("curves");
        for (ReportData.Curve c : data.curves()) {
            ObjectNode o = curves.addObject();
            o.put("method", c.method());
            o.put("metric", c.metric());
            o.put("n", c.n());
            o.set("x", array(c.x()));
            o.set("mean", array(c.mean()));
            o.set("ciLow", array(c.low()));
            o.set("ciHigh", array(c.high()));
        }
        ArrayNode failures = root.putArray("failures");
        for (ReportData.Failure f : data.failures()) {
            ObjectNode o = failures.addObject();
            o.put("method", f.method());
            o.put("metric", f.metric());
            o.put("count", f.count());
            o.put("reason", f.reason());
            o.put("exampleSample", f.exampleSample());
        }
        ArrayNode skipped = root.putArray("skipped");
        for (ReportData.Skip k : data.skipped()) {
            skipped.addObject().put("method", k.method()).put("metric", k.metric()).put("reason", k.reason());
        }
        ArrayNode timings = root.putArray("timings");
        for (ReportData.Timing t : data.timings()) {
            ObjectNode o = timings.addObject();
            o.put("component", t.component());
            o.put("stage", t.stage());
            number(o, "meanSeconds", t.meanSeconds());
            number(o, "sdSeconds", t.sdSeconds());
            o.put("n", t.n());
        }
        DefaultPrettyPrinter printer = new DefaultPrettyPrinter()
                .withObjectIndenter(new DefaultIndenter("  ", "\n"));
        try {
            return MAPPER.writer(printer).writeValueAsString(root) + "\n";
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a tree of plain values always serialises", e);
        }
    }

    static String direction(ReportData.Row r) {
        return r.direction().name().toLowerCase(Locale.ROOT).replace('_', '-');
    }

    private static void number(ObjectNode o, String key, double v) {
        if (Double.isFinite(v)) {
            o.put(key, v);
        } else {
            o.putNull(key);
        }
    }

    private static ArrayNode array(double[] values) {
        ArrayNode a = NODES.arrayNode(values.length);
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
