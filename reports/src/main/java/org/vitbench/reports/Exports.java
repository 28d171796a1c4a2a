package org.vitbench.reports;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * The report's charts and tables as files for papers and slides: {@code charts/*.svg} (each curve
 * chart, the critical-difference diagram, the runtime chart; standalone SVG documents) and
 * {@code tables/*.csv} (runtime, ranks across metrics, failed cells; RFC 4180). The leaderboard
 * itself is {@code leaderboard.csv} beside them.
 */
public final class Exports {

    private Exports() {
    }

    /** Writes the files into {@code dir}/charts and {@code dir}/tables; returns them. */
    public static List<Path> write(ReportData data, Path dir) {
        Map<String, String> files = new LinkedHashMap<>();
        Set<String> used = new HashSet<>();
        Map<String, List<ReportData.Curve>> byMetric = new LinkedHashMap<>();
        for (ReportData.Curve c : data.curves()) {
            byMetric.computeIfAbsent(c.metric(), k -> new ArrayList<>()).add(c);
        }
        for (Map.Entry<String, List<ReportData.Curve>> e : byMetric.entrySet()) {
            String svg = CurveChart.standalone(e.getKey(), e.getValue(), "curve x (as reported by the metric)",
                    "mean " + e.getKey());
            if (svg != null) {
                files.put("charts/" + unique("curves-" + e.getKey(), used) + ".svg", svg);
            }
        }
        if (data.agreement() != null) {
            files.put("charts/critical-difference.svg", CriticalDifferenceDiagram.standalone(data.agreement()));
        }
        String runtime = RuntimeChart.standalone(data.timings());
        if (runtime != null) {
            files.put("charts/runtime.svg", runtime);
        }
        files.put("tables/runtime.csv", runtimeCsv(data));
        files.put("tables/failures.csv", failuresCsv(data));
        if (data.agreement() != null) {
            files.put("tables/ranks.csv", ranksCsv(data.agreement()));
        }
        List<Path> written = new ArrayList<>();
        try {
            for (Map.Entry<String, String> f : files.entrySet()) {
                Path file = dir.resolve(f.getKey());
                Files.createDirectories(file.getParent());
                Files.writeString(file, f.getValue(), StandardCharsets.UTF_8);
                written.add(file);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write exports into " + dir + ": " + e.getMessage(), e);
        }
        return written;
    }

    /** A file-system-safe stem of {@code label}, made unique among {@code used} with a numeric suffix. */
    static String unique(String label, Set<String> used) {
        String stem = label.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9._-]+", "-").replaceAll("^[-.]+|-+$", "");
        if (stem.isEmpty()) {
            stem = "chart";
        }
        if (stem.length() > 80) {
            stem = stem.substring(0, 80);
        }
        String name = stem;
        for (int k = 2; !used.add(name); k++) {
            name = stem + "-" + k;
        }
        return name;
    }

    static String runtimeCsv(ReportData data) {
        StringBuilder sb = new StringBuilder("component,stage,mean_seconds,sd_seconds,n\r\n");
        for (ReportData.Timing t : data.timings()) {
            sb.append(field(t.component())).append(',').append(field(t.stage())).append(',')
                    .append(number(t.meanSeconds())).append(',').append(number(t.sdSeconds())).append(',').append(t.n())
                    .append("\r\n");
        }
        return sb.toString();
    }

    static String failuresCsv(ReportData data) {
        StringBuilder sb = new StringBuilder("method,metric,samples,reason,example_sample\r\n");
        for (ReportData.Failure f : data.failures()) {
            sb.append(field(f.method())).append(',').append(field(f.metric())).append(',').append(f.count()).append(',')
                    .append(field(f.reason())).append(',').append(field(f.exampleSample())).append("\r\n");
        }
        return sb.toString();
    }

    static String ranksCsv(ReportData.Agreement a) {
        StringBuilder sb = new StringBuilder("method,average_rank\r\n");
        double[] ranks = a.averageRanks();
        for (int i = 0; i < ranks.length; i++) {
            sb.append(field(a.methods().get(i))).append(',').append(number(ranks[i])).append("\r\n");
        }
        return sb.toString();
    }

    /** An RFC 4180 field: quoted when it holds a comma, quote or line break, quotes doubled. */
    static String field(String text) {
        if (text == null) {
            return "";
        }
        if (text.contains(",") || text.contains("\"") || text.contains("\n") || text.contains("\r")) {
            return '"' + text.replace("\"", "\"\"") + '"';
        }
        return text;
    }

    private static String number(double v) {
        return Double.isNaN(v) ? "" : Double.toString(v);
    }
}
