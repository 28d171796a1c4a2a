package org.vitbench.reports;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class HtmlReportTest {

    @Test
    void matchesTheGoldenFile() throws Exception {
        Golden.check("report.html", HtmlReport.render(Fixtures.report()));
    }

    @Test
    void renderingIsDeterministic() {
        // Rendering is a pure function of the data: no clock, no hash-map order, no locale.
        String first = HtmlReport.render(Fixtures.report());
        String second = HtmlReport.render(Fixtures.report());
        assertEquals(first, second);
    }

    @Test
    void aScriptInAMethodNameRendersAsText() {
        String html = HtmlReport.render(Fixtures.report("<script>alert(1)</script>"));

        assertFalse(Fixtures.withoutBoardScript(html).contains("<script"), "raw <script> tag in output");
        assertTrue(html.contains("&lt;script&gt;alert(1)&lt;/script&gt;"));
        // leaderboard row, curve legend, curve tooltip, failure and timing tables all escape it
        assertTrue(count(html, "&lt;script&gt;alert(1)&lt;/script&gt;") >= 5, html);
    }

    @Test
    void quotesInDataCannotLeaveAnAttribute() {
        ReportData base = Fixtures.report();
        ReportData.Row r = base.rows().get(0);
        ReportData data = new ReportData(base.title(), base.metadata(), List.of(new ReportData.Row(r.method(),
                r.metric(), "x\" onmouseover=\"alert(1)", r.specHash(), r.direction(), r.mean(), r.low(), r.high(),
                r.n(), r.failed(), r.rank())), List.of(), List.of(), List.of());

        String html = HtmlReport.render(data);

        assertFalse(html.contains("onmouseover=\"alert"), html);
        assertTrue(html.contains("title=\"x&quot; onmouseover=&quot;alert(1) (hash "), html);
    }

    @Test
    void makesNoNetworkReferences() {
        String html = Fixtures.withoutBoardScript(HtmlReport.render(Fixtures.report()));
        for (String request : List.of("http", "fetch", "XMLHttpRequest", "import", "src", "location", "eval",
                "innerHTML")) {
            assertFalse(Scripts.BOARD.contains(request), "the board script uses " + request);
        }

        assertFalse(html.contains("http://"), "http:// reference");
        assertFalse(html.contains("https://"), "https:// reference");
        for (String forbidden : List.of("<script", "<link", "<img", "<iframe", "src=", "url(", "@import", "xmlns")) {
            assertFalse(html.contains(forbidden), "found " + forbidden);
        }
        Matcher href = Pattern.compile("href=\"([^\"]*)\"").matcher(html);
        while (href.find()) {
            assertTrue(href.group(1).startsWith("#"), "non-local link " + href.group(1));
        }
    }

    @Test
    void aUrlInTheDataStaysText() {
        ReportData base = Fixtures.report();
        ReportData data = new ReportData(base.title(), Map.of("source", "https://example.org/x?a=1&b=2"),
                base.rows(), base.curves(), base.failures(), base.timings());

        String html = HtmlReport.render(data);

        assertTrue(html.contains("<td>https://example.org/x?a=1&amp;b=2</td>"));
        assertFalse(Pattern.compile("=\"https?:").matcher(html).find(), "URL inside an attribute");
    }

    @Test
    void theBestMeanPerMetricIsBoldAndAnAbsentPairIsADash() {
        String html = HtmlReport.render(Fixtures.report());

        // deletion: lower is better, attention-rollout 0.21 beats random 0.40
        assertTrue(html.contains("><strong>0.2100</strong><span class=\"ci\">0.1800\u20130.2400</span>"), html);
        // insertion: higher is better, attention-rollout 0.62 beats random 0.41
        assertTrue(html.contains("><strong>0.6200</strong>"));
        assertEquals(2, count(html, "<td class=\"num best\""));
        assertEquals(2, count(html, "<strong>"));
        // kernel-shap has no insertion row, and its deletion row scored nothing
        assertTrue(html.contains("<td class=\"num\">\u2013</td>"));
        assertTrue(html.contains("<span class=\"failed\">4 failed</span>"));
    }

    @Test
    void writesOneUtf8File(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("report.html");

        HtmlReport.write(Fixtures.report(), file);

        assertEquals(HtmlReport.render(Fixtures.report()), Files.readString(file));
        assertTrue(Files.readString(file).contains("deletion \u2193"));
    }

    @Test
    void rendersAnEmptyRun() {
        ReportData empty = new ReportData("empty", Map.of(), List.of(), List.of(), List.of(), List.of());

        String html = HtmlReport.render(empty);

        assertTrue(html.contains("No results."));
        assertTrue(html.contains("No unit failed."));
        assertTrue(html.endsWith("</html>\n"));
    }

    private static int count(String haystack, String needle) {
        int n = 0;
        for (int i = haystack.indexOf(needle); i >= 0; i = haystack.indexOf(needle, i + 1)) {
            n++;
        }
        return n;
    }
}
