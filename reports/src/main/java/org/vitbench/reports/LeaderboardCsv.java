package org.vitbench.reports;

/**
 * The leaderboard as CSV ({@code leaderboard.csv}, RFC 4180 quoting): one row per method x metric with
 * mean, 95% interval, n, failures and rank. Numbers are written in full precision
 * ({@link Double#toString}); NaN and an unranked row leave the field empty. Lines end with
 * {@code \n} rather than the RFC's CRLF so the file diffs cleanly in git.
 */
public final class LeaderboardCsv {

    static final String HEADER = "method,metric,spec,spec_hash,direction,mean,ci_low,ci_high,n,failed,rank";

    private LeaderboardCsv() {
    }

    public static String render(ReportData data) {
        StringBuilder sb = new StringBuilder(HEADER).append("\n");
        for (ReportData.Row r : data.rows()) {
            sb.append(field(r.method())).append(',').append(field(r.metric())).append(',')
                    .append(field(r.spec())).append(',').append(field(r.specHash())).append(',')
                    .append(SummaryJson.direction(r)).append(',').append(number(r.mean())).append(',')
                    .append(number(r.low())).append(',').append(number(r.high())).append(',').append(r.n())
                    .append(',').append(r.failed()).append(',').append(r.rank() > 0 ? String.valueOf(r.rank()) : "")
                    .append("\n");
        }
        return sb.toString();
    }

    /** Quotes a field when it holds a comma, a quote or a line break; quotes are doubled. */
    static String field(String value) {
        if (value == null) {
            return "";
        }
        if (value.indexOf(',') < 0 && value.indexOf('"') < 0 && value.indexOf('\n') < 0 && value.indexOf('\r') < 0) {
            return value;
        }
        return '"' + value.replace("\"", "\"\"") + '"';
    }

    private static String number(double v) {
        return Double.isFinite(v) ? Double.toString(v) : "";
    }
}
