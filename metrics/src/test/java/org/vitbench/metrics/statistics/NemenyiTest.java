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

    /** Demšar's Table 5(a) values as printed, for a few k. */
    @Test
    void tableMatchesDemsar() {
        assertEquals(1.960, Nemenyi.q(2, 0.05), 0.0);
        assertEquals(2.569, Nemenyi.q(4, 0.05), 0.0);
        assertEquals(3.164, Nemenyi.q(10, 0.05), 0.0);
        assertEquals(1.645, Nemenyi.q(2, 0.10), 0.0);
        assertEquals(2.920, Nemenyi.q(10, 0.10), 0.0);
    }

    /**
     * The whole table against Studentized range quantiles integrated numerically in
     * reference_values.py; 0.0011 covers 3-decimal rounding and Demšar's last digit.
     */
    @Test
    void tableMatchesNumericalStudentizedRange() {
        for (double alpha : new double[] {0.05, 0.10}) {
            String[] q = ReferenceValues.line("nemenyi q alpha=" + alpha + ":").split(": ")[1].trim().split(" ");
            assertEquals(19, q.length);
            for (int k = 2; k <= 20; k++) {
                assertEquals(Double.parseDouble(q[k - 2]), Nemenyi.q(k, alpha), 0.0011, "k=" + k + " alpha=" + alpha);
            }
        }
    }

    @Test
    void criticalDifferenceShrinksWithMoreBlocks() {
        assertEquals(Nemenyi.criticalDifference(5, 10, 0.10) / 2, Nemenyi.criticalDifference(5, 40, 0.10), 1e-12);
    }

    @Test
    void rejectsUntabulatedArguments() {
        assertThrows(IllegalArgumentException.class, () -> Nemenyi.q(1, 0.05));
        IllegalArgumentException k = assertThrows(IllegalArgumentException.class, () -> Nemenyi.q(21, 0.05));
        assertTrue(k.getMessage().contains("got 21"), k.getMessage());
        assertThrows(IllegalArgumentException.class, () -> Nemenyi.q(4, 0.01));
        assertThrows(IllegalArgumentException.class, () -> Nemenyi.criticalDifference(4, 0, 0.05));
    }
}
