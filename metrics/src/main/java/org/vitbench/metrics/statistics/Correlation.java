package org.vitbench.metrics.statistics;

import java.util.Arrays;

/**
 * Pearson and Spearman correlation of two samples, in double with two passes: the one
 * implementation in vitbench. A sample with zero variance (a constant attribution sum, a model
 * that ignores the input) has no defined correlation, and both return NaN for it, as scipy and
 * Commons Math do. Callers decide what undefined means for them: the faithfulness metrics score
 * it 0 through {@link #undefinedAsZero} (Xplique's {@code MuFidelity} does the same), so that a
 * constant heatmap scores as "no evidence" instead of failing its cell; the estimation-error
 * summary leaves it out of its averages. Stateless and thread-safe.
 */
public final class Correlation {

    private Correlation() {
    }

    /**
     * The Pearson correlation coefficient.
     *
     * @param x at least two finite values
     * @param y as many finite values as {@code x}
     * @return in [-1, 1]; NaN when either sample is constant
     * @throws IllegalArgumentException when the lengths differ, fewer than two pairs are given or a
     *     value is not finite
     */
    public static double pearson(double[] x, double[] y) {
        check(x, y);
        int n = x.length;
        double mx = 0;
        double my = 0;
        for (int i = 0; i < n; i++) {
            mx += x[i];
            my += y[i];
        }
        mx /= n;
        my /= n;
        double sxy = 0;
        double sxx = 0;
        double syy = 0;
        for (int i = 0; i < n; i++) {
            double dx = x[i] - mx;
            double dy = y[i] - my;
            sxy += dx * dy;
            sxx += dx * dx;
            syy += dy * dy;
        }
        if (sxx == 0 || syy == 0) {
            return Double.NaN;
        }
        // Rounding can push |r| a hair above 1 for exactly linear data.
        return Math.max(-1, Math.min(1, sxy / Math.sqrt(sxx * syy)));
    }

    /**
     * The Spearman rank correlation: Pearson on ranks, tied values sharing their average rank (as
     * {@code scipy.stats.spearmanr}).
     *
     * @return in [-1, 1]; NaN when either sample is constant
     * @throws IllegalArgumentException as {@link #pearson}
     */
    public static double spearman(double[] x, double[] y) {
        check(x, y);
        return pearson(averageRanks(x), averageRanks(y));
    }

    /**
     * {@code r}, or 0 when it is undefined (NaN): the reading of "no evidence of a relation" that
     * the faithfulness metrics use for a constant sample.
     */
    public static double undefinedAsZero(double r) {
        return Double.isNaN(r) ? 0 : r;
    }

    /** Ranks 1 .. n in increasing order of value, ties given the mean of their ranks. */
    static double[] averageRanks(double[] values) {
        int n = values.length;
        Integer[] order = new Integer[n];
        Arrays.setAll(order, i -> i);
        Arrays.sort(order, (a, b) -> Double.compare(values[a], values[b]));
        double[] ranks = new double[n];
        int start = 0;
        while (start < n) {
            int end = start + 1;
            // Primitive == so that 0.0 and -0.0 tie.
            while (end < n && values[order[end]] == values[order[start]]) {
                end++;
            }
            double rank = (start + 1 + end) / 2.0; // mean of ranks start+1 .. end
            for (int i = start; i < end; i++) {
                ranks[order[i]] = rank;
            }
            start = end;
        }
        return ranks;
    }

    private static void check(double[] x, double[] y) {
        if (x.length != y.length) {
            throw new IllegalArgumentException("correlation of " + x.length + " values with " + y.length + " values");
        }
        if (x.length < 2) {
            throw new IllegalArgumentException("a correlation needs at least two pairs, got " + x.length);
        }
        for (int i = 0; i < x.length; i++) {
            if (!Double.isFinite(x[i]) || !Double.isFinite(y[i])) {
                throw new IllegalArgumentException("pair " + i + " is not finite: (" + x[i] + ", " + y[i] + ")");
            }
        }
    }
}
