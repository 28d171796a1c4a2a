package org.vitbench.reports;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

/** Demšar's grouping on hand-made ranks, and the drawing. */
class CriticalDifferenceDiagramTest {

    @Test
    void groupsJoinRanksCloserThanTheCriticalDifference() {
        assertGroups(new double[] {1.0, 1.5, 3.0, 3.2}, 1.0, new int[][] {{0, 1}, {2, 3}});
        // a group contained in an earlier one is left out
        assertGroups(new double[] {1.0, 1.2, 1.4, 2.5}, 1.0, new int[][] {{0, 2}});
        // overlapping groups both stay
        assertGroups(new double[] {1.0, 1.8, 2.6}, 1.0, new int[][] {{0, 1}, {1, 2}});
        // a difference equal to CD is significant (Demšar: "differ by at least the critical difference")
        assertGroups(new double[] {1.0, 2.0}, 1.0, new int[][] {});
        assertGroups(new double[] {1.0, 2.0, 3.0}, 5.0, new int[][] {{0, 2}});
    }

    @Test
    void theDiagramShowsEveryMethodWithItsRankAndTheCd() throws Exception {
        ReportData.Agreement a = agreement(0.001, 1.0);
        String svg = CriticalDifferenceDiagram.standalone(a);
        Xml.parse(svg);
        for (String label : List.of("a (1.00)", "b (1.50)", "&lt;c&gt; (3.00)", "d (3.20)", "CD = 1.00")) {
            assertTrue(svg.contains(label), label);
        }
        assertEquals(2, count(svg, "class=\"group\""), "two groups");
        String html = CriticalDifferenceDiagram.render(a);
        assertTrue(html.contains("less than the Nemenyi critical difference CD = 1.00"), html);
    }

    @Test
    void axisNumbersNeverTouchWhateverTheNumberOfMethods() {
        assertEquals(1, CriticalDifferenceDiagram.labelStep(30));
        assertEquals(2, CriticalDifferenceDiagram.labelStep(20));
        assertEquals(5, CriticalDifferenceDiagram.labelStep(8));
        assertEquals(10, CriticalDifferenceDiagram.labelStep(3));
        for (int k : new int[] {3, 12, 23, 60}) {
            List<String> methods = new java.util.ArrayList<>();
            double[] ranks = new double[k];
            for (int i = 0; i < k; i++) {
                methods.add("method-" + i);
                ranks[i] = 1 + i * (k - 1.0) / k;
            }
            String svg = CriticalDifferenceDiagram.standalone(new ReportData.Agreement(methods, List.of("m1", "m2"),
                    ranks, 10, 0.001, 2.5, 0.5, 0.01));
            java.util.regex.Matcher m = java.util.regex.Pattern.compile(
                    "<text x=\"([0-9.]+)\" y=\"47\" text-anchor=\"middle\">(\\d+)</text>").matcher(svg);
            List<Double> xs = new java.util.ArrayList<>();
            while (m.find()) {
                xs.add(Double.parseDouble(m.group(1)));
            }
            assertTrue(xs.size() >= 2, k + " methods: " + xs);
            for (int i = 1; i < xs.size(); i++) {
                assertTrue(xs.get(i) - xs.get(i - 1) >= 26, k + " methods: numbers at " + xs);
            }
            for (String method : methods) {
                assertEquals(1, count(svg, ">" + method + " ("), method + " is labelled once");
            }
        }
    }

    @Test
    void theDiagramOfAFixedAgreementMatchesItsGoldenFile() throws Exception {
        String svg = CriticalDifferenceDiagram.standalone(agreement(0.001, 1.0));
        Xml.parse(svg);
        Golden.check("critical-difference.svg", svg);
    }

    @Test
    void withoutASignificantFriedmanTestOneBarJoinsAllAndWithoutCdNone() {
        String notSignificant = CriticalDifferenceDiagram.render(agreement(0.2, 1.0));
        assertEquals(1, count(notSignificant, "class=\"group\""));
        assertTrue(notSignificant.contains("does not reject equal ranks (p = 0.200)"), notSignificant);
        String noCd = CriticalDifferenceDiagram.render(agreement(0.001, Double.NaN));
        assertEquals(0, count(noCd, "class=\"group\""));
        assertFalse(noCd.contains("CD ="));
        assertTrue(noCd.contains("No critical difference could be computed"));
    }

    private static ReportData.Agreement agreement(double friedmanP, double cd) {
        return new ReportData.Agreement(List.of("b", "a", "d", "<c>"), List.of("m1", "m2"),
                new double[] {1.5, 1.0, 3.2, 3.0}, 9.0, friedmanP, cd, 0.8, 0.01);
    }

    private static void assertGroups(double[] ranks, double cd, int[][] expected) {
        List<int[]> groups = CriticalDifferenceDiagram.groups(ranks, cd);
        assertEquals(expected.length, groups.size(), "groups of " + java.util.Arrays.toString(ranks));
        for (int i = 0; i < expected.length; i++) {
            assertEquals(expected[i][0], groups.get(i)[0]);
            assertEquals(expected[i][1], groups.get(i)[1]);
        }
    }

    static int count(String text, String part) {
        int n = 0;
        for (int i = text.indexOf(part); i >= 0; i = text.indexOf(part, i + 1)) {
            n++;
        }
        return n;
    }
}
