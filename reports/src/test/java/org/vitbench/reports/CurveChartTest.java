package org.vitbench.reports;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

class CurveChartTest {

    @Test
    void ticksOfTheUnitIntervalAreFifths() {
        CurveChart.Axis axis = CurveChart.Axis.of(0, 1, 5, 0, 100);

        assertEquals(List.of(0.0, 0.2, 0.4, 0.6000000000000001, 0.8, 1.0), axis.ticks);
        assertEquals("0.6", axis.label(axis.ticks.get(3)));
        assertEquals(0.0, axis.map(0), 0.0);
        assertEquals(100.0, axis.map(1), 1e-12);
    }

    @Test
    void theDomainWidensToRoundValues() {
        CurveChart.Axis axis = CurveChart.Axis.of(0.13, 0.87, 5, 0, 1);

        // span 0.74 / 5 ticks = 0.148 -> step 0.1
        assertEquals(0.1, axis.lo, 1e-12);
        assertEquals(0.9, axis.hi, 1e-12);
        assertEquals(9, axis.ticks.size());
    }

    @Test
    void aConstantCurveGetsAPaddedAxis() {
        CurveChart.Axis axis = CurveChart.Axis.of(2, 2, 5, 0, 1);

        assertTrue(axis.lo < 2 && axis.hi > 2, axis.lo + ".." + axis.hi);
    }

    @Test
    void aNaNPointBreaksTheLineAndDropsTheBand() {
        ReportData.Curve c = new ReportData.Curve("m", "deletion", new double[] {0, 0.5, 1},
                new double[] {1, Double.NaN, 0}, new double[] {1, Double.NaN, 0}, new double[] {1, Double.NaN, 0}, 2);

        String svg = CurveChart.render("deletion", List.of(c), "x", "y");

        assertTrue(svg.contains("d=\"M64.0,16.0 M624.0,272.0\""), svg);
        assertTrue(!svg.contains("<polygon"), svg);
    }
}
