package org.vitbench.metrics.statistics;

/**
 * Critical difference of the Nemenyi post-hoc test after a Friedman test (Nemenyi, 1963, PhD
 * thesis, Princeton; Demšar, 2006, JMLR 7:1-30, sec. 3.2.2).
 *
 * <p>Two of k methods ranked over N blocks differ significantly when their average ranks differ by
 * at least {@code CD = q_alpha sqrt(k (k + 1) / (6 N))}, where {@code q_alpha} is the upper alpha
 * quantile of the Studentized range of k means with infinite degrees of freedom, divided by
 * {@code sqrt(2)}. This is the distance drawn as a bar in a critical-difference diagram.
 *
 * <p>Only alpha 0.05 and 0.10 and k from 2 to 20 are tabulated; other values are rejected rather
 * than interpolated. Stateless and thread-safe.
 */
public final class Nemenyi {

    /** Smallest tabulated number of methods. */
    public static final int MIN_METHODS = 2;

    /** Largest tabulated number of methods. */
    public static final int MAX_METHODS = 20;

    // q_alpha for k = 2..20. k = 2..10: Demšar (2006), Table 5(a), as printed (3 decimals).
    // k = 11..20: Studentized range quantiles (infinite df) / sqrt(2), computed by numerical
    // integration in src/test/resources/statistics/reference_values.py (rounded to 3 decimals);
    // the same script reproduces Demšar's k = 2..10 values to within 0.001.
    private static final double[] Q_05 = {
        1.960, 2.343, 2.569, 2.728, 2.850, 2.949, 3.031, 3.102, 3.164,
        3.219, 3.268, 3.313, 3.354, 3.391, 3.426, 3.458, 3.489, 3.517, 3.544,
    };
    private static final double[] Q_10 = {
        1.645, 2.052, 2.291, 2.459, 2.589, 2.693, 2.780, 2.855, 2.920,
        2.978, 3.030, 3.077, 3.120, 3.159, 3.196, 3.230, 3.261, 3.291, 3.319,
    };

    private Nemenyi() {
    }

    /**
     * The tabulated {@code q_alpha}.
     *
     * @param methods k, from 2 to 20
     * @param alpha 0.05 or 0.10
     * @throws IllegalArgumentException for any other k or alpha
     */
    public static double q(int methods, double alpha) {
        if (methods < MIN_METHODS || methods > MAX_METHODS) {
            throw new IllegalArgumentException("Nemenyi q is tabulated for " + MIN_METHODS + " to " + MAX_METHODS
                    + " methods, got " + methods);
        }
        if (alpha == 0.05) {
            return Q_05[methods - MIN_METHODS];
        }
        if (alpha == 0.10) {
            return Q_10[methods - MIN_METHODS];
        }
        throw new IllegalArgumentException("Nemenyi q is tabulated for alpha 0.05 and 0.10, got " + alpha);
    }

    /**
     * The critical difference of average ranks.
     *
     * @param methods k, from 2 to 20
     * @param blocks N, at least 1
     * @param alpha 0.05 or 0.10
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
