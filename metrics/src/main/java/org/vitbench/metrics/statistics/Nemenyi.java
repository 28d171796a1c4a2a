package org.vitbench.metrics.statistics;

import org.apache.commons.statistics.distribution.NormalDistribution;

/**
 * Critical difference of the Nemenyi post-hoc test after a Friedman test (Nemenyi, 1963, PhD
 * thesis, Princeton; Demšar, 2006, JMLR 7:1-30, sec. 3.2.2).
 *
 * <p>Two of k methods ranked over N blocks differ significantly when their average ranks differ by
 * at least {@code CD = q_alpha sqrt(k (k + 1) / (6 N))}, where {@code q_alpha} is the upper alpha
 * quantile of the Studentized range of k means with infinite degrees of freedom, divided by
 * {@code sqrt(2)}. This is the distance drawn as a bar in a critical-difference diagram.
 *
 * <p>The quantile is computed, not read from a table, so any number of methods and any alpha
 * work: the Studentized range of k standard normals has the distribution function
 * {@code P(Q <= q) = k * integral phi(z) [Phi(z) - Phi(z - q)]^(k-1) dz}, integrated with
 * Simpson's rule and inverted by bisection. Demšar's Table 5 (k = 2..10, alpha 0.05 and 0.10) is
 * reproduced to its three decimals (test). Stateless and thread-safe.
 */
public final class Nemenyi {

    /** Fewest methods a comparison has. */
    public static final int MIN_METHODS = 2;

    private static final NormalDistribution NORMAL = NormalDistribution.of(0, 1);

    /** Integration range: the standard normal density is below 1e-14 beyond it. */
    private static final double TAIL = 8.0;

    /** Simpson intervals per unit of z; 100 give 6 correct decimals of the distribution function. */
    private static final int STEPS_PER_UNIT = 100;

    private Nemenyi() {
    }

    /**
     * {@code q_alpha}: the upper {@code alpha} quantile of the Studentized range of {@code methods}
     * means with infinite degrees of freedom, divided by {@code sqrt(2)}.
     *
     * @param methods k, at least 2
     * @param alpha in (0, 1)
     */
    public static double q(int methods, double alpha) {
        if (methods < MIN_METHODS) {
            throw new IllegalArgumentException("the Nemenyi test compares at least " + MIN_METHODS + " methods, got "
                    + methods);
        }
        if (!(alpha > 0 && alpha < 1)) {
            throw new IllegalArgumentException("alpha must be in (0, 1), got " + alpha);
        }
        double target = 1 - alpha;
        double lo = 0;
        double hi = 1;
        while (studentizedRangeCdf(hi, methods) < target) {
            hi *= 2;
        }
        for (int i = 0; i < 60 && hi - lo > 1e-9; i++) {
            double mid = (lo + hi) / 2;
            if (studentizedRangeCdf(mid, methods) < target) {
                lo = mid;
            } else {
                hi = mid;
            }
        }
        return (lo + hi) / 2 / Math.sqrt(2);
    }

    /**
     * {@code P(Q <= range)} for the range Q of {@code k} independent standard normal values.
     */
    static double studentizedRangeCdf(double range, int k) {
        if (range <= 0) {
            return 0;
        }
        double from = -TAIL;
        double to = TAIL;
        int n = 2 * (int) Math.ceil((to - from) * STEPS_PER_UNIT / 2);
        double h = (to - from) / n;
        double sum = 0;
        for (int i = 0; i <= n; i++) {
            double z = from + i * h;
            double inside = NORMAL.cumulativeProbability(z) - NORMAL.cumulativeProbability(z - range);
            double f = NORMAL.density(z) * Math.pow(Math.max(inside, 0), k - 1);
            sum += f * (i == 0 || i == n ? 1 : i % 2 == 1 ? 4 : 2);
        }
        return Math.min(1, k * sum * h / 3);
    }

    /**
     * The critical difference of average ranks.
     *
     * @param methods k, at least 2
     * @param blocks N, at least 1
     * @param alpha in (0, 1)
     */
    public static double criticalDifference(int methods, int blocks, double alpha) {
        if (blocks < 1) {
            throw new IllegalArgumentException("blocks must be at least 1, got " + blocks);
        }
        return q(methods, alpha) * Math.sqrt(methods * (methods + 1.0) / (6.0 * blocks));
    }

    /**
     * Whether two average ranks differ significantly, {@code |rankA - rankB| >= CD}.
     */
    public static boolean differ(double rankA, double rankB, int methods, int blocks, double alpha) {
        return Math.abs(rankA - rankB) >= criticalDifference(methods, blocks, alpha);
    }
}
