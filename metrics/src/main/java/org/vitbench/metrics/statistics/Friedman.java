package org.vitbench.metrics.statistics;

import org.apache.commons.statistics.distribution.ChiSquaredDistribution;
import org.apache.commons.statistics.distribution.FDistribution;
import org.vitbench.api.Direction;

/**
 * Friedman test of k methods over N blocks (datasets, models or metrics), with the average rank of
 * each method and the Iman-Davenport F variant (Friedman, 1937, JASA 32(200):675-701; Iman and
 * Davenport, 1980, Communications in Statistics A 9(6):571-595; as used by Demšar, 2006, JMLR
 * 7:1-30, sec. 3.2.2).
 *
 * <p>Scores are a table {@code [N blocks][k methods]}. Within each block the methods are ranked,
 * 1 for the best under the given {@link Direction}, tied scores sharing their average rank. With
 * average ranks {@code R_j},
 * <pre>
 * chi2_F = 12 N / (k (k + 1)) * sum_j (R_j - (k + 1) / 2)^2
 * </pre>
 * divided, when tie correction is on (the default), by
 * {@code C = 1 - sum_blocks sum_groups (t^3 - t) / (N k (k^2 - 1))} (Hollander, Wolfe and Chicken,
 * 2014, sec. 7.1; the same as R's {@code friedman.test}). Demšar's formula is the uncorrected one;
 * {@link #withoutTieCorrection()} reproduces it. The p-value is the chi-square survival with
 * {@code k - 1} degrees of freedom. The Iman-Davenport statistic
 * {@code F_F = (N - 1) chi2_F / (N (k - 1) - chi2_F)} is compared with an F distribution with
 * {@code k - 1} and {@code (k - 1)(N - 1)} degrees of freedom; Demšar recommends it because
 * chi2_F is conservative.
 *
 * <p>Edge cases: when every block ties all methods, C is 0, and the result is {@code chi2_F = 0},
 * {@code F_F = 0}, with both p-values 1 (no difference is observed). When every block ranks the
 * methods identically (and, with tie correction, without ties), {@code F_F} is infinite and its
 * p-value 0. Only exactly equal doubles tie. Instances are immutable and thread-safe.
 */
public final class Friedman {

    private static final Friedman DEFAULT = new Friedman(true);

    private final boolean tieCorrection;

    private Friedman(boolean tieCorrection) {
        this.tieCorrection = tieCorrection;
    }

    /** With tie correction. */
    public static Friedman withDefaults() {
        return DEFAULT;
    }

    /** Without tie correction, as printed in Demšar (2006). */
    public static Friedman withoutTieCorrection() {
        return new Friedman(false);
    }

    /**
     * Average rank of each method over the blocks, 1 = best.
     *
     * @param scores {@code [N blocks][k methods]}, at least 1 block and 2 methods, all finite
     * @param direction which way a score is better
     * @return {@code k} average ranks, summing to {@code k (k + 1) / 2}
     */
    public static double[] averageRanks(double[][] scores, Direction direction) {
        int k = Inputs.requireTable("scores", scores, 1, 2, "blocks", "methods");
        return sumRanks(scores, direction, k, null);
    }

    /**
     * Runs the test.
     *
     * @param scores {@code [N blocks][k methods]}, at least 2 blocks and 2 methods, all finite
     * @param direction which way a score is better; it changes the average ranks, not the statistic
     * @throws IllegalArgumentException for fewer than 2 blocks or methods, ragged rows, or
     *     non-finite scores
     */
    public Result test(double[][] scores, Direction direction) {
        int k = Inputs.requireTable("scores", scores, 2, 2, "blocks", "methods");
        int n = scores.length;
        double[] ties = new double[1];
        double[] ranks = sumRanks(scores, direction, k, ties);
        double chi2 = statistic(ranks, n);
        if (tieCorrection) {
            double c = 1 - ties[0] / (n * (double) k * ((double) k * k - 1));
            if (c == 0) {
                return new Result(ranks, 0, 1, 0, 1, n, k);
            }
            chi2 /= c;
        }
        double df1 = k - 1;
        double df2 = (k - 1.0) * (n - 1.0);
        double p = ChiSquaredDistribution.of(df1).survivalProbability(chi2);
        double denominator = n * (k - 1.0) - chi2;
        // chi2 reaches N (k - 1) when all blocks agree perfectly; rounding may overshoot it slightly.
        double f = denominator <= 1e-12 * n * (k - 1.0) ? Double.POSITIVE_INFINITY : (n - 1) * chi2 / denominator;
        double pF = Double.isInfinite(f) ? 0 : FDistribution.of(df1, df2).survivalProbability(f);
        return new Result(ranks, chi2, p, f, pF, n, k);
    }

    /**
     * Demšar's (2006) Friedman statistic from published average ranks, without tie correction:
     * {@code 12 N / (k (k + 1)) * sum_j (R_j - (k + 1) / 2)^2}.
     *
     * @param averageRanks the k average ranks
     * @param blocks the number N of blocks they were averaged over
     */
    public static double statistic(double[] averageRanks, int blocks) {
        int k = averageRanks.length;
        if (k < 2 || blocks < 1) {
            throw new IllegalArgumentException("need at least 2 methods and 1 block, got k=" + k + ", N=" + blocks);
        }
        double mid = (k + 1) / 2.0;
        double ss = 0;
        for (double r : averageRanks) {
            ss += (r - mid) * (r - mid);
        }
        return 12.0 * blocks / (k * (k + 1.0)) * ss;
    }

    /** Average ranks; adds the blocks' tie sums into {@code ties[0]} when {@code ties} is given. */
    private static double[] sumRanks(double[][] scores, Direction direction, int k, double[] ties) {
        double[] sum = new double[k];
        for (double[] row : scores) {
            double[] r = RowRanks.of(row, direction);
            for (int j = 0; j < k; j++) {
                sum[j] += r[j];
            }
            if (ties != null) {
                ties[0] += RowRanks.tieSum(r);
            }
        }
        for (int j = 0; j < k; j++) {
            sum[j] /= scores.length;
        }
        return sum;
    }

    /**
     * Outcome of a Friedman test.
     *
     * @param averageRanks average rank of each method, 1 = best, in input column order
     * @param chiSquare Friedman chi2_F (tie-corrected unless built without it)
     * @param pValue chi-square p-value with k - 1 degrees of freedom
     * @param imanDavenport Iman-Davenport F_F
     * @param imanDavenportPValue F p-value with k - 1 and (k - 1)(N - 1) degrees of freedom
     * @param blocks N
     * @param methods k
     */
    public record Result(double[] averageRanks, double chiSquare, double pValue, double imanDavenport,
            double imanDavenportPValue, int blocks, int methods) {

        /** Copies the ranks so the record stays immutable. */
        public Result {
            averageRanks = averageRanks.clone();
        }

        @Override
        public double[] averageRanks() {
            return averageRanks.clone();
        }
    }
}
