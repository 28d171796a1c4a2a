package org.vitbench.reports;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

/** The Markdown leaderboard of the report fixture, sealed by a golden file. */
class LeaderboardMarkdownTest {

    @Test
    void theFixtureRendersAsItsGoldenFile() throws Exception {
        Golden.check("leaderboard.md", LeaderboardMarkdown.render(Fixtures.report()));
    }

    @Test
    void labelsCannotBreakTheTable() {
        assertEquals("a\\|b &lt;i&gt; \\*x\\* c", LeaderboardMarkdown.escape("a|b <i> *x*\nc"));
    }
}
