package org.vitbench.metrics.statistics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.apache.commons.statistics.inference.AlternativeHypothesis;
import org.junit.jupiter.api.Test;
import org.vitbench.metrics.statistics.WilcoxonSignedRank.Result;

class WilcoxonSignedRankTest {

    /**
     * Demšar (2006, JMLR 7:1-30, sec. 3.1.3) compares C4.5+m with C4.5 on 14 data sets (AUC of
     * Table 6). Demšar splits the two zero differences between R+ and R- (93 and 12); with zeros
     * dropped, 12 pairs remain, |0.005| ties twice, and by hand W+ = 71.5, W- = 1.5 + 5 = 6.5.
     * The p-value comes from reference_values.py (normal approximation with tie and continuity
     * correction, written with numpy). AUCs are in thousandths so that equal differences are equal
     * doubles.
     */
    @Test
    void demsarExampleWithZerosDroppedMatchesHandAndNumpy() {
        double[] c45 = {763, 599, 954, 628, 882, 936, 661, 583, 775, 1000, 940, 619, 972, 957};
        double[] c45m = {768, 591, 971, 661, 888, 931, 668, 583, 838, 1000, 962, 666, 981, 978};
        String ref = "wilcoxon demsar";

        Result r = WilcoxonSignedRank.withDefaults().test(c45m, c45);

        assertEquals(71.5, r.wPlus(), 0.0);
        assertEquals(6.5, r.wMinus(), 0.0);
        assertEquals(71.5, ReferenceValues.value(ref, "W+"), 0.0);
        assertEquals(12, r.n());
        assertEquals(2, r.zeros());
        assertTrue(r.tied());
        assertFalse(r.exact());
        assertEquals(ReferenceValues.value(ref, "p"), r.pValue(), 1e-12);
        assertEquals(0.0120, r.pValue(), 1e-4);
        assertEquals(65.0 / 78.0, r.rankBiserial(), 1e-15);
        assertEquals(ReferenceValues.value(ref, "rankBiserial"), r.rankBiserial(), 1e-12);
        assertEquals(8.0, r.medianDifference(), 0.0);
    }

    /** 60 pairs without ties: n > 50, so Commons uses the normal approximation; numpy agrees. */
    @Test
    void largeSampleMatchesNumpyNormalApproximation() {
        double[] x = ReferenceValues.array("wilcoxon n60 x=");
        double[] y = ReferenceValues.array("wilcoxon n60 y=");
        String ref = "wilcoxon n60:";

        Result r = WilcoxonSignedRank.withDefaults().test(x, y);

        assertEquals(ReferenceValues.value(ref, "W+"), r.wPlus(), 0.0);
        assertEquals(ReferenceValues.value(ref, "W-"), r.wMinus(), 0.0);
        assertEquals(60, r.n());
        assertFalse(r.exact());
        assertEquals(ReferenceValues.value(ref, "p"), r.pValue(), 1e-12);
        assertEquals(ReferenceValues.value(ref, "rankBiserial"), r.rankBiserial(), 1e-12);
        assertEquals(ReferenceValues.value(ref, "medianDiff"), r.medianDifference(), 1e-12);
    }

    /** Five positive differences: W+ = 15 is the largest of 2^5 equally likely sign patterns. */
    @Test
    void allPositiveGivesTheExactTailProbability() {
        double[] x = {1.5, 2.5, 3.5, 4.5, 5.5};
        double[] y = {1, 1, 1, 1, 1};

        Result r = WilcoxonSignedRank.withDefaults().test(x, y);
        Result greater = WilcoxonSignedRank.withDefaults().with(AlternativeHypothesis.GREATER_THAN).test(x, y);

        assertTrue(r.exact());
        assertEquals(15.0, r.wPlus(), 0.0);
        assertEquals(2.0 / 32, r.pValue(), 1e-15);
        assertEquals(1.0 / 32, greater.pValue(), 1e-15);
        assertEquals(1.0, r.rankBiserial(), 0.0);
    }

    /**
     * Differences 1..8 with ranks 1 and 2 negative: W- = 3. Sign patterns with W- <= 3 are {},
     * {1}, {2}, {3}, {1, 2}, so the exact two-sided p-value is 2 * 5 / 2^8.
     */
    @Test
    void smallSampleExactPValueMatchesEnumeration() {
        double[] d = {-1, -2, 3, 4, 5, 6, 7, 8};

        Result r = WilcoxonSignedRank.withDefaults().test(d, new double[8]);

        assertTrue(r.exact());
        assertEquals(3.0, r.wMinus(), 0.0);
        assertEquals(33.0, r.wPlus(), 0.0);
        assertEquals(10.0 / 256, r.pValue(), 1e-15);
        assertEquals(30.0 / 36, r.rankBiserial(), 1e-15);
        assertEquals(4.5, r.medianDifference(), 0.0);
    }

    @Test
    void swappingTheSamplesFlipsTheEffectButNotTheTwoSidedPValue() {
        double[] x = ReferenceValues.array("wilcoxon n60 x=");
        double[] y = ReferenceValues.array("wilcoxon n60 y=");

        Result xy = WilcoxonSignedRank.withDefaults().test(x, y);
        Result yx = WilcoxonSignedRank.withDefaults().test(y, x);

        assertEquals(xy.pValue(), yx.pValue(), 1e-15);
        assertEquals(-xy.rankBiserial(), yx.rankBiserial(), 1e-15);
        assertEquals(-xy.medianDifference(), yx.medianDifference(), 1e-15);
    }

    @Test
    void identicalSamplesGivePValueOne() {
        double[] x = {0.1, 0.2, 0.3};

        Result r = WilcoxonSignedRank.withDefaults().test(x, x.clone());

        assertEquals(new Result(0, 0, 0, 3, 1.0, false, false, 0, 0), r);
    }

    @Test
    void rejectsBadInput() {
        WilcoxonSignedRank w = WilcoxonSignedRank.withDefaults();
        IllegalArgumentException lengths = assertThrows(IllegalArgumentException.class,
                () -> w.test(new double[] {1, 2, 3}, new double[] {1, 2}));
        assertTrue(lengths.getMessage().contains("3 and 2"), lengths.getMessage());
        assertThrows(IllegalArgumentException.class, () -> w.test(new double[] {1}, new double[] {2}));
        IllegalArgumentException nan = assertThrows(IllegalArgumentException.class,
                () -> w.test(new double[] {1, 2}, new double[] {1, Double.NaN}));
        assertTrue(nan.getMessage().contains("y[1] is NaN"), nan.getMessage());
        assertThrows(IllegalArgumentException.class,
                () -> w.test(new double[] {Double.POSITIVE_INFINITY, 2}, new double[] {1, 1}));
    }
}
