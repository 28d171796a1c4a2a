package org.vitbench.metrics.statistics;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

/** Correlations against values worked out by hand (and scipy.stats for the tied case). */
class CorrelationTest {

    private static final double EXACT = 1e-12;

    @Test
    void pearsonHandValues() {
        assertEquals(1, Correlation.pearson(new double[] {1, 2, 3}, new double[] {2, 4, 6}), EXACT);
        assertEquals(-1, Correlation.pearson(new double[] {1, 2, 3}, new double[] {3, 2, 1}), EXACT);
        // x = 1, 2, 3, 4; y = 1, 3, 2, 4: sxy = 4, sxx = syy = 5, r = 0.8.
        assertEquals(0.8, Correlation.pearson(new double[] {1, 2, 3, 4}, new double[] {1, 3, 2, 4}), EXACT);
        assertEquals(Double.NaN, Correlation.pearson(new double[] {1, 1, 1}, new double[] {1, 2, 3}), "constant x");
        assertEquals(Double.NaN, Correlation.pearson(new double[] {1, 2, 3}, new double[] {5, 5, 5}), "constant y");
        assertEquals(0, Correlation.undefinedAsZero(Correlation.pearson(new double[] {1, 1, 1},
                new double[] {1, 2, 3})), "the metrics' reading: no evidence");
        assertEquals(0.8, Correlation.undefinedAsZero(0.8));
    }

    @Test
    void spearmanUsesAverageRanks() {
        assertArrayEquals(new double[] {1.5, 3, 1.5, 4}, Correlation.averageRanks(new double[] {2, 5, 2, 7}), 0);
        // A monotone but non-linear relation has rank correlation 1.
        assertEquals(1, Correlation.spearman(new double[] {1, 2, 3, 4}, new double[] {1, 8, 27, 1000}), EXACT);
        // scipy.stats.spearmanr([1, 2, 2, 3], [1, 3, 2, 4]) = 0.9486832980505138 (ranks 1, 2.5, 2.5, 4).
        assertEquals(0.9486832980505138, Correlation.spearman(new double[] {1, 2, 2, 3}, new double[] {1, 3, 2, 4}),
                EXACT);
        assertEquals(Double.NaN, Correlation.spearman(new double[] {0, -0.0, 0}, new double[] {1, 2, 3}),
                "0.0 ties -0.0: a constant sample");
    }

    @Test
    void badInputsFail() {
        assertThrows(IllegalArgumentException.class, () -> Correlation.pearson(new double[] {1}, new double[] {1}));
        assertThrows(IllegalArgumentException.class, () -> Correlation.pearson(new double[] {1, 2}, new double[] {1}));
        assertThrows(IllegalArgumentException.class,
                () -> Correlation.spearman(new double[] {1, Double.NaN}, new double[] {1, 2}));
    }
}
