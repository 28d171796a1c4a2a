package org.vitbench.reports;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The HTML leaderboard page: golden file, escaping, no network references, marks and order. */
class LeaderboardPageTest {

    private static final String PROTOCOL = "model: \"embedded\"\ndataset: \"fashion-mnist-embedded\"\nlimit: 4\n";

    /** The report fixture with random tested against the best (significant under deletion only) and ranks across metrics. */
    private static ReportData compared(ReportData base, List<String> agreementOrder, double[] averageRanks) {
        List<ReportData.Row> rows = base.rows().stream().map(r -> !r.method().equals("random") ? r
                : r.withComparison(r.metric().equals("deletion") ? 0.0123 : 0.25, -0.5)).toList();
        return new ReportData(base.title(), base.metadata(), rows, base.curves(), base.failures(), base.timings())
                .withAgreement(new ReportData.Agreement(agreementOrder, List.of("deletion", "insertion"),
                        averageRanks, 2.0, 0.157, 1.386, 1.0, 0.157));
    }

    private static ReportData fixture(String firstMethod) {
        return compared(Fixtures.report(firstMethod), List.of(firstMethod, "random"), new double[] {1.0, 2.0});
    }

    private static Map<String, Map<String, String>> provenance(String firstMethod, String host) {
        Map<String, Map<String, String>> p = new LinkedHashMap<>();
        p.put(firstMethod, source("runs/a", host, "2026-01-01T00:00:00Z"));
        p.put("random", source("runs/b", "machine-b", "2026-01-02T00:00:00Z"));
        return p;
    }

    private static Map<String, String> source(String run, String host, String finished) {
        Map<String, String> s = new LinkedHashMap<>();
        s.put("run", run);
        s.put("host", host);
        s.put("git commit", "placeholder");
        s.put("finished", finished);
        return s;
    }

    private static String page() {
        return LeaderboardPage.render(fixture("attention-rollout"), "0123456789abcdef", PROTOCOL,
                provenance("attention-rollout", "machine-a"));
    }

    @Test
    void theFixtureRendersAsItsGoldenFile() throws Exception {
        Golden.check("leaderboard.html", page());
    }

    @Test
    void theBestIsBoldAndOnlyASignificantDifferenceHasADagger() {
        String html = page();
        assertTrue(html.contains("<td class=\"num best\"><strong>0.2100</strong> [0.1800, 0.2400]"), html);
        assertTrue(html.contains("<td class=\"num best\"><strong>0.6200</strong> [0.5500, 0.7000]"), html);
        assertEquals(1, count(html, "\">\u2020</span>"), "random differs under deletion (p 0.0123), not insertion (0.25)");
        assertTrue(html.contains("0.4000 [0.3500, 0.4500] <span title=\"Holm-adjusted p = 0.0123\">\u2020</span>"), html);
        assertTrue(html.contains("<td class=\"num\">\u2013<br><span class=\"meta failed\">4 failed</span></td>"), html);
    }

    @Test
    void methodsAreOrderedByAverageRankAcrossMetrics() {
        ReportData data = compared(Fixtures.report(), List.of("random", "attention-rollout"), new double[] {1.5, 1.5001});
        String html = LeaderboardPage.render(data, "h", PROTOCOL, Map.of());
        int random = html.indexOf("<tr><th scope=\"row\">random</th>");
        int rollout = html.indexOf("<tr><th scope=\"row\">attention-rollout</th>");
        int shap = html.indexOf("<tr><th scope=\"row\">kernel-shap:budget=64</th>");
        assertTrue(random > 0 && random < rollout && rollout < shap,
                "random (1.5) before attention-rollout (1.5001) before kernel-shap (no average rank)");
        assertTrue(html.contains("No provenance recorded."));
    }

    @Test
    void underOneMetricMethodsAreOrderedByRank() {
        ReportData base = Fixtures.report();
        List<ReportData.Row> deletion = base.rows().stream().filter(r -> r.metric().equals("deletion")).toList();
        List<ReportData.Row> reversed = new java.util.ArrayList<>(deletion);
        java.util.Collections.reverse(reversed); // kernel-shap (unranked), random (2), attention-rollout (1)
        String html = LeaderboardPage.render(new ReportData(base.title(), base.metadata(), reversed, List.of(),
                List.of(), List.of()), "h", PROTOCOL, Map.of());
        int rollout = html.indexOf("<tr><th scope=\"row\">attention-rollout</th>");
        int random = html.indexOf("<tr><th scope=\"row\">random</th>");
        int shap = html.indexOf("<tr><th scope=\"row\">kernel-shap:budget=64</th>");
        assertTrue(rollout > 0 && rollout < random && random < shap, html);
        assertFalse(html.contains("average rank"), "no ranks across metrics with one metric");
    }

    @Test
    void dataCannotInjectMarkup() {
        String hostile = "<script>alert(1)</script>";
        String html = LeaderboardPage.render(fixture(hostile), "\"><img src=x>", PROTOCOL + "x: \"</pre>" + hostile + "\"\n",
                provenance(hostile, "a\" onmouseover=\"alert(1)"));

        assertFalse(html.contains("<script"), "raw <script> tag");
        assertFalse(html.contains("<img"), "raw <img> tag");
        assertFalse(html.contains("onmouseover=\"alert"), "attribute escaped its quotes");
        // the method's table row, its provenance row, the protocol
        assertEquals(3, count(html, "&lt;script&gt;alert(1)&lt;/script&gt;"), html);
        assertTrue(html.contains("<td>a&quot; onmouseover=&quot;alert(1)</td>"));
    }

    @Test
    void makesNoNetworkReferences() {
        String html = page();
        for (String forbidden : List.of("http://", "https://", "<script", "<link", "<img", "<iframe", "src=", "url(",
                "@import")) {
            assertFalse(html.contains(forbidden), forbidden);
        }
    }

    private static int count(String s, String part) {
        int n = 0;
        for (int i = s.indexOf(part); i >= 0; i = s.indexOf(part, i + part.length())) {
            n++;
        }
        return n;
    }
}
