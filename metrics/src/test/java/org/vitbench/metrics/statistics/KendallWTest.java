package org.vitbench.metrics.statistics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.vitbench.api.Direction;
import org.vitbench.metrics.statistics.KendallW.Result;

class KendallWTest {

    private static final Direction LOW = Direction.LOWER_IS_BETTER;
    private static final Direction HIGH = Direction.HIGHER_IS_BETTER;

    @Test
    void perfectAgreementIsOne() {
        double[][] s = {{0.1, 0.5, 0.9, 0.7}, {1, 5, 9, 7}, {-3, 0, 4, 2}};

        Result r = KendallW.of(s, HIGH);

        assertEquals(1.0, r.w(), 1e-15);
        assertEquals(9.0, r.chiSquare(), 1e-12); // m (n - 1) W
    }

    /** Two raters, one the reverse of the other: all rank sums are n + 1, so S = 0 and W = 0. */
    @Test
    void twoReversedRatersGiveZero() {
        assertEquals(0.0, KendallW.of(new double[][] {{1, 2, 3, 4}, {4, 3, 2, 1}}, LOW).w(), 0.0);
    }

    /** By hand: ranks (1,2,3), (1,2,3), (3,2,1) give R = (5,6,7), S = 2, W = 24 / (9 * 24) = 1/9. */
    @Test
    void oneDissenterOfThree() {
        assertEquals(1.0 / 9, KendallW.of(new double[][] {{1, 2, 3}, {1, 2, 3}, {3, 2, 1}}, LOW).w(), 1e-15);
    }

    /** A lower-is-better metric that orders the methods the same way agrees fully once directions are known. */
    @Test
    void directionsArePerRater() {
        double[][] s = {{0.9, 0.5, 0.1}, {1, 2, 3}};

        assertEquals(1.0, KendallW.of(s, new Direction[] {HIGH, LOW}).w(), 1e-15);
        assertEquals(0.0, KendallW.of(s, LOW).w(), 1e-15);
    }

    /** 3 x 5 ranks with a tie in rater 2, against reference_values.py (Siegel and Castellan eq. 9.16). */
    @Test
    void tiedExampleMatchesNumpy() {
        double[][] s = {{1, 2, 3, 4, 5}, {2, 1, 3, 3, 5}, {1, 3, 2, 5, 4}};
        String ref = "kendall tied 3x5:";

        Result r = KendallW.of(s, LOW);

        assertEquals(ReferenceValues.value(ref, "W"), r.w(), 1e-12);
        assertEquals(ReferenceValues.value(ref, "chi2"), r.chiSquare(), 1e-10);
        assertEquals(ReferenceValues.value(ref, "p"), r.pValue(), 1e-12);
        // By hand: ranks (1,2,3,4,5), (2,1,3.5,3.5,5), (1,3,2,5,4); R = (4, 6, 8.5, 12.5, 14), S = 71.5,
        // T = 2^3 - 2 = 6, W = 12 * 71.5 / (9 * 120 - 3 * 6) = 858 / 1062.
        assertEquals(858.0 / 1062.0, r.w(), 1e-15);
    }

    /** With raters as blocks, m (n - 1) W is the tie-corrected Friedman statistic. */
    @Test
    void chiSquareEqualsFriedman() {
        double[][] s = FriedmanTest.DEMSAR_AUC;

        Result w = KendallW.of(s, HIGH);
        Friedman.Result f = Friedman.withDefaults().test(s, HIGH);

        assertEquals(f.chiSquare(), w.chiSquare(), 1e-10);
        assertEquals(f.pValue(), w.pValue(), 1e-12);
    }

    @Test
    void allRatersTyingEverythingIsUndefined() {
        assertTrue(Double.isNaN(KendallW.of(new double[][] {{1, 1}, {2, 2}}, HIGH).w()));
    }

    @Test
    void rejectsBadInput() {
        assertThrows(IllegalArgumentException.class, () -> KendallW.of(new double[][] {{1, 2, 3}}, HIGH));
        assertThrows(IllegalArgumentException.class, () -> KendallW.of(new double[][] {{1}, {2}}, HIGH));
        IllegalArgumentException dirs = assertThrows(IllegalArgumentException.class,
                () -> KendallW.of(new double[][] {{1, 2}, {2, 1}}, new Direction[] {HIGH}));
        assertTrue(dirs.getMessage().contains("2 raters, 1 directions"), dirs.getMessage());
        assertThrows(IllegalArgumentException.class,
                () -> KendallW.of(new double[][] {{1, 2}, {Double.NaN, 1}}, HIGH));
    }
}
