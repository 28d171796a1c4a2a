package org.vitbench.reports;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.qameta.allure.Allure;
import java.io.ByteArrayInputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.vitbench.api.Direction;

/**
 * The report of a run the size of the default one (23 methods x 8 metrics) at 1400 px in headless
 * Chromium: the page does not overflow sideways and the leaderboard fits without its own scroll
 * bar; with scripts a click on a column sorts by it (best first, then reversed) and the family list
 * filters; without scripts every method is there in average-rank order. Screenshots are kept in
 * {@code target/browser/}.
 */
class LeaderboardInBrowserTest {

    private static final int WIDTH = 1400;

    @TempDir
    Path tmp;

    @BeforeAll
    static void needsChromium() {
        HeadlessChromium.assumeInstalled();
    }

    @Test
    void theLeaderboardFitsSortsAndFilters() throws Exception {
        ReportData data = Fixtures.large();
        Path html = tmp.resolve("report.html");
        HtmlReport.write(data, html);
        try (HeadlessChromium browser = HeadlessChromium.start()) {
            HeadlessChromium.PageLoad page = browser.load(html.toUri(), WIDTH, true);
            keep(page, "report-1400.png");
            assertEquals(List.of(), page.errors(), "console errors or exceptions");
            assertTrue(browser.evaluate("document.documentElement.scrollWidth <= window.innerWidth").asBoolean(),
                    "the page overflows sideways: " + browser.evaluate("document.documentElement.scrollWidth"));
            assertTrue(browser.evaluate("(function(){var d=document.querySelector('div.scroll');"
                    + "return d.scrollWidth <= d.clientWidth;})()").asBoolean(), "the leaderboard needs a scroll bar: "
                    + browser.evaluate("document.querySelector('div.scroll').scrollWidth"));
            assertEquals(data.methodsByRank(), column(browser), "by average rank, best first");

            String deletion = "document.querySelectorAll('#board thead th')[3]";
            assertTrue(browser.evaluate(deletion + ".textContent").asText().startsWith("deletion"));
            browser.evaluate(deletion + ".click()");
            assertEquals(byMean(data, "deletion", true), column(browser), "deletion is higher-is-better here: best first");
            browser.evaluate(deletion + ".click()");
            assertEquals(byMean(data, "deletion", false), column(browser), "a second click reverses");

            browser.evaluate("(function(){var s=document.getElementById('family');s.value='perturbation';"
                    + "s.dispatchEvent(new Event('change'));})()");
            List<String> shown = new ArrayList<>();
            for (JsonNode n : browser.evaluate("Array.prototype.filter.call(document.querySelectorAll('#board tbody tr'),"
                    + "function(r){return !r.hidden;}).map(function(r){return r.getAttribute('data-family');})")) {
                shown.add(n.asText());
            }
            assertEquals(7, shown.size(), shown.toString());
            assertTrue(shown.stream().allMatch("perturbation"::equals), shown.toString());
        }
    }

    @Test
    void withoutScriptsTheLeaderboardReadsInFull() throws Exception {
        ReportData data = Fixtures.large();
        Path html = tmp.resolve("report.html");
        HtmlReport.write(data, html);
        try (HeadlessChromium browser = HeadlessChromium.start()) {
            HeadlessChromium.PageLoad page = browser.load(html.toUri(), WIDTH, false);
            keep(page, "report-1400-no-script.png");
            assertEquals(data.methodsByRank(), column(browser));
            assertFalse(browser.evaluate("!!document.getElementById('family')").asBoolean(),
                    "no filter control without scripts");
            for (String[] m : Fixtures.DEFAULT_METHODS) {
                assertTrue(page.text().contains(m[0]), m[0]);
            }
        }
    }

    private static List<String> column(HeadlessChromium browser) throws Exception {
        List<String> names = new ArrayList<>();
        for (JsonNode n : browser.evaluate("Array.prototype.map.call(document.querySelectorAll("
                + "'#board tbody th[scope=row]'), function(th){return th.firstChild.textContent;})")) {
            names.add(n.asText());
        }
        return names;
    }

    /** Methods by their mean under {@code metric}, best first or reversed. */
    private static List<String> byMean(ReportData data, String metric, boolean bestFirst) {
        List<ReportData.Row> rows = new ArrayList<>(data.rows().stream().filter(r -> r.metric().equals(metric)).toList());
        Comparator<ReportData.Row> order = Comparator.comparingDouble(ReportData.Row::mean);
        if ((rows.get(0).direction() == Direction.HIGHER_IS_BETTER) == bestFirst) {
            order = order.reversed();
        }
        rows.sort(order);
        return rows.stream().map(ReportData.Row::method).toList();
    }

    private static void keep(HeadlessChromium.PageLoad page, String name) throws Exception {
        Path shot = Path.of("target", "browser", name);
        Files.createDirectories(shot.getParent());
        Files.write(shot, page.screenshot());
        Allure.addAttachment(name, "image/png", new ByteArrayInputStream(page.screenshot()), "png");
    }
}
