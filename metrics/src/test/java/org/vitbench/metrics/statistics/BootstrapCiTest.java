package org.vitbench.metrics.statistics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;
import org.junit.jupiter.api.Test;
import org.vitbench.metrics.statistics.BootstrapCi.Estimate;

class BootstrapCiTest {

    @Test
    void constantDataGivesAPointInterval() {
        double[] x = new double[37];
        java.util.Arrays.fill(x, 0.1);

        Estimate e = BootstrapCi.withDefaults(7).estimate(x);

        assertEquals(0.1, e.mean(), 0.0);
        assertEquals(0.1, e.low(), 0.0);
        assertEquals(0.1, e.high(), 0.0);
        assertEquals(37, e.n());
    }

    /**
     * For {0, 1} the resampled mean is 0, 0.5 or 1 with probabilities 1/4, 1/2, 1/4. With 2000
     * resamples the type-7 quantiles at 0.025 and 0.975 read order statistics 49/50 and 1948/1949,
     * which are 0 and 1 unless fewer than 51 of about 500 resamples hit an end (probability below
     * 1e-100).
     */
    @Test
    void twoPointsGiveTheHandComputedInterval() {
        Estimate e = BootstrapCi.withDefaults(3).estimate(new double[] {0, 1});

        assertEquals(0.5, e.mean(), 0.0);
        assertEquals(0.0, e.low(), 0.0);
        assertEquals(1.0, e.high(), 0.0);
    }

    @Test
    void nanValuesAreSkippedAndCounted() {
        Estimate e = BootstrapCi.withDefaults(1).estimate(new double[] {1, Double.NaN, 3, Double.NaN});

        assertEquals(2.0, e.mean(), 0.0);
        assertEquals(2, e.n());
        assertEquals(2, e.skipped());
        assertTrue(e.low() >= 1 && e.high() <= 3, e.toString());
    }

    @Test
    void noFiniteValueGivesNaN() {
        Estimate e = BootstrapCi.withDefaults(1).estimate(new double[] {Double.NaN});

        assertTrue(Double.isNaN(e.mean()) && Double.isNaN(e.low()) && Double.isNaN(e.high()));
        assertEquals(0, e.n());
        assertEquals(1, e.skipped());
    }

    @Test
    void oneValueIsItsOwnInterval() {
        Estimate e = BootstrapCi.withDefaults(1).estimate(new double[] {2.5});

        assertEquals(new Estimate(2.5, 2.5, 2.5, 1, 0), e);
    }

    @Test
    void infiniteValuesAreRejected() {
        IllegalArgumentException ex = assertThrows(IllegalArgumentException.class,
                () -> BootstrapCi.withDefaults(1).estimate(new double[] {1, Double.POSITIVE_INFINITY}));
        assertTrue(ex.getMessage().contains("value 1 is Infinity"), ex.getMessage());
    }

    @Test
    void sameSeedGivesTheSameIntervalAndAnotherSeedDoesNot() {
        double[] x = gaussian(50, 11);

        Estimate a = BootstrapCi.withDefaults(42).estimate(x);
        Estimate b = BootstrapCi.withDefaults(42).estimate(x);
        Estimate c = BootstrapCi.withDefaults(43).estimate(x);

        assertEquals(a, b);
        assertNotEquals(a.low(), c.low());
    }

    @Test
    void intervalContainsTheMean() {
        Estimate e = BootstrapCi.withDefaults(5).estimate(gaussian(30, 2));

        assertTrue(e.low() < e.mean() && e.mean() < e.high(), e.toString());
    }

    /**
     * For 400 normal values the percentile interval is close to mean +- 1.96 s / sqrt(n); the
     * tolerance of 10% of the half-width covers the Monte Carlo error of 2000 resamples (about 3%).
     */
    @Test
    void agreesWithTheNormalApproximation() {
        double[] x = gaussian(400, 99);
        int n = x.length;
        double mean = 0;
        for (double v : x) {
            mean += v / n;
        }
        double ss = 0;
        for (double v : x) {
            ss += (v - mean) * (v - mean);
        }
        double halfWidth = 1.96 * Math.sqrt(ss / (n - 1)) / Math.sqrt(n);

        Estimate e = BootstrapCi.withDefaults(0).estimate(x);

        assertEquals(mean, e.mean(), 1e-12);
        assertEquals(mean - halfWidth, e.low(), 0.1 * halfWidth);
        assertEquals(mean + halfWidth, e.high(), 0.1 * halfWidth);
    }

    @Test
    void quantileInterpolatesLinearly() {
        double[] sorted = {0, 10, 20, 30};

        assertEquals(0.0, BootstrapCi.quantile(sorted, 0), 0.0);
        assertEquals(15.0, BootstrapCi.quantile(sorted, 0.5), 1e-12);
        assertEquals(30.0, BootstrapCi.quantile(sorted, 1), 0.0);
    }

    @Test
    void rejectsInvalidSettings() {
        assertThrows(IllegalArgumentException.class, () -> new BootstrapCi(0, 0.95, 1));
        assertThrows(IllegalArgumentException.class, () -> new BootstrapCi(10, 1.0, 1));
    }

    /** Mean 1, standard deviation 2, from a seeded JDK generator (test data only). */
    private static double[] gaussian(int n, long seed) {
        Random random = new Random(seed);
        double[] x = new double[n];
        for (int i = 0; i < n; i++) {
            x[i] = 1 + 2 * random.nextGaussian();
        }
        return x;
    }
}
