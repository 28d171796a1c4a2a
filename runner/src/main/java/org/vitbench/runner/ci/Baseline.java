package org.vitbench.runner.ci;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.SortedMap;
import java.util.TreeMap;
import org.vitbench.api.AtomicFiles;
import org.vitbench.api.Averages;
import org.vitbench.api.ConfigurationException;
import org.vitbench.api.Direction;
import org.vitbench.api.MethodSpec;
import org.vitbench.api.ResultRecord;
import org.vitbench.runner.store.RunManifest;
import org.vitbench.runner.summary.Aggregator;

/**
 * The reference scores of a CI regression gate: per method x metric cell, the mean, the
 * per-sample scores and the tolerance that {@link Comparison} applies. Written from a run with
 * {@code vitbench compare --write-baseline FILE} and stored as JSON with schema
 * {@value #SCHEMA}; cells are keyed by the method's canonical spec and the metric's spec hash, so
 * the labels may change without breaking a baseline.
 *
 * @param configHash the config hash of the run the baseline was taken from
 * @param defaults the tolerance given to cells that were new when the baseline was written (the
 *     command-line {@code --tolerance}, {@code --paired}, {@code --alpha}); a refresh without those
 *     options gives new cells these again
 * @param cells one per method x metric, in run order
 */
public record Baseline(String configHash, Tolerance defaults, List<Cell> cells) {

    static final String SCHEMA = "vitbench-baseline/1";

    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    public Baseline {
        Objects.requireNonNull(configHash, "configHash");
        Objects.requireNonNull(defaults, "defaults");
        cells = List.copyOf(cells);
    }

    /** How much worse a cell may get before it is a regression. */
    public enum Rule {
        /** Worse by more than {@code margin} on the mean. */
        MARGIN("margin"),
        /**
         * Worse by more than {@code margin} on the mean and significantly worse by a one-sided
         * Wilcoxon signed-rank test on the samples both scored (Holm-adjusted over the paired cells).
         */
        PAIRED("paired");

        final String id;

        Rule(String id) {
            this.id = id;
        }

        static Rule parse(String id, String where) {
            for (Rule r : values()) {
                if (r.id.equals(id)) {
                    return r;
                }
            }
            throw new ConfigurationException(where + ": unknown rule '" + id + "'; allowed: margin, paired");
        }
    }

    /**
     * A cell's tolerance.
     *
     * @param rule margin only, or margin and a paired test
     * @param margin how much worse the mean may get, in the metric's units, 0 or more
     * @param alpha significance level of the paired test, in (0, 1)
     */
    public record Tolerance(Rule rule, double margin, double alpha) {

        /** Margin 0.02: about a tenth of the spread between good and random methods on AUC metrics. */
        public static final Tolerance DEFAULT = new Tolerance(Rule.MARGIN, 0.02, 0.05);

        public Tolerance {
            Objects.requireNonNull(rule, "rule");
            if (!(margin >= 0) || Double.isInfinite(margin)) {
                throw new ConfigurationException("tolerance margin must be a finite number >= 0, got " + margin);
            }
            if (!(alpha > 0 && alpha < 1)) {
                throw new ConfigurationException("tolerance alpha must be in (0, 1), got " + alpha);
            }
        }

        /** For tables: {@code ±0.02} or {@code ±0.02 & p<0.05}. */
        String describe() {
            String m = "\u00b1" + Comparison.format(margin);
            return rule == Rule.PAIRED ? m + " & p<" + Comparison.format(alpha) : m;
        }
    }

    /**
     * The reference of one method x metric.
     *
     * @param method the method's canonical spec ({@code id:k=v,...})
     * @param metric the metric's label in the run it came from
     * @param specHash the metric's spec hash
     * @param direction which scores are better
     * @param mean mean of the scored samples
     * @param failed samples that failed
     * @param tolerance how much worse it may get
     * @param scores per-sample scores by sample id
     */
    public record Cell(MethodSpec method, String metric, String specHash, Direction direction, double mean, int failed,
            Tolerance tolerance, SortedMap<String, Double> scores) {

        public Cell {
            Objects.requireNonNull(method, "method");
            Objects.requireNonNull(metric, "metric");
            Objects.requireNonNull(specHash, "specHash");
            Objects.requireNonNull(direction, "direction");
            Objects.requireNonNull(tolerance, "tolerance");
            scores = new TreeMap<>(scores);
        }

        /** The run's cell this baseline cell is about. */
        ResultRecord.Cell key() {
            return new ResultRecord.Cell(method, specHash);
        }
    }

    /**
     * The baseline of a run's records, every cell with {@code tolerance}; cells of {@code previous}
     * (when not null) keep their own tolerances, so refreshing a baseline keeps hand-tuned ones.
     */
    public static Baseline of(List<ResultRecord> records, RunManifest manifest, Tolerance tolerance, Baseline previous) {
        Map<String, String> metricLabels = Aggregator.metricLabels(records);
        Map<ResultRecord.Cell, List<ResultRecord>> byCell = new LinkedHashMap<>();
        for (ResultRecord r : records) {
            byCell.computeIfAbsent(r.cell(), k -> new ArrayList<>()).add(r);
        }
        if (byCell.isEmpty()) {
            throw new ConfigurationException("the run has no results of config " + manifest.configHash()
                    + ", and a baseline without cells would pass every run; write the baseline from a finished run");
        }
        Map<ResultRecord.Cell, Tolerance> kept = new LinkedHashMap<>();
        if (previous != null) {
            previous.cells().forEach(c -> kept.put(c.key(), c.tolerance()));
        }
        List<Cell> cells = new ArrayList<>();
        for (Map.Entry<ResultRecord.Cell, List<ResultRecord>> e : byCell.entrySet()) {
            ResultRecord first = e.getValue().get(0);
            SortedMap<String, Double> scores = Comparison.okScores(e.getValue());
            int failed = e.getValue().size() - scores.size();
            Direction direction = manifest.directions().get(first.specHash());
            if (direction == null) {
                throw new ConfigurationException("run.json has no direction for metric spec " + first.metricSpec()
                        + "; the results and run.json come from different runs");
            }
            cells.add(new Cell(first.method(), metricLabels.get(first.specHash()), first.specHash(), direction,
                    Averages.mean(scores.values()), failed, kept.getOrDefault(e.getKey(), tolerance), scores));
        }
        return new Baseline(manifest.configHash(), tolerance, cells);
    }

    /** Writes the baseline as JSON: to a temporary file beside {@code file}, then moved over it. */
    public void write(Path file) {
        ObjectNode root = JSON.createObjectNode();
        root.put("schema", SCHEMA);
        root.put("configHash", configHash);
        tolerance(root.putObject("defaults"), defaults);
        ArrayNode array = root.putArray("cells");
        for (Cell c : cells) {
            ObjectNode n = array.addObject();
            n.put("method", c.method().canonical());
            n.put("metric", c.metric());
            n.put("specHash", c.specHash());
            n.put("direction", RunManifest.directionId(c.direction()));
            n.put("mean", c.mean());
            n.put("n", c.scores().size());
            n.put("failed", c.failed());
            tolerance(n.putObject("tolerance"), c.tolerance());
            ObjectNode s = n.putObject("scores");
            c.scores().forEach(s::put);
        }
        try {
            AtomicFiles.writeString(file, JSON.writeValueAsString(root) + "\n");
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write baseline " + file + ": " + e.getMessage(), e);
        }
    }

    private static void tolerance(ObjectNode node, Tolerance t) {
        node.put("rule", t.rule().id);
        node.put("margin", t.margin());
        node.put("alpha", t.alpha());
    }

    /**
     * Reads a baseline file.
     *
     * @throws ConfigurationException when the file is missing, is not JSON, has another schema, or
     *     a field is missing or invalid (the message names the field)
     */
    public static Baseline read(Path file) {
        JsonNode root;
        try {
            root = JSON.readTree(file.toFile());
        } catch (NoSuchFileException | java.io.FileNotFoundException e) {
            throw new ConfigurationException("baseline " + file + " does not exist; write one from a run with "
                    + "vitbench compare --run DIR --write-baseline " + file);
        } catch (IOException e) {
            throw new ConfigurationException("baseline " + file + " is not valid JSON: " + e.getMessage());
        }
        String where = "baseline " + file;
        if (root == null || !root.isObject()) {
            throw new ConfigurationException(where + " is not a JSON object");
        }
        String schema = text(root, "schema", where);
        if (!SCHEMA.equals(schema)) {
            throw new ConfigurationException(where + ": field 'schema' is '" + schema + "'; this vitbench reads "
                    + SCHEMA);
        }
        String configHash = text(root, "configHash", where);
        Tolerance defaults = tolerance(root, "defaults", where);
        JsonNode array = root.get("cells");
        if (array == null || !array.isArray()) {
            throw new ConfigurationException(where + ": field 'cells' is missing or not an array");
        }
        if (array.isEmpty()) {
            throw new ConfigurationException(where + " has no cells, so every run would pass it; write it again from a "
                    + "run with results: vitbench compare --run DIR --write-baseline " + file);
        }
        List<Cell> cells = new ArrayList<>();
        Map<ResultRecord.Cell, Integer> seen = new java.util.HashMap<>();
        for (int i = 0; i < array.size(); i++) {
            Cell c = cell(array.get(i), where + ", cells[" + i + "]");
            Integer first = seen.putIfAbsent(c.key(), i);
            if (first != null) {
                // a repeated cell would be reported as missing from the run: a false regression
                throw new ConfigurationException(where + ": cells[" + i + "] repeats cells[" + first + "] (method "
                        + c.method() + ", metric " + c.metric() + "); keep one of them");
            }
            cells.add(c);
        }
        return new Baseline(configHash, defaults, cells);
    }

    private static Cell cell(JsonNode n, String where) {
        if (!n.isObject()) {
            throw new ConfigurationException(where + " is not an object");
        }
        Tolerance tolerance = tolerance(n, "tolerance", where);
        JsonNode s = n.get("scores");
        if (s == null || !s.isObject()) {
            throw new ConfigurationException(where + ": field 'scores' is missing or not an object");
        }
        SortedMap<String, Double> scores = new TreeMap<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = s.fields(); it.hasNext();) {
            Map.Entry<String, JsonNode> e = it.next();
            if (!e.getValue().isNumber()) {
                throw new ConfigurationException(where + ": scores." + e.getKey() + " is not a number");
            }
            scores.put(e.getKey(), e.getValue().doubleValue());
        }
        String direction = text(n, "direction", where);
        int failed = count(n, "failed", where);
        if (n.has("n") && count(n, "n", where) != scores.size()) {
            throw new ConfigurationException(where + ": field 'n' is " + n.get("n") + " but 'scores' holds "
                    + scores.size() + "; write the baseline again from a run");
        }
        return new Cell(methodSpec(text(n, "method", where), where), text(n, "metric", where), text(n, "specHash", where),
                RunManifest.parseDirection(direction, where + ".direction"), number(n, "mean", where),
                failed, tolerance, scores);
    }

    /** The method spec in a cell's text, refused with its place when malformed. */
    private static MethodSpec methodSpec(String text, String where) {
        try {
            return MethodSpec.parse(text);
        } catch (ConfigurationException e) {
            throw new ConfigurationException(where + ".method: " + e.getMessage(), e);
        }
    }

    /** The tolerance object in field {@code field} of {@code n}. */
    private static Tolerance tolerance(JsonNode n, String field, String where) {
        JsonNode t = n.get(field);
        if (t == null || !t.isObject()) {
            throw new ConfigurationException(where + ": field '" + field + "' is missing or not an object");
        }
        String at = where + "." + field;
        try {
            return new Tolerance(Rule.parse(text(t, "rule", at), at + ".rule"), number(t, "margin", at),
                    number(t, "alpha", at));
        } catch (ConfigurationException e) {
            throw e.getMessage().startsWith(where) ? e : new ConfigurationException(at + ": " + e.getMessage());
        }
    }

    private static String text(JsonNode n, String field, String where) {
        JsonNode v = n.get(field);
        if (v == null || !v.isTextual() || v.asText().isEmpty()) {
            throw new ConfigurationException(where + ": field '" + field + "' is missing or not a non-empty string");
        }
        return v.asText();
    }

    private static int count(JsonNode n, String field, String where) {
        JsonNode v = n.get(field);
        if (v == null || !v.canConvertToInt() || !v.isIntegralNumber() || v.intValue() < 0) {
            throw new ConfigurationException(where + ": field '" + field + "' is missing or not a count (a whole "
                    + "number >= 0)");
        }
        return v.intValue();
    }

    private static double number(JsonNode n, String field, String where) {
        JsonNode v = n.get(field);
        if (v == null || !v.isNumber()) {
            throw new ConfigurationException(where + ": field '" + field + "' is missing or not a number");
        }
        return v.doubleValue();
    }
}
