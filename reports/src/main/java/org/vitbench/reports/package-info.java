/**
 * Renders aggregated results: the self-contained HTML report ({@link org.vitbench.reports.HtmlReport}),
 * the machine-readable summary ({@link org.vitbench.reports.SummaryJson}) and the leaderboard CSV
 * ({@link org.vitbench.reports.LeaderboardCsv}). Everything here is a pure function of a
 * {@link org.vitbench.reports.ReportData}; statistics are computed by the caller.
 */
package org.vitbench.reports;
