package org.vitbench.metrics.statistics;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;
import org.junit.jupiter.api.Test;

class HolmTest {

    /**
     * By hand: sorted 0.005, 0.01, 0.03, 0.04 times 4, 3, 2, 1 gives 0.02, 0.03, 0.06, 0.04; the
     * running maximum lifts the last to 0.06. Holm's rule at 0.05: 0.005 <= 0.0125 and
     * 0.01 <= 0.0167 are rejected, then 0.03 > 0.025 stops.
     */
    @Test
    void handExample() {
        double[] p = {0.01, 0.04, 0.03, 0.005};

        assertArrayEquals(new double[] {0.03, 0.06, 0.06, 0.02}, Holm.adjust(p), 1e-15);
        assertArrayEquals(new boolean[] {true, false, false, true}, Holm.reject(p, 0.05));
    }

    @Test
    void adjustedValuesAreCappedAtOne() {
        assertArrayEquals(new double[] {0.9, 1.0, 1.0}, Holm.adjust(new double[] {0.3, 0.6, 0.9}), 1e-15);
    }

    @Test
    void singleHypothesisIsUnchangedAndEmptyFamilyIsEmpty() {
        assertArrayEquals(new double[] {0.042}, Holm.adjust(new double[] {0.042}), 0.0);
        assertArrayEquals(new double[0], Holm.adjust(new double[0]), 0.0);
    }

    /** Adjusted values are monotone in the raw ones and never below them. */
    @Test
    void adjustedValuesAreMonotone() {
        Random random = new Random(5);
        double[] p = new double[40];
        for (int i = 0; i < p.length; i++) {
            p[i] = Math.pow(random.nextDouble(), 3);
        }

        double[] a = Holm.adjust(p);

        for (int i = 0; i < p.length; i++) {
            assertTrue(a[i] >= p[i] && a[i] <= 1, "index " + i);
            for (int j = 0; j < p.length; j++) {
                if (p[i] <= p[j]) {
                    assertTrue(a[i] <= a[j], i + " vs " + j);
                }
            }
        }
    }

    @Test
    void rejectsInvalidPValuesAndAlpha() {
        IllegalArgumentException nan = assertThrows(IllegalArgumentException.class,
                () -> Holm.adjust(new double[] {0.1, Double.NaN}));
        assertTrue(nan.getMessage().contains("p-value 1 is NaN"), nan.getMessage());
        assertThrows(IllegalArgumentException.class, () -> Holm.adjust(new double[] {1.2}));
        assertThrows(IllegalArgumentException.class, () -> Holm.reject(new double[] {0.1}, 0));
    }
}
