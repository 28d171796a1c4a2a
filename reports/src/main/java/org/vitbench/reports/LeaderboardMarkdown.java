package org.vitbench.reports;

import java.util.Locale;
import java.util.Map;
import org.vitbench.api.Direction;

/**
 * The leaderboard as a GitHub-flavoured Markdown table ({@code leaderboard.md}) for READMEs and
 * pull requests: methods as rows, metrics as columns with their direction arrow, each cell the mean
 * with its 95% interval, the best per metric in bold, and a dagger where a method differs from the
 * best (Holm-adjusted Wilcoxon, p &lt; 0.05). Labels are escaped so that none breaks the table or
 * renders as markup.
 */
public final class LeaderboardMarkdown {

    private LeaderboardMarkdown() {
    }

    public static String render(ReportData data) {
        Map<String, Direction> directions = data.metricDirections();
        StringBuilder t = new StringBuilder("| method |");
        directions.forEach((metric, d) -> t.append(' ').append(escape(metric)).append(' ')
                .append(d == Direction.HIGHER_IS_BETTER ? "\u2191" : "\u2193").append(" |"));
        t.append("\n|---|").append("---|".repeat(directions.size())).append('\n');
        for (String method : data.methods()) {
            t.append("| ").append(escape(method)).append(" |");
            for (String metric : directions.keySet()) {
                ReportData.Row r = data.row(method, metric);
                if (r == null || r.n() == 0) {
                    t.append(" \u2013 |");
                    continue;
                }
                String mean = number(r.mean());
                t.append(' ').append(r.rank() == 1 ? "**" + mean + "**" : mean).append(" [").append(number(r.low()))
                        .append(", ").append(number(r.high())).append(']').append(r.differsFromBest() ? " \u2020" : "")
                        .append(" |");
            }
            t.append('\n');
        }
        t.append("\nMean [95% bootstrap CI]; best per metric in bold; \u2020 differs from the best (paired Wilcoxon, "
                + "Holm, p < 0.05).\n");
        return t.toString();
    }

    private static String number(double v) {
        return Double.isFinite(v) ? String.format(Locale.ROOT, "%.3f", v) : "\u2013";
    }

    /** Backslash-escapes Markdown's punctuation and HTML's angle brackets; line breaks become spaces. */
    static String escape(String s) {
        StringBuilder out = new StringBuilder();
        for (char c : s.toCharArray()) {
            switch (c) {
                case '\\', '`', '*', '_', '{', '}', '[', ']', '(', ')', '#', '+', '!', '|', '~' -> out.append('\\').append(c);
                case '<' -> out.append("&lt;");
                case '>' -> out.append("&gt;");
                case '&' -> out.append("&amp;");
                case '\n', '\r' -> out.append(' ');
                default -> out.append(c);
            }
        }
        return out.toString();
    }
}
