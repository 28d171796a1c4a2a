package org.vitbench.reports;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.vitbench.api.AtomicFiles;

/**
 * The report's charts and tables as files for papers and slides: {@code charts/*.svg} (each curve
 * chart, the critical-difference diagram, the runtime chart; standalone SVG documents with XML
 * declaration and namespace) and {@code tables/*.csv} (the leaderboard in long form, one row per
 * method x metric, the same as {@code leaderboard.csv}; runtime; average ranks across metrics;
 * failed cells). Fields are quoted as RFC 4180 says; lines end with {@code \n} like
 * {@link LeaderboardCsv}'s, so every CSV vitbench writes reads the same way. File names come from
 * labels, lower-cased, with anything outside {@code [a-z0-9._-]} replaced by {@code -} and a
 * numeric suffix against collisions.
 */
public final class Exports {

    private Exports() {
    }

    /** Writes the files into {@code dir}/charts and {@code dir}/tables; returns them. */
    public static List<Path> write(ReportData data, Path dir) {
        Map<String, String> files = new LinkedHashMap<>();
        Set<String> used = new HashSet<>();
        for (Map.Entry<String, List<ReportData.Curve>> e : data.curvesByMetric().entrySet()) {
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
        files.put("tables/leaderboard.csv", LeaderboardCsv.render(data));
        files.put("tables/runtime.csv", runtimeCsv(data));
        files.put("tables/failures.csv", failuresCsv(data));
        if (data.agreement() != null) {
            files.put("tables/ranks.csv", ranksCsv(data.agreement()));
        }
        List<Path> written = new ArrayList<>();
        for (Map.Entry<String, String> f : files.entrySet()) {
            Path file = dir.resolve(f.getKey());
            AtomicFiles.writeString(file, f.getValue());
            written.add(file);
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
        StringBuilder sb = new StringBuilder("component,stage,mean_seconds,sd_seconds,n\n");
        for (ReportData.Timing t : data.timings()) {
            row(sb, t.component(), t.stage(), number(t.meanSeconds()), number(t.sdSeconds()), String.valueOf(t.n()));
        }
        return sb.toString();
    }

    static String failuresCsv(ReportData data) {
        StringBuilder sb = new StringBuilder("method,metric,samples,reason,example_sample\n");
        for (ReportData.Failure f : data.failures()) {
            row(sb, f.method(), f.metric(), String.valueOf(f.count()), f.reason(), f.exampleSample());
        }
        return sb.toString();
    }

    static String ranksCsv(ReportData.Agreement a) {
        StringBuilder sb = new StringBuilder("method,average_rank\n");
        double[] ranks = a.averageRanks();
        for (int i = 0; i < ranks.length; i++) {
            row(sb, a.methods().get(i), number(ranks[i]));
        }
        return sb.toString();
    }

    /** One CSV line of {@code fields}, each quoted as {@link LeaderboardCsv#field} does. */
    private static void row(StringBuilder sb, String... fields) {
        for (int i = 0; i < fields.length; i++) {
            sb.append(i == 0 ? "" : ",").append(LeaderboardCsv.field(fields[i]));
        }
        sb.append('\n');
    }

    private static String number(double v) {
        return Double.isNaN(v) ? "" : Double.toString(v);
    }
}
