package org.vitbench.reports;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** The Markdown leaderboard of the report fixture, sealed by a golden file. */
class LeaderboardMarkdownTest {

    @Test
    void theFixtureRendersAsItsGoldenFile() throws Exception {
        Golden.check("leaderboard.md", LeaderboardMarkdown.render(Fixtures.report()));
    }

    @Test
    void aSignificantDifferenceFromTheBestGetsADagger() {
        ReportData base = Fixtures.report();
        ReportData data = new ReportData(base.title(), base.metadata(), base.rows().stream()
                .map(r -> r.method().equals("random") ? r.withComparison(r.metric().equals("deletion") ? 0.01 : 0.2, -1)
                        : r)
                .toList(), base.curves(), base.failures(), base.timings());
        String md = LeaderboardMarkdown.render(data);
        assertTrue(md.contains("| random | 0.400 [0.350, 0.450] \u2020 | 0.410 [0.360, 0.470] |\n"), md);
    }

    @Test
    void labelsCannotBreakTheTable() {
        assertEquals("a\\|b &lt;i&gt; \\*x\\* c", LeaderboardMarkdown.escape("a|b <i> *x*\nc"));
    }
}
