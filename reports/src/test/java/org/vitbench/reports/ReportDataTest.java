package org.vitbench.reports;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.vitbench.api.Direction;

class ReportDataTest {

    @Test
    void ranksLowerIsBetterAscendingWithSharedRanksForTies() {
        List<ReportData.Row> ranked = ReportData.ranked(List.of(
                row("a", "m", Direction.LOWER_IS_BETTER, 0.3, 5),
                row("b", "m", Direction.LOWER_IS_BETTER, 0.1, 5),
                row("c", "m", Direction.LOWER_IS_BETTER, 0.3, 5),
                row("d", "m", Direction.LOWER_IS_BETTER, 0.5, 5)));

        assertEquals(List.of(2, 1, 2, 4), ranked.stream().map(ReportData.Row::rank).toList());
    }

    @Test
    void ranksHigherIsBetterDescendingPerMetricAndLeavesEmptyRowsUnranked() {
        List<ReportData.Row> ranked = ReportData.ranked(List.of(
                row("a", "up", Direction.HIGHER_IS_BETTER, 0.3, 5),
                row("b", "up", Direction.HIGHER_IS_BETTER, 0.9, 5),
                row("a", "down", Direction.LOWER_IS_BETTER, 0.3, 5),
                row("b", "down", Direction.LOWER_IS_BETTER, 0.9, 5),
                row("c", "up", Direction.HIGHER_IS_BETTER, Double.NaN, 0)));

        assertEquals(List.of(2, 1, 1, 2, 0), ranked.stream().map(ReportData.Row::rank).toList());
        assertEquals(List.of("a", "b", "c"), new ReportData("t", java.util.Map.of(), ranked, List.of(), List.of(),
                List.of()).methods());
    }

    @Test
    void curvesNeedEqualLengths() {
        assertThrows(IllegalArgumentException.class, () -> new ReportData.Curve("a", "m", new double[2],
                new double[2], new double[1], new double[2], 1));
    }

    private static ReportData.Row row(String method, String metric, Direction d, double mean, int n) {
        return new ReportData.Row(method, metric, metric + "@p{}v1", "h", d, mean, mean, mean, n, 0, 0);
    }
}
