package org.vitbench.reports;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;
import org.vitbench.api.AtomicFiles;

/**
 * The run as Allure 2 results, so CI systems show explainer quality next to unit tests: each
 * method x metric cell is one test case ({@code <uuid>-result.json}) named "method × metric", in
 * suite = metric and sub-suite = method under parent suite "vitbench", with the score, its 95%
 * interval, n, rank, direction, the p-value against the best and (when a gate set one) the
 * threshold as parameters, the cell's mean curve as an SVG attachment, and the run's metadata as
 * {@code environment.properties}. Status: {@code broken} when every sample of the cell failed,
 * {@code failed} when a gate says the cell regressed, else {@code passed}. The historyId is a hash of
 * the method and the metric spec, so Allure's history follows a cell across runs. Format: Allure's
 * "test result file" documentation.
 */
public final class AllureResults {

    /** Where the results go inside a run directory. */
    public static final String DIR = "allure-results";

    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    private AllureResults() {
    }

    /**
     * A gate's word on one cell.
     *
     * @param threshold the threshold the score was held to, as text (for example {@code <= 0.3960})
     * @param failed whether the cell missed it
     * @param message why, shown as the failure message
     */
    public record Verdict(String threshold, boolean failed, String message) {
        public Verdict {
            Objects.requireNonNull(threshold, "threshold");
            Objects.requireNonNull(message, "message");
        }
    }

    /** The key of a cell in the verdict map: method label and metric label. */
    public static String key(String method, String metric) {
        return method + '\u0000' + metric;
    }

    /**
     * Writes the results of {@code data} into {@code dir} (created if needed; result and attachment
     * files already there, from an earlier rendering of the run, are replaced; other files are kept).
     *
     * @param verdicts gate verdicts by {@link #key}; cells without one carry no threshold
     * @param start start of the run, epoch milliseconds
     * @param stop end of the run, epoch milliseconds
     * @return the files written
     */
    public static List<Path> write(ReportData data, Path dir, Map<String, Verdict> verdicts, long start, long stop) {
        return write(data, Gallery.EMPTY, dir, verdicts, start, stop);
    }

    /** As {@link #write(ReportData, Path, Map, long, long)}, with each method's gallery heatmaps attached to its cells. */
    public static List<Path> write(ReportData data, Gallery gallery, Path dir, Map<String, Verdict> verdicts, long start,
            long stop) {
        List<Path> written = new ArrayList<>();
        try {
            Files.createDirectories(dir);
            // the folder holds one run's results: those of an earlier rendering are replaced, not added to
            try (var old = Files.list(dir)) {
                for (Path f : old.toList()) {
                    String name = f.getFileName().toString();
                    if (name.endsWith("-result.json") || name.contains("-attachment.")) {
                        Files.delete(f);
                    }
                }
            }
            for (ReportData.Row row : data.rows()) {
                String historyId = md5(row.method() + '\u0000' + row.spec());
                // one result per cell and run: the id is fixed by the cell and the run's end
                String uuid = UUID.nameUUIDFromBytes((historyId + '@' + stop).getBytes(StandardCharsets.UTF_8)).toString();
                Verdict verdict = verdicts.get(key(row.method(), row.metric()));
                ObjectNode r = JSON.createObjectNode();
                r.put("uuid", uuid);
                r.put("historyId", historyId);
                r.put("testCaseId", historyId);
                r.put("name", row.method() + " \u00d7 " + row.metric());
                r.put("fullName", "vitbench." + row.metric() + "." + row.method());
                String status = row.n() == 0 ? "broken" : verdict != null && verdict.failed() ? "failed" : "passed";
                r.put("status", status);
                String message = row.n() == 0 ? "every sample failed (" + row.failed() + "); see the report's failed cells"
                        : verdict != null ? verdict.message() : null;
                if (message != null) {
                    r.putObject("statusDetails").put("message", message);
                }
                r.put("stage", "finished");
                r.put("description", "Metric spec: " + row.spec() + " (hash " + row.specHash() + ")");
                r.put("start", start);
                r.put("stop", stop);
                ArrayNode labels = r.putArray("labels");
                label(labels, "parentSuite", "vitbench");
                label(labels, "suite", row.metric());
                label(labels, "subSuite", row.method());
                label(labels, "feature", row.metric());
                label(labels, "framework", "vitbench");
                ArrayNode params = r.putArray("parameters");
                param(params, "mean", Html.number(row.mean()));
                param(params, "95% CI", "[" + Html.number(row.low()) + ", " + Html.number(row.high()) + "]");
                param(params, "n", Integer.toString(row.n()));
                param(params, "failed", Integer.toString(row.failed()));
                param(params, "rank", Integer.toString(row.rank()));
                param(params, "direction", SummaryJson.direction(row));
                param(params, "p vs best (Holm)", Html.number(row.pVsBest()));
                if (verdict != null) {
                    param(params, "threshold", verdict.threshold());
                }
                ArrayNode attachments = r.putArray("attachments");
                for (ReportData.Curve c : data.curves()) {
                    if (c.method().equals(row.method()) && c.metric().equals(row.metric())) {
                        String svg = CurveChart.standalone(c.metric(), List.of(c), "curve x (as reported by the metric)",
                                "mean " + c.metric());
                        if (svg != null) {
                            String source = uuid + "-attachment.svg";
                            AtomicFiles.writeString(dir.resolve(source), svg);
                            written.add(dir.resolve(source));
                            attachments.addObject().put("name", "mean curve").put("source", source)
                                    .put("type", "image/svg+xml");
                        }
                    }
                }
                int shown = gallery.methods().indexOf(row.method());
                for (int i = 0; shown >= 0 && i < gallery.samples().size(); i++) {
                    if (gallery.cells()[shown][i] != null) {
                        String source = uuid + "-heatmap-" + i + "-attachment.png";
                        AtomicFiles.write(dir.resolve(source), gallery.cells()[shown][i]);
                        written.add(dir.resolve(source));
                        attachments.addObject().put("name", "heatmap: " + gallery.samples().get(i)).put("source", source)
                                .put("type", "image/png");
                    }
                }
                Path file = dir.resolve(uuid + "-result.json");
                AtomicFiles.writeString(file, JSON.writeValueAsString(r));
                written.add(file);
            }
            StringBuilder env = new StringBuilder();
            data.metadata().forEach((k, v) -> {
                if (!k.equals("config")) {
                    env.append(property(k).replace(" ", "\\ ")).append('=').append(property(v)).append('\n');
                }
            });
            Path envFile = dir.resolve("environment.properties");
            AtomicFiles.writeString(envFile, env);
            written.add(envFile);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write Allure results into " + dir + ": " + e.getMessage(), e);
        }
        return written;
    }

    private static void label(ArrayNode labels, String name, String value) {
        labels.addObject().put("name", name).put("value", value);
    }

    private static void param(ArrayNode params, String name, String value) {
        params.addObject().put("name", name).put("value", value);
    }

    /** A java.util.Properties-safe text: backslashes, separators and line breaks escaped. */
    static String property(String text) {
        return text.replace("\\", "\\\\").replace("\n", "\\n").replace("\r", "\\r").replace("=", "\\=")
                .replace(":", "\\:");
    }

    private static String md5(String text) {
        try {
            // Allure's own adapters hash with MD5 too; it names, it does not protect
            return HexFormat.of().formatHex(MessageDigest.getInstance("MD5").digest(text.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("MD5 is required of every Java platform", e);
        }
    }
}
