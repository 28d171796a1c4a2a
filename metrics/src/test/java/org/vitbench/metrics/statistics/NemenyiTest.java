package org.vitbench.metrics.statistics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class NemenyiTest {

    /**
     * Demšar (2006), sec. 3.2.2: k = 4, N = 14 gives CD = 2.569 sqrt(20 / 84) = 1.25 at alpha 0.05
     * and 2.291 sqrt(20 / 84) = 1.12 at alpha 0.10. C4.5 (average rank 3.143) against C4.5+m+cf
     * (1.964) differs by 1.179: significant at 0.10 only.
     */
    @Test
    void reproducesDemsarCriticalDifference() {
        assertEquals(1.25, Nemenyi.criticalDifference(4, 14, 0.05), 0.005);
        assertEquals(1.12, Nemenyi.criticalDifference(4, 14, 0.10), 0.005);
        assertFalse(Nemenyi.differ(3.143, 1.964, 4, 14, 0.05));
        assertTrue(Nemenyi.differ(3.143, 1.964, 4, 14, 0.10));
        assertFalse(Nemenyi.differ(2.893, 2.000, 4, 14, 0.10));
    }

    /**
     * Demšar's Table 5(a), as printed, for k = 2..10 at both alphas; his last digit is sometimes cut
     * rather than rounded (k = 3: 2.3437 printed as 2.343), hence 0.001.
     */
    @Test
    void computedQuantilesReproduceDemsarsTable() {
        double[] q05 = {1.960, 2.343, 2.569, 2.728, 2.850, 2.949, 3.031, 3.102, 3.164};
        double[] q10 = {1.645, 2.052, 2.291, 2.459, 2.589, 2.693, 2.780, 2.855, 2.920};
        for (int k = 2; k <= 10; k++) {
            assertEquals(q05[k - 2], Nemenyi.q(k, 0.05), 0.001, "k=" + k + " alpha=0.05");
            assertEquals(q10[k - 2], Nemenyi.q(k, 0.10), 0.001, "k=" + k + " alpha=0.10");
        }
    }

    /**
     * k = 2..20 against the Studentized range integrated independently in reference_values.py
     * (printed to four decimals).
     */
    @Test
    void computedQuantilesMatchTheNumericalReference() {
        for (double alpha : new double[] {0.05, 0.10}) {
            String[] q = ReferenceValues.line("nemenyi q alpha=" + alpha + ":").split(": ")[1].trim().split(" ");
            assertEquals(19, q.length);
            for (int k = 2; k <= 20; k++) {
                assertEquals(Double.parseDouble(q[k - 2]), Nemenyi.q(k, alpha), 0.00015, "k=" + k + " alpha=" + alpha);
            }
        }
    }

    /** The default run compares 23 methods: beyond any printed table, still increasing in k. */
    @Test
    void anyNumberOfMethodsHasACriticalDifference() {
        double previous = Nemenyi.q(20, 0.05);
        for (int k = 21; k <= 40; k++) {
            double q = Nemenyi.q(k, 0.05);
            assertTrue(q > previous && q < 4.5, "k=" + k + ": " + q);
            previous = q;
        }
    }

    @Test
    void criticalDifferenceShrinksWithMoreBlocks() {
        assertEquals(Nemenyi.criticalDifference(5, 10, 0.10) / 2, Nemenyi.criticalDifference(5, 40, 0.10), 1e-12);
    }

    @Test
    void rejectsInvalidArguments() {
        IllegalArgumentException k = assertThrows(IllegalArgumentException.class, () -> Nemenyi.q(1, 0.05));
        assertTrue(k.getMessage().contains("got 1"), k.getMessage());
        assertThrows(IllegalArgumentException.class, () -> Nemenyi.q(4, 0));
        assertThrows(IllegalArgumentException.class, () -> Nemenyi.q(4, 1));
        assertThrows(IllegalArgumentException.class, () -> Nemenyi.criticalDifference(4, 0, 0.05));
    }
}
