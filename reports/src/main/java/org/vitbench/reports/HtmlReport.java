package org.vitbench.reports;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.vitbench.api.Direction;

/**
 * Renders a {@link ReportData} as one self-contained HTML file: inline CSS, charts as inline SVG,
 * no script, no external resource, every string from the data escaped with {@link Html#escape}.
 * The page opens with the leaderboard, then mean curves, the heatmap gallery, runtime, failed
 * cells and the run's metadata. The output depends only on the data (no clock, no locale), so it
 * can be sealed by a golden file.
 */
public final class HtmlReport {

    private static final String CSS = """
            :root { color-scheme: light; }
            body { font-family: system-ui, -apple-system, "Segoe UI", Roboto, Helvetica, Arial, sans-serif;
              color: #1f2328; background: #fff; margin: 0 auto; max-width: 72rem; padding: 1.5rem 2rem 3rem;
              line-height: 1.45; }
            h1 { font-size: 1.6rem; margin: 0 0 .25rem; }
            h2 { font-size: 1.2rem; margin: 2.2rem 0 .6rem; padding-bottom: .25rem; border-bottom: 1px solid #d0d7de; }
            h3 { font-size: 1rem; margin: 1.2rem 0 .4rem; }
            nav a { margin-right: 1rem; color: #0969da; text-decoration: none; }
            .sub, .note, .meta { color: #57606a; }
            .meta { font-size: .8rem; }
            table { border-collapse: collapse; margin: .4rem 0; font-variant-numeric: tabular-nums; }
            th, td { border: 1px solid #d0d7de; padding: .35rem .6rem; text-align: left; vertical-align: top; }
            thead th { background: #f6f8fa; }
            tbody tr:nth-child(even) { background: #fbfcfd; }
            td.num { text-align: right; white-space: nowrap; }
            td.best { background: #eef6ee; }
            .failed { color: #b42318; }
            .spec { font-family: ui-monospace, SFMono-Regular, Menlo, Consolas, monospace; font-size: .75rem;
              color: #57606a; font-weight: normal; }
            pre { background: #f6f8fa; padding: .6rem; overflow-x: auto; margin: 0; font-size: .8rem; }
            code { font-family: ui-monospace, SFMono-Regular, Menlo, Consolas, monospace; }
            figure.chart { margin: .4rem 0 1.2rem; }
            svg { max-width: 100%; height: auto; font-size: 11px; fill: #1f2328; }
            .grid line { stroke: #eaeef2; }
            .axis line { stroke: #57606a; }
            .band { fill-opacity: .16; stroke: none; }
            .mean { fill: none; stroke-width: 2; }
            .label { font-size: 12px; }
            ul.legend { list-style: none; padding: 0; margin: .3rem 0 0 64px; display: flex; flex-wrap: wrap;
              gap: .2rem 1.2rem; font-size: .85rem; }
            .swatch { display: inline-block; width: .9rem; height: .25rem; margin: 0 .35rem .2rem 0;
              vertical-align: middle; }
            table.gallery td { vertical-align: top; }
            table.gallery img { image-rendering: pixelated; }
            div.scales { display: flex; flex-wrap: wrap; gap: 0 2.5rem; }
            figure.scale { margin: .6rem 0 0; }
            footer { margin-top: 3rem; font-size: .8rem; color: #57606a; }
            """;

    private HtmlReport() {
    }

    /** Writes the report to {@code file} in UTF-8. */
    public static void write(ReportData data, Path file) {
        try {
            Files.writeString(file, render(data), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write report " + file + ": " + e.getMessage(), e);
        }
    }

    /** The complete HTML document; the heatmap gallery's section is left out when it is empty. */
    public static String render(ReportData data) {
        Gallery gallery = data.gallery();
        StringBuilder h = new StringBuilder(16_384);
        h.append("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n")
                .append("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n")
                .append("<title>").append(Html.escape(data.title())).append("</title>\n")
                .append("<style>\n").append(CSS).append("</style>\n</head>\n<body>\n");
        h.append("<header>\n<h1>").append(Html.escape(data.title())).append("</h1>\n");
        h.append("<p class=\"sub\">").append(data.methods().size()).append(" methods \u00d7 ")
                .append(data.metrics().size()).append(" metrics");
        String hash = data.metadata().get("config hash");
        if (hash != null) {
            h.append(" \u00b7 config <code>").append(Html.escape(hash)).append("</code>");
        }
        h.append("</p>\n<nav><a href=\"#leaderboard\">Leaderboard</a><a href=\"#curves\">Curves</a>")
                .append(gallery.isEmpty() ? "" : "<a href=\"#heatmaps\">Heatmaps</a>")
                .append("<a href=\"#runtime\">Runtime</a><a href=\"#failures\">Failures</a>")
                .append("<a href=\"#metadata\">Run metadata</a></nav>\n</header>\n");
        leaderboard(h, data);
        agreement(h, data);
        curves(h, data);
        if (!gallery.isEmpty()) {
            h.append(gallery.html());
        }
        runtime(h, data);
        failures(h, data);
        metadata(h, data);
        h.append("<footer>Generated by vitbench. This file is self-contained: no scripts and no external "
                + "resources.</footer>\n</body>\n</html>\n");
        return h.toString();
    }

    private static void leaderboard(StringBuilder h, ReportData data) {
        h.append("<section id=\"leaderboard\">\n<h2>Leaderboard</h2>\n");
        if (data.rows().isEmpty()) {
            h.append("<p class=\"note\">No results.</p>\n</section>\n");
            return;
        }
        Map<String, ReportData.Row> cells = new LinkedHashMap<>();
        Map<String, ReportData.Row> metricInfo = new LinkedHashMap<>();
        for (ReportData.Row r : data.rows()) {
            cells.put(r.method() + '\u0000' + r.metric(), r);
            metricInfo.putIfAbsent(r.metric(), r);
        }
        h.append("<table class=\"board\">\n<thead><tr><th scope=\"col\">method</th>");
        for (ReportData.Row m : metricInfo.values()) {
            h.append("<th scope=\"col\">").append(Html.escape(m.metric())).append(' ')
                    .append(m.direction().arrow()).append("<br><span class=\"spec\" title=\"")
                    .append(Html.escape(m.spec())).append("\">").append(Html.escape(m.specHash()))
                    .append("</span></th>");
        }
        h.append("</tr></thead>\n<tbody>\n");
        for (String method : data.methods()) {
            h.append("<tr><th scope=\"row\">").append(Html.escape(method)).append("</th>");
            for (String metric : metricInfo.keySet()) {
                ReportData.Row r = cells.get(method + '\u0000' + metric);
                if (r == null) {
                    h.append("<td class=\"num\">\u2013</td>");
                    continue;
                }
                boolean best = r.rank() == 1;
                h.append(best ? "<td class=\"num best\">" : "<td class=\"num\">");
                String mean = Html.number(r.mean());
                h.append(best ? "<strong>" + mean + "</strong>" : mean);
                if (r.n() > 0) {
                    h.append(" [").append(Html.number(r.low())).append(", ").append(Html.number(r.high()))
                            .append(']');
                }
                h.append("<br><span class=\"meta\">n=").append(r.n());
                if (r.rank() > 0) {
                    h.append(" \u00b7 rank ").append(r.rank());
                }
                if (!Double.isNaN(r.pVsBest())) {
                    h.append(r.differsFromBest() ? " \u00b7 <span class=\"sig\" title=\"differs from the best: "
                            + "Wilcoxon signed-rank, Holm-adjusted p = " + Html.number(r.pVsBest())
                            + ", rank-biserial " + Html.number(r.effectVsBest()) + "\">\u2020</span>"
                            : " \u00b7 <span title=\"not significantly different from the best: Holm-adjusted p = "
                            + Html.number(r.pVsBest()) + "\">\u2248 best</span>");
                }
                if (r.failed() > 0) {
                    h.append(" \u00b7 <span class=\"failed\">").append(r.failed()).append(" failed</span>");
                }
                h.append("</span></td>");
            }
            h.append("</tr>\n");
        }
        h.append("</tbody>\n</table>\n");
        h.append("<p class=\"note\">Mean over scored samples with its 95% percentile-bootstrap interval "
                + "[low, high]. ").append(Direction.HIGHER_IS_BETTER.arrow()).append(" higher is better, ")
                .append(Direction.LOWER_IS_BETTER.arrow()).append(" lower is better; the best mean per metric "
                + "is in bold. Under each metric: its spec hash (hover for the full spec).");
        if (data.rows().stream().anyMatch(r -> !Double.isNaN(r.pVsBest()))) {
            h.append(" \u2020 marks a method that differs from the metric's best on the same samples (two-sided "
                    + "Wilcoxon signed-rank test, Holm-adjusted over the metric's methods, p < 0.05); \u2248 best "
                    + "marks one that does not; hover for p and the rank-biserial effect size.");
        }
        h.append("</p>\n</section>\n");
    }

    private static void curves(StringBuilder h, ReportData data) {
        h.append("<section id=\"curves\">\n<h2>Mean curves</h2>\n");
        Map<String, List<ReportData.Curve>> byMetric = new LinkedHashMap<>();
        for (ReportData.Curve c : data.curves()) {
            byMetric.computeIfAbsent(c.metric(), k -> new ArrayList<>()).add(c);
        }
        if (byMetric.isEmpty()) {
            h.append("<p class=\"note\">No metric in this run reports curves.</p>\n");
        }
        for (Map.Entry<String, List<ReportData.Curve>> e : byMetric.entrySet()) {
            h.append("<h3>").append(Html.escape(e.getKey())).append("</h3>\n");
            h.append(CurveChart.render(e.getKey(), e.getValue(), "curve x (as reported by the metric)",
                    "mean " + e.getKey()));
        }
        h.append("<p class=\"note\">Lines are means over samples; shaded bands are pointwise 95% "
                + "percentile-bootstrap intervals.</p>\n</section>\n");
    }

    private static void runtime(StringBuilder h, ReportData data) {
        h.append("<section id=\"runtime\">\n<h2>Runtime</h2>\n");
        benchmarks(h, data);
        if (data.timings().isEmpty()) {
            h.append("<p class=\"note\">No timings.</p>\n</section>\n");
            return;
        }
        h.append("<table>\n<thead><tr><th scope=\"col\">component</th><th scope=\"col\">stage</th>")
                .append("<th scope=\"col\">seconds per sample (mean \u00b1 sd)</th><th scope=\"col\">n</th>")
                .append("</tr></thead>\n<tbody>\n");
        for (ReportData.Timing t : data.timings()) {
            h.append("<tr><td>").append(Html.escape(t.component())).append("</td><td>")
                    .append(Html.escape(t.stage())).append("</td><td class=\"num\">")
                    .append(Html.number(t.meanSeconds())).append(" \u00b1 ").append(Html.number(t.sdSeconds()))
                    .append("</td><td class=\"num\">").append(t.n()).append("</td></tr>\n");
        }
        h.append("</tbody>\n</table>\n<p class=\"note\">Wall-clock time of a batch divided by its size; the "
                + "spread is across batches.</p>\n");
        h.append(RuntimeChart.render(data.timings())).append("</section>\n");
    }

    /** The imported JMH results, when there are any. */
    private static void benchmarks(StringBuilder h, ReportData data) {
        if (data.benchmarks().isEmpty()) {
            return;
        }
        h.append("<h3>JMH benchmarks</h3>\n<table>\n<thead><tr><th scope=\"col\">benchmark</th>")
                .append("<th scope=\"col\">parameters</th><th scope=\"col\">mode</th>")
                .append("<th scope=\"col\">score \u00b1 error</th><th scope=\"col\">unit</th></tr></thead>\n<tbody>\n");
        for (JmhResults.Result r : data.benchmarks()) {
            StringBuilder params = new StringBuilder();
            r.params().forEach((k, v) -> params.append(params.length() == 0 ? "" : ", ").append(k).append('=').append(v));
            h.append("<tr><td>").append(Html.escape(r.benchmark())).append("</td><td>")
                    .append(Html.escape(params.toString())).append("</td><td>").append(Html.escape(r.mode()))
                    .append("</td><td class=\"num\">").append(Html.number(r.score()))
                    .append(Double.isNaN(r.error()) ? "" : " \u00b1 " + Html.number(r.error()))
                    .append("</td><td>").append(Html.escape(r.unit())).append("</td></tr>\n");
        }
        h.append("</tbody>\n</table>\n<p class=\"note\">Imported from a JMH run (error: JMH's 99.9% interval); "
                + "the table below is this run's own timing.</p>\n");
    }

    /** Average ranks across metrics with the Friedman test, Nemenyi's CD and Kendall's W. */
    private static void agreement(StringBuilder h, ReportData data) {
        ReportData.Agreement a = data.agreement();
        if (a == null) {
            return;
        }
        h.append("<section id=\"ranks\">\n<h2>Ranks across metrics</h2>\n");
        h.append(CriticalDifferenceDiagram.render(a));
        h.append("<table>\n<thead><tr>")
                .append("<th scope=\"col\">method</th><th scope=\"col\">average rank (1 = best)</th></tr></thead>\n<tbody>\n");
        double[] ranks = a.averageRanks();
        Integer[] order = new Integer[ranks.length];
        for (int i = 0; i < order.length; i++) {
            order[i] = i;
        }
        java.util.Arrays.sort(order, java.util.Comparator.comparingDouble(i -> ranks[i]));
        for (int i : order) {
            h.append("<tr><td>").append(Html.escape(a.methods().get(i))).append("</td><td class=\"num\">")
                    .append(String.format(java.util.Locale.ROOT, "%.2f", ranks[i])).append("</td></tr>\n");
        }
        h.append("</tbody>\n</table>\n<p class=\"note\">Each of the ").append(a.metrics().size())
                .append(" metrics is a block (").append(Html.escape(String.join(", ", a.metrics())))
                .append("); methods are ranked by their mean in the metric's direction. Friedman \u03c7\u00b2 = ")
                .append(Html.number(a.friedmanChi2())).append(", p = ").append(Html.number(a.friedmanP()))
                .append("; Nemenyi critical difference at 5%: ")
                .append(Double.isNaN(a.criticalDifference()) ? "not tabulated beyond 20 methods"
                        : Html.number(a.criticalDifference()) + " (average ranks further apart differ)")
                .append("; agreement of the metrics' rankings, Kendall's W = ").append(Html.number(a.kendallW()))
                .append(" (p = ").append(Html.number(a.kendallP())).append(").</p>\n</section>\n");
    }

    private static void failures(StringBuilder h, ReportData data) {
        h.append("<section id=\"failures\">\n<h2>Failed cells</h2>\n");
        if (data.failures().isEmpty()) {
            h.append("<p class=\"note\">No unit failed.</p>\n</section>\n");
            return;
        }
        h.append("<table>\n<thead><tr><th scope=\"col\">method</th><th scope=\"col\">metric</th>")
                .append("<th scope=\"col\">samples</th><th scope=\"col\">reason</th>")
                .append("<th scope=\"col\">example sample</th></tr></thead>\n<tbody>\n");
        for (ReportData.Failure f : data.failures()) {
            h.append("<tr><td>").append(Html.escape(f.method())).append("</td><td>")
                    .append(Html.escape(f.metric())).append("</td><td class=\"num failed\">").append(f.count())
                    .append("</td><td><code>").append(Html.escape(f.reason())).append("</code></td><td>")
                    .append(Html.escape(f.exampleSample())).append("</td></tr>\n");
        }
        h.append("</tbody>\n</table>\n</section>\n");
    }

    private static void metadata(StringBuilder h, ReportData data) {
        h.append("<section id=\"metadata\">\n<h2>Run metadata</h2>\n<table>\n<tbody>\n");
        for (Map.Entry<String, String> e : data.metadata().entrySet()) {
            String value = e.getValue() == null ? "" : e.getValue();
            h.append("<tr><th scope=\"row\">").append(Html.escape(e.getKey())).append("</th><td>");
            if (value.indexOf('\n') >= 0) {
                h.append("<pre>").append(Html.escape(value)).append("</pre>");
            } else {
                h.append(Html.escape(value));
            }
            h.append("</td></tr>\n");
        }
        h.append("</tbody>\n</table>\n</section>\n");
    }
}
