package org.vitbench.reports;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class LeaderboardLatexTest {

    @Test
    void specialCharactersPrintAsText() {
        assertEquals("a\\_b \\& c\\% \\$x\\$ \\#1 \\{y\\} \\textbackslash{} \\textasciitilde{}\\textasciicircum{}"
                + "\\textless{}b\\textgreater{}", LeaderboardLatex.escape("a_b & c% $x$ #1 {y} \\ ~^<b>"));
    }

    @Test
    void theTableHasAColumnPerMetricAndTheBestInBold() {
        ReportData data = Fixtures.report();

        String tex = LeaderboardLatex.render(data);

        assertTrue(tex.contains("\\begin{tabular}{l" + "c".repeat(data.metrics().size()) + "}"), tex);
        assertTrue(tex.contains("\\textbf{"), "the best mean per metric is bold");
        assertEquals(data.methods().size(), tex.split("\\\\\\\\\n", -1).length - 2, "one line per method: " + tex);
        assertTrue(tex.contains("\\toprule") && tex.contains("\\bottomrule"));
    }
}
