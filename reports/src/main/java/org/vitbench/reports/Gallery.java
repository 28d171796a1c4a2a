package org.vitbench.reports;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import org.vitbench.api.AtomicFiles;

/**
 * The report's heatmap gallery: a few samples explained by every method, each cell the image and
 * its heatmap overlay with the colour scale (see {@link Overlay}). A run keeps it in
 * {@code gallery/} of its directory: one PNG per method and sample ({@code m<j>-s<i>.png}, method
 * {@code j} and sample {@code i} in index order; a flat folder that {@code vitbench merge} copies
 * as it is) and {@code index.json} with the methods, the samples' captions and each cell's scale,
 * so a report rebuilt later ({@code vitbench report}) shows it without the model or the data.
 *
 * @param methods method labels, one column each
 * @param samples sample captions (id, true and predicted class), one row each
 * @param cells {@code [method][sample]} PNG bytes, null where the method failed on the sample
 * @param legends {@code [method][sample]} the colour scale's end values, null where no PNG
 */
public record Gallery(List<String> methods, List<String> samples, byte[][][] cells, String[][] legends) {

    /** The folder inside a run directory. */
    public static final String DIR = "gallery";

    /** The index file inside the folder. */
    public static final String INDEX = "index.json";

    /** No gallery: the report leaves the section out. */
    public static final Gallery EMPTY = new Gallery(List.of(), List.of(), new byte[0][][], new String[0][]);

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int SCALE_WIDTH = 240;
    /**
     * Stops of the legend gradients: 16 segments contain every break of the overlay's piecewise
     * linear scales (viridis at eighths, the diverging scale at 0), so the bars show its colours.
     */
    private static final int SCALE_STOPS = 16;

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
            AtomicFiles.writeString(dir.resolve(INDEX), JSON.writerWithDefaultPrettyPrinter().writeValueAsString(root)
                    + "\n");
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the gallery index in " + dir + ": " + e.getMessage(), e);
        }
    }

    /** The gallery kept in {@code dir}, or {@link #EMPTY} when there is none. */
    public static Gallery read(Path dir) {
        Path index = dir.resolve(INDEX);
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

    /** Whether there is nothing to show. */
    public boolean isEmpty() {
        return methods.isEmpty() || samples.isEmpty();
    }

    /**
     * The report section: methods as rows, samples as columns (headed by their caption), PNGs
     * inline, then the two colour scales explained with bars drawn from {@link Overlay}'s colours.
     */
    String html() {
        StringBuilder h = new StringBuilder("<section id=\"heatmaps\">\n<h2>Heatmaps</h2>\n");
        h.append("<p class=\"note\">The run's first ").append(samples.size()).append(samples.size() == 1 ? " sample" : " samples")
                .append(", explained by every method for the predicted class. Each cell: the image, then the heatmap "
                        + "over the image in grey (patch values, nearest-neighbour upsampled) with its colour bar, and the "
                        + "bar's end values below. Scales are per map: compare where a map is high, not colours across "
                        + "cells.</p>\n");
        // methods as rows and the few samples as columns, so that many methods grow the page downwards
        h.append("<div class=\"scroll\">\n<table class=\"gallery\">\n<thead><tr><th scope=\"col\">method</th>");
        for (String sample : samples) {
            h.append("<th scope=\"col\">").append(Html.escape(sample)).append("</th>");
        }
        h.append("</tr></thead>\n<tbody>\n");
        for (int j = 0; j < methods.size(); j++) {
            h.append("<tr><th scope=\"row\">").append(Html.escape(methods.get(j))).append("</th>");
            for (int i = 0; i < samples.size(); i++) {
                if (cells[j][i] == null) {
                    h.append("<td class=\"note\" title=\"no heatmap: the method failed on this sample\">\u2013</td>");
                    continue;
                }
                h.append("<td><img alt=\"").append(Html.escape("heatmap of " + methods.get(j) + " for " + samples.get(i)))
                        .append("\" src=\"data:image/png;base64,").append(Base64.getEncoder().encodeToString(cells[j][i]))
                        .append("\"><br><span class=\"meta\">").append(Html.escape(legends[j][i])).append("</span></td>");
            }
            h.append("</tr>\n");
        }
        h.append("</tbody>\n</table>\n</div>\n<div class=\"scales\">\n");
        scale(h, "scale-viridis", false, "0", "largest value",
                "Maps without negative values: viridis, dark purple at 0 to yellow at the map's largest value.");
        scale(h, "scale-signed", true, "\u2212largest |value|", "+largest |value|",
                "Maps with negative values: blue for negative, white at 0, red for positive, symmetric around 0.");
        return h.append("</div>\n</section>\n").toString();
    }

    /** One colour bar with its end labels and what it means, as inline SVG and a caption. */
    private static void scale(StringBuilder h, String id, boolean signed, String low, String high, String meaning) {
        h.append("<figure class=\"scale\"><svg xmlns=\"http://www.w3.org/2000/svg\" width=\"").append(SCALE_WIDTH)
                .append("\" height=\"30\" viewBox=\"0 0 ").append(SCALE_WIDTH).append(" 30\" role=\"img\" aria-label=\"")
                .append(Html.escape(meaning)).append("\">\n<defs><linearGradient id=\"").append(id).append("\">");
        for (int k = 0; k <= SCALE_STOPS; k++) {
            double t = k / (double) SCALE_STOPS;
            // the overlay's own colours: the scale is sampled from Overlay, not restated
            int rgb = Overlay.colour(signed ? 2 * t - 1 : t, 1, signed);
            h.append("<stop offset=\"").append(Html.number(t)).append("\" stop-color=\"")
                    .append(String.format("#%06x", rgb)).append("\"/>");
        }
        h.append("</linearGradient></defs>\n<rect x=\"0\" y=\"0\" width=\"").append(SCALE_WIDTH)
                .append("\" height=\"12\" fill=\"url(#").append(id).append(")\"/>\n")
                .append("<text x=\"0\" y=\"26\">").append(Html.escape(low)).append("</text>");
        if (signed) {
            h.append("<text x=\"").append(SCALE_WIDTH / 2).append("\" y=\"26\" text-anchor=\"middle\">0</text>");
        }
        h.append("<text x=\"").append(SCALE_WIDTH).append("\" y=\"26\" text-anchor=\"end\">").append(Html.escape(high))
                .append("</text>\n</svg><figcaption class=\"meta\">").append(Html.escape(meaning))
                .append("</figcaption></figure>\n");
    }
}
