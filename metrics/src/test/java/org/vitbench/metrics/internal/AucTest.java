package org.vitbench.metrics.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

class AucTest {

    @Test
    void meanIsThePlainAverageOfTheCurve() {
        assertEquals(0.41, Auc.mean(new double[] {0.95, 0.59, 0.32, 0.14, 0.05}), 1e-15);
        assertEquals(0.7, Auc.mean(new double[] {0.7}), 0);
        assertThrows(IllegalArgumentException.class, () -> Auc.mean(new double[0]));
    }

    @Test
    void trapezoidIntegratesPiecewiseLinearCurvesExactly() {
        // y = x on [0, 1]: area 1/2; the mean of the same 5 points is also 1/2, but for y = x^2 they differ.
        double[] x = {0, 0.25, 0.5, 0.75, 1};
        assertEquals(0.5, Auc.trapezoid(x, x), 1e-15);
        double[] squares = {0, 0.0625, 0.25, 0.5625, 1};
        // 0.25 * (0 + 2 * (0.0625 + 0.25 + 0.5625) + 1) / 2 = 0.34375; mean = 1.875 / 5 = 0.375
        assertEquals(0.34375, Auc.trapezoid(x, squares), 1e-15);
        assertEquals(0.375, Auc.mean(squares), 1e-15);
        // Uneven spacing: a step at x = 0.1.
        assertEquals(0.9 + 0.05, Auc.trapezoid(new double[] {0, 0.1, 1}, new double[] {0, 1, 1}), 1e-15);
    }

    @Test
    void trapezoidRejectsMalformedCurves() {
        assertThrows(IllegalArgumentException.class, () -> Auc.trapezoid(new double[] {0}, new double[] {1}));
        assertThrows(IllegalArgumentException.class,
                () -> Auc.trapezoid(new double[] {0, 1}, new double[] {1, 2, 3}));
        assertThrows(IllegalArgumentException.class,
                () -> Auc.trapezoid(new double[] {0, 1, 0.5}, new double[] {1, 2, 3}));
    }
}
