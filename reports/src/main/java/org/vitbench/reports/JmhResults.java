package org.vitbench.reports;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.vitbench.api.ConfigurationException;

/**
 * Results of a JMH run ({@code -rf json}), for the report's runtime section: one entry per
 * benchmark and parameter combination with its primary score, the score's 99.9% error as JMH
 * reports it, and the unit.
 */
public final class JmhResults {

    /**
     * One JMH result.
     *
     * @param benchmark the benchmark method without the package, e.g. {@code MethodBenchmark.explain}
     * @param params its {@code @Param} values
     * @param mode JMH mode ({@code avgt}, {@code thrpt}, ...)
     * @param score the primary metric's score
     * @param error its error (NaN when JMH gave none)
     * @param unit the score's unit, e.g. {@code ms/op}
     * @param forks forks run
     * @param iterations measured iterations per fork
     */
    public record Result(String benchmark, Map<String, String> params, String mode, double score, double error,
            String unit, int forks, int iterations) {

        public Result {
            params = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(params));
        }
    }

    private JmhResults() {
    }

    /** Reads a JMH JSON result file. */
    public static List<Result> read(Path file) {
        JsonNode root;
        try {
            root = new ObjectMapper().readTree(file.toFile());
        } catch (IOException e) {
            throw new ConfigurationException("cannot read JMH results " + file + ": " + e.getMessage()
                    + "; pass the file JMH wrote with -rf json -rff FILE", e);
        }
        return parse(root, file.toString());
    }

    static List<Result> parse(JsonNode root, String source) {
        if (root == null || !root.isArray()) {
            throw new ConfigurationException("JMH results " + source + " are not a JSON array of benchmarks; pass "
                    + "the file JMH wrote with -rf json -rff FILE");
        }
        List<Result> out = new ArrayList<>();
        for (JsonNode b : root) {
            JsonNode primary = b.get("primaryMetric");
            if (!b.hasNonNull("benchmark") || primary == null || !primary.has("score")) {
                throw new ConfigurationException("JMH results " + source + " hold an entry without 'benchmark' and "
                        + "'primaryMetric.score'; is this a JMH JSON result file?");
            }
            String name = b.get("benchmark").asText();
            int dot = name.lastIndexOf('.', name.lastIndexOf('.') - 1);
            Map<String, String> params = new LinkedHashMap<>();
            JsonNode p = b.get("params");
            if (p != null) {
                for (Iterator<Map.Entry<String, JsonNode>> it = p.fields(); it.hasNext();) {
                    Map.Entry<String, JsonNode> e = it.next();
                    params.put(e.getKey(), e.getValue().asText());
                }
            }
            double error = primary.path("scoreError").isNumber() ? primary.get("scoreError").asDouble() : Double.NaN;
            out.add(new Result(name.substring(dot + 1), params, b.path("mode").asText(""),
                    primary.get("score").asDouble(), error, primary.path("scoreUnit").asText(""),
                    b.path("forks").asInt(0), b.path("measurementIterations").asInt(0)));
        }
        return out;
    }
}
