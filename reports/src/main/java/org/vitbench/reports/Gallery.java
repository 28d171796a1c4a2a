package org.vitbench.reports;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;

/**
 * The report's heatmap gallery: a few samples explained by every method, each cell the image and
 * its heatmap overlay with the colour scale (see {@link Overlay}). A run keeps it in
 * {@code gallery/} of its directory: one PNG per method and sample ({@code m<j>-s<i>.png}) and
 * {@code index.json} with the methods, the samples' captions and each cell's scale, so a report
 * rebuilt later shows it without the model or the data.
 *
 * @param methods method labels, one row each
 * @param samples sample captions, one column each
 * @param cells {@code [method][sample]} PNG bytes, null where the method failed on the sample
 * @param legends {@code [method][sample]} the colour scale's end values, null where no PNG
 */
public record Gallery(List<String> methods, List<String> samples, byte[][][] cells, String[][] legends) {

    /** The folder inside a run directory. */
    public static final String DIR = "gallery";

    /** No gallery: the report leaves the section out. */
    public static final Gallery EMPTY = new Gallery(List.of(), List.of(), new byte[0][][], new String[0][]);

    private static final ObjectMapper JSON = new ObjectMapper();

    public Gallery {
        methods = List.copyOf(methods);
        samples = List.copyOf(samples);
        if (cells.length != methods.size() || legends.length != methods.size()) {
            throw new IllegalArgumentException("gallery: " + cells.length + " rows of cells and " + legends.length
                    + " of legends for " + methods.size() + " methods");
        }
    }

    /** The PNG file of method {@code j}, sample {@code i}, inside the gallery folder. */
    public static String file(int method, int sample) {
        return "m" + method + "-s" + sample + ".png";
    }

    /**
     * Writes {@code index.json} for PNGs already in {@code dir}: the row and column labels and the
     * legends by cell ({@code legends[j][i]}, null where the cell has no PNG).
     */
    public static void writeIndex(Path dir, List<String> methods, List<String> samples, String[][] legends) {
        ObjectNode root = JSON.createObjectNode();
        root.put("format", "vitbench-gallery");
        root.put("version", 1);
        ArrayNode m = root.putArray("methods");
        methods.forEach(m::add);
        ArrayNode s = root.putArray("samples");
        samples.forEach(s::add);
        ArrayNode l = root.putArray("legends");
        for (String[] row : legends) {
            ArrayNode r = l.addArray();
            for (String v : row) {
                r.add(v);
            }
        }
        try {
            Files.createDirectories(dir);
            Path tmp = dir.resolve("index.json.tmp");
            Files.writeString(tmp, JSON.writerWithDefaultPrettyPrinter().writeValueAsString(root) + "\n",
                    StandardCharsets.UTF_8);
            Files.move(tmp, dir.resolve("index.json"), StandardCopyOption.ATOMIC_MOVE,
                    StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the gallery index in " + dir + ": " + e.getMessage(), e);
        }
    }

    /** The gallery kept in {@code dir}, or {@link #EMPTY} when there is none. */
    public static Gallery read(Path dir) {
        Path index = dir.resolve("index.json");
        if (!Files.isRegularFile(index)) {
            return EMPTY;
        }
        try {
            JsonNode root = JSON.readTree(index.toFile());
            List<String> methods = new ArrayList<>();
            root.get("methods").forEach(n -> methods.add(n.asText()));
            List<String> samples = new ArrayList<>();
            root.get("samples").forEach(n -> samples.add(n.asText()));
            byte[][][] cells = new byte[methods.size()][samples.size()][];
            String[][] legends = new String[methods.size()][samples.size()];
            for (int j = 0; j < methods.size(); j++) {
                for (int i = 0; i < samples.size(); i++) {
                    JsonNode legend = root.get("legends").path(j).path(i);
                    Path png = dir.resolve(file(j, i));
                    if (!legend.isTextual() || !Files.isRegularFile(png)) {
                        continue;
                    }
                    cells[j][i] = Files.readAllBytes(png);
                    legends[j][i] = legend.asText();
                }
            }
            return new Gallery(methods, samples, cells, legends);
        } catch (IOException | RuntimeException e) {
            throw new UncheckedIOException("the gallery in " + dir + " is unreadable (" + e.getMessage()
                    + "); delete the folder and rerun to draw it again", e instanceof IOException io ? io
                            : new IOException(e));
        }
    }

    /** The report section: methods as rows, samples as columns, PNGs inline. */
    String html() {
        StringBuilder h = new StringBuilder("<section id=\"heatmaps\">\n<h2>Heatmaps</h2>\n<table class=\"gallery\">\n");
        h.append("<thead><tr><th scope=\"col\">method</th>");
        for (String s : samples) {
            h.append("<th scope=\"col\">").append(Html.escape(s)).append("</th>");
        }
        h.append("</tr></thead>\n<tbody>\n");
        for (int j = 0; j < methods.size(); j++) {
            h.append("<tr><th scope=\"row\">").append(Html.escape(methods.get(j))).append("</th>");
            for (int i = 0; i < samples.size(); i++) {
                if (cells[j][i] == null) {
                    h.append("<td class=\"note\">\u2013</td>");
                    continue;
                }
                h.append("<td><img alt=\"").append(Html.escape(methods.get(j) + " on " + samples.get(i)))
                        .append("\" src=\"data:image/png;base64,").append(Base64.getEncoder().encodeToString(cells[j][i]))
                        .append("\"><br><span class=\"meta\">").append(Html.escape(legends[j][i])).append("</span></td>");
            }
            h.append("</tr>\n");
        }
        return h.append("</tbody>\n</table>\n<p class=\"note\">Each cell: the image, and in grey under its heatmap "
                + "for the explained (predicted) class, patch values upsampled by nearest neighbour; the bar under it "
                + "is the colour scale, its end values below (viridis from 0 for non-negative maps, blue-white-red "
                + "around 0 for signed maps). Scales are per map.</p>\n</section>\n").toString();
    }
}
