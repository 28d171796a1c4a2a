package org.vitbench.metrics.statistics;

import org.apache.commons.statistics.distribution.ChiSquaredDistribution;
import org.vitbench.api.Direction;

/**
 * Kendall's coefficient of concordance W, with tie correction, for the agreement of m raters
 * (here, metrics) ranking the same n objects (methods) (Kendall and Babington Smith, 1939, Annals
 * of Mathematical Statistics 10(3):275-287; tie correction as in Siegel and Castellan, 1988,
 * Nonparametric Statistics, sec. 9.4).
 *
 * <p>Each rater's scores are ranked, 1 for the best under that rater's {@link Direction}, ties
 * sharing their average rank. With {@code R_j} the rank sum of object j,
 * {@code S = sum_j (R_j - mean R)^2} and {@code T = sum over raters and tie groups of (t^3 - t)},
 * <pre>
 * W = 12 S / (m^2 (n^3 - n) - m T)
 * </pre>
 * W is 1 when all raters agree, and 0 when the rank sums are all equal (for two raters, when one
 * reverses the other). The significance test uses {@code m (n - 1) W}, approximately chi-square
 * with {@code n - 1} degrees of freedom (it equals the tie-corrected Friedman statistic with raters
 * as blocks).
 *
 * <p>Edge case: when every rater ties all objects, W is undefined and the result holds NaN. Only
 * exactly equal doubles tie. Stateless and thread-safe.
 */
public final class KendallW {

    private KendallW() {
    }

    /**
     * Computes W and its chi-square test.
     *
     * @param scores {@code [m raters][n objects]}, at least 2 raters and 2 objects, all finite
     * @param directions one direction per rater
     * @throws IllegalArgumentException for fewer than 2 raters or objects, ragged rows, non-finite
     *     scores, or a direction count other than m
     */
    public static Result of(double[][] scores, Direction[] directions) {
        int n = Inputs.requireTable("scores", scores, 2, 2, "raters", "objects");
        int m = scores.length;
        if (directions.length != m) {
            throw new IllegalArgumentException("need one direction per rater: " + m + " raters, "
                    + directions.length + " directions");
        }
        double[] rankSums = new double[n];
        double ties = 0;
        for (int i = 0; i < m; i++) {
            double[] r = RowRanks.of(scores[i], directions[i]);
            for (int j = 0; j < n; j++) {
                rankSums[j] += r[j];
            }
            ties += RowRanks.tieSum(r);
        }
        double mean = m * (n + 1) / 2.0;
        double s = 0;
        for (double r : rankSums) {
            s += (r - mean) * (r - mean);
        }
        double denominator = (double) m * m * ((double) n * n * n - n) - m * ties;
        if (denominator == 0) {
            return new Result(Double.NaN, Double.NaN, Double.NaN, m, n);
        }
        double w = 12 * s / denominator;
        double chi2 = m * (n - 1.0) * w;
        double p = ChiSquaredDistribution.of(n - 1.0).survivalProbability(chi2);
        return new Result(w, chi2, p, m, n);
    }

    /** All raters with the same direction. */
    public static Result of(double[][] scores, Direction direction) {
        Direction[] d = new Direction[scores.length];
        java.util.Arrays.fill(d, direction);
        return of(scores, d);
    }

    /**
     * Concordance of m raters over n objects.
     *
     * @param w Kendall's W in [0, 1]
     * @param chiSquare {@code m (n - 1) W}
     * @param pValue chi-square p-value with n - 1 degrees of freedom (large-sample approximation)
     * @param raters m
     * @param objects n
     */
    public record Result(double w, double chiSquare, double pValue, int raters, int objects) {
    }
}
