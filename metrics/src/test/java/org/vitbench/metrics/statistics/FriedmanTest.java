package org.vitbench.metrics.statistics;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.vitbench.api.Direction;
import org.vitbench.metrics.statistics.Friedman.Result;

class FriedmanTest {

    /**
     * Demšar (2006), JMLR 7:1-30, Table 6: AUC of C4.5, C4.5+m, C4.5+cf, C4.5+m+cf on 14 data
     * sets, typed from memory and checked against several public copies of the table. The same
     * table is in reference_values.py.
     */
    static final double[][] DEMSAR_AUC = {
        {0.763, 0.768, 0.771, 0.798}, // adult (sample)
        {0.599, 0.591, 0.590, 0.569}, // breast cancer
        {0.954, 0.971, 0.968, 0.967}, // breast cancer wisconsin
        {0.628, 0.661, 0.654, 0.657}, // cmc
        {0.882, 0.888, 0.886, 0.898}, // ionosphere
        {0.936, 0.931, 0.916, 0.931}, // iris
        {0.661, 0.668, 0.609, 0.685}, // liver disorders
        {0.583, 0.583, 0.563, 0.625}, // lung cancer
        {0.775, 0.838, 0.866, 0.875}, // lymphography
        {1.000, 1.000, 1.000, 1.000}, // mushroom
        {0.940, 0.962, 0.965, 0.962}, // primary tumor
        {0.619, 0.666, 0.614, 0.669}, // rheum
        {0.972, 0.981, 0.975, 0.975}, // voting
        {0.957, 0.978, 0.946, 0.970}, // wine
    };

    /**
     * The printed table ties C4.5+cf and C4.5+m+cf on voting (0.975), yet the paper's average
     * ranks 3.143, 2.000, 2.893, 1.964 hold only if C4.5+cf wins that row (the unrounded AUCs
     * differ). Breaking that tie reproduces all the paper's numbers.
     */
    static double[][] votingTieBroken() {
        double[][] t = new double[DEMSAR_AUC.length][];
        for (int i = 0; i < t.length; i++) {
            t[i] = DEMSAR_AUC[i].clone();
        }
        t[12][2] = 0.97501;
        return t;
    }

    /** Demšar, sec. 3.2.2: ranks 3.143, 2.000, 2.893, 1.964; chi2_F = 9.28; F_F = 3.69. */
    @Test
    void reproducesDemsarWorkedExample() {
        Result r = Friedman.withoutTieCorrection().test(votingTieBroken(), Direction.HIGHER_IS_BETTER);

        assertArrayEquals(new double[] {3.143, 2.000, 2.893, 1.964}, r.averageRanks(), 0.0005);
        assertEquals(9.28, r.chiSquare(), 0.005);
        assertEquals(3.69, r.imanDavenport(), 0.005);
        assertEquals(14, r.blocks());
        assertEquals(4, r.methods());
    }

    @Test
    void statisticFromPublishedAverageRanksIsDemsars() {
        assertEquals(9.28, Friedman.statistic(new double[] {3.143, 2.000, 2.893, 1.964}, 14), 0.005);
    }

    /** All four variants (printed or tie-broken table, with or without tie correction) against numpy. */
    @Test
    void matchesNumpyWithAndWithoutTieCorrection() {
        check("friedman demsar printed tieCorrection=False", Friedman.withoutTieCorrection(), DEMSAR_AUC);
        check("friedman demsar printed tieCorrection=True", Friedman.withDefaults(), DEMSAR_AUC);
        check("friedman demsar votingTieBroken tieCorrection=False", Friedman.withoutTieCorrection(),
                votingTieBroken());
        check("friedman demsar votingTieBroken tieCorrection=True", Friedman.withDefaults(), votingTieBroken());
    }

    private static void check(String ref, Friedman friedman, double[][] table) {
        Result r = friedman.test(table, Direction.HIGHER_IS_BETTER);
        assertArrayEquals(ReferenceValues.list(ref, "ranks"), r.averageRanks(), 1e-11, ref);
        assertEquals(ReferenceValues.value(ref, "chi2"), r.chiSquare(), 1e-10, ref);
        assertEquals(ReferenceValues.value(ref, "p"), r.pValue(), 1e-12, ref);
        assertEquals(ReferenceValues.value(ref, "F"), r.imanDavenport(), 1e-10, ref);
        // numpy integrates the F tail with Simpson's rule; 1e-9 covers its quadrature error.
        assertEquals(ReferenceValues.value(ref, "pF"), r.imanDavenportPValue(), 1e-9, ref);
    }

    /** With ties the hand-checked correction: sum (t^3 - t) = 60 + 4 * 6 = 84, C = 1 - 84 / 840. */
    @Test
    void tieCorrectionDividesByHandComputedFactor() {
        double raw = Friedman.withoutTieCorrection().test(DEMSAR_AUC, Direction.HIGHER_IS_BETTER).chiSquare();
        double corrected = Friedman.withDefaults().test(DEMSAR_AUC, Direction.HIGHER_IS_BETTER).chiSquare();

        assertEquals(raw / 0.9, corrected, 1e-12);
    }

    @Test
    void directionReversesTheRanksButNotTheStatistic() {
        Result high = Friedman.withDefaults().test(DEMSAR_AUC, Direction.HIGHER_IS_BETTER);
        Result low = Friedman.withDefaults().test(DEMSAR_AUC, Direction.LOWER_IS_BETTER);

        double[] h = high.averageRanks();
        double[] l = low.averageRanks();
        for (int j = 0; j < h.length; j++) {
            assertEquals(5 - h[j], l[j], 1e-12);
        }
        assertEquals(high.chiSquare(), low.chiSquare(), 1e-12);
        assertArrayEquals(h, Friedman.averageRanks(DEMSAR_AUC, Direction.HIGHER_IS_BETTER), 0.0);
    }

    @Test
    void tiesShareTheirAverageRank() {
        double[][] one = {{0.5, 0.9, 0.5, -0.0}, {0.1, 0.2, 0.3, 0.0}};

        assertArrayEquals(new double[] {2.5, 1, 2.5, 4}, Friedman.averageRanks(new double[][] {one[0]},
                Direction.HIGHER_IS_BETTER), 0.0);
        // -0.0 and 0.0 are the same score.
        assertArrayEquals(new double[] {1.5, 1.5}, Friedman.averageRanks(new double[][] {{-0.0, 0.0}},
                Direction.LOWER_IS_BETTER), 0.0);
    }

    /** N blocks in the same order: chi2_F reaches its maximum N (k - 1), so F_F is infinite. */
    @Test
    void perfectAgreementGivesMaximalStatistic() {
        double[][] s = {{1, 2, 3}, {10, 20, 30}, {0.1, 0.2, 0.3}, {4, 5, 6}};

        Result r = Friedman.withDefaults().test(s, Direction.LOWER_IS_BETTER);

        assertArrayEquals(new double[] {1, 2, 3}, r.averageRanks(), 0.0);
        assertEquals(8.0, r.chiSquare(), 1e-12);
        assertEquals(Math.exp(-4), r.pValue(), 1e-12); // chi-square with 2 df: sf(x) = exp(-x / 2)
        assertEquals(Double.POSITIVE_INFINITY, r.imanDavenport());
        assertEquals(0.0, r.imanDavenportPValue(), 0.0);
    }

    @Test
    void allTiedGivesNoEvidence() {
        Result r = Friedman.withDefaults().test(new double[][] {{1, 1, 1}, {2, 2, 2}}, Direction.HIGHER_IS_BETTER);

        assertEquals(0.0, r.chiSquare(), 0.0);
        assertEquals(1.0, r.pValue(), 0.0);
        assertEquals(1.0, r.imanDavenportPValue(), 0.0);
    }

    @Test
    void rejectsBadTables() {
        Friedman f = Friedman.withDefaults();
        Direction d = Direction.HIGHER_IS_BETTER;
        assertThrows(IllegalArgumentException.class, () -> f.test(new double[][] {{1, 2}}, d));
        assertThrows(IllegalArgumentException.class, () -> f.test(new double[][] {{1}, {2}}, d));
        IllegalArgumentException ragged = assertThrows(IllegalArgumentException.class,
                () -> f.test(new double[][] {{1, 2}, {1, 2, 3}}, d));
        assertTrue(ragged.getMessage().contains("row 1 has 3"), ragged.getMessage());
        IllegalArgumentException nan = assertThrows(IllegalArgumentException.class,
                () -> f.test(new double[][] {{1, 2}, {Double.NaN, 3}}, d));
        assertTrue(nan.getMessage().contains("scores[1][0] is NaN"), nan.getMessage());
    }
}
