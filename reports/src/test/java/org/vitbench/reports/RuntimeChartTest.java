package org.vitbench.reports;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

/** The runtime bar chart: explain timings only, fastest first, log axis beyond a 100x range. */
class RuntimeChartTest {

    @Test
    void barsFollowSpeedAndTheAxisTurnsLogarithmicBeyondAHundredfold() throws Exception {
        String svg = RuntimeChart.standalone(List.of(new ReportData.Timing("slow", "explain", 2.0, 0.1, 4),
                new ReportData.Timing("<fast>", "explain", 0.001, 0.0, 4),
                new ReportData.Timing("deletion", "metric", 0.5, 0.05, 8)));
        Xml.parse(svg);
        assertTrue(svg.indexOf("&lt;fast&gt;") < svg.indexOf(">slow<"), "fastest first");
        assertFalse(svg.contains(">deletion<"), "metrics are not methods");
        assertTrue(svg.contains("(logarithmic axis)"));
        assertEquals(2, CriticalDifferenceDiagramTest.count(svg, "class=\"bar\""));

        String linear = RuntimeChart.standalone(List.of(new ReportData.Timing("a", "explain", 1.0, 0.1, 4),
                new ReportData.Timing("b", "explain", 50.0, 1, 4)));
        assertFalse(linear.contains("logarithmic"));
        assertTrue(RuntimeChart.logarithmic(0.5, 50.5));
        assertFalse(RuntimeChart.logarithmic(0.5, 50.0));
        assertEquals("", RuntimeChart.render(List.of()));
    }
}
