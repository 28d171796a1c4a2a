package org.vitbench.methods.gradient;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

class QuadratureTest {

    @Test
    void gaussLegendreMatchesTheClosedFormsForTwoAndThreeNodes() {
        // Newton's nodes and the weights from P_n' agree with the closed forms to a few ulps.
        double[][] two = Quadrature.GAUSS_LEGENDRE.rule(2);
        double h = 0.5 / Math.sqrt(3);
        assertArrayEquals(new double[] {0.5 - h, 0.5 + h}, two[0], 1e-14);
        assertArrayEquals(new double[] {0.5, 0.5}, two[1], 1e-14);
        double[][] three = Quadrature.GAUSS_LEGENDRE.rule(3);
        double t = 0.5 * Math.sqrt(0.6);
        assertArrayEquals(new double[] {0.5 - t, 0.5, 0.5 + t}, three[0], 1e-14);
        assertArrayEquals(new double[] {5.0 / 18, 8.0 / 18, 5.0 / 18}, three[1], 1e-14);
    }

    @Test
    void gaussLegendreIntegratesPolynomialsOfDegreeTwoNMinusOneExactly() {
        for (int n : new int[] {1, 2, 5, 10, 50, 100}) {
            double[][] rule = Quadrature.GAUSS_LEGENDRE.rule(n);
            for (int degree : new int[] {0, 1, n, 2 * n - 1}) {
                double integral = 0;
                for (int k = 0; k < n; k++) {
                    integral += rule[1][k] * Math.pow(rule[0][k], degree);
                }
                // Exact in exact arithmetic; 1e-13 covers rounding in the nodes and the sum.
                assertEquals(1.0 / (degree + 1), integral, 1e-13, n + " nodes, a^" + degree);
            }
            for (int k = 1; k < n; k++) {
                assertEquals(true, rule[0][k] > rule[0][k - 1], "nodes increase");
            }
        }
    }

    @Test
    void riemannRulesHaveTheirNodesAndEqualWeights() {
        assertArrayEquals(new double[] {0, 0.25, 0.5, 0.75}, Quadrature.RIEMANN_LEFT.rule(4)[0], 0);
        assertArrayEquals(new double[] {0.25, 0.5, 0.75, 1}, Quadrature.RIEMANN_RIGHT.rule(4)[0], 0);
        assertArrayEquals(new double[] {0.125, 0.375, 0.625, 0.875}, Quadrature.RIEMANN_MIDDLE.rule(4)[0], 0);
        assertArrayEquals(new double[] {0.25, 0.25, 0.25, 0.25}, Quadrature.RIEMANN_MIDDLE.rule(4)[1], 0);
        double[][] trapezoid = Quadrature.RIEMANN_TRAPEZOID.rule(5);
        assertArrayEquals(new double[] {0, 0.25, 0.5, 0.75, 1}, trapezoid[0], 0);
        assertArrayEquals(new double[] {0.125, 0.25, 0.25, 0.25, 0.125}, trapezoid[1], 0);
        assertThrows(IllegalArgumentException.class, () -> Quadrature.RIEMANN_TRAPEZOID.rule(1));
    }

    @Test
    void idsRoundTrip() {
        for (Quadrature q : Quadrature.values()) {
            assertEquals(q, Quadrature.parse(q.id()));
        }
        assertEquals("gauss-legendre", Quadrature.GAUSS_LEGENDRE.id());
    }
}
