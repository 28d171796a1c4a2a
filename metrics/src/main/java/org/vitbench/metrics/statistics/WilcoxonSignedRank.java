package org.vitbench.metrics.statistics;

import java.util.Arrays;
import java.util.Objects;
import org.apache.commons.statistics.inference.AlternativeHypothesis;
import org.apache.commons.statistics.inference.ContinuityCorrection;
import org.apache.commons.statistics.inference.PValueMethod;
import org.apache.commons.statistics.inference.WilcoxonSignedRankTest;
import org.vitbench.api.Averages;

/**
 * Wilcoxon signed-rank test for paired scores, with the matched-pairs rank-biserial correlation
 * and the median difference as effect sizes (Wilcoxon, 1945, Biometrics Bulletin 1(6):80-83;
 * Kerby, 2014, Comprehensive Psychology 3:11.IT.3.1).
 *
 * <p>Use it when two methods are scored on the same images: {@code x[i]} and {@code y[i]} belong
 * to image {@code i}, and the test asks whether the differences {@code d = x - y} are symmetric
 * about 0.
 *
 * <p>The test and its p-value come from Commons Statistics' {@link WilcoxonSignedRankTest}, with these
 * options:
 * <ul>
 * <li><b>Zero differences are dropped</b> before ranking (Wilcoxon's method, the default of R's
 * {@code wilcox.test} and of {@code scipy.stats.wilcoxon}). Commons would otherwise keep them in the
 * ranking (Pratt's method) and then count the zero group in its tie correction as well.
 * <li>{@link PValueMethod#AUTO}: an exact p-value when at most 50 nonzero differences remain and
 * none of their absolute values tie; otherwise the normal approximation, whose variance is
 * corrected for ties ({@code - sum(t^3 - t) / 48}).
 * <li>{@link ContinuityCorrection#ENABLED}: the normal approximation moves W+ by 0.5 towards its
 * mean, as R does by default.
 * <li>The alternative is two-sided unless {@link #with(AlternativeHypothesis)} says otherwise;
 * {@code GREATER_THAN} means x tends to exceed y.
 * </ul>
 *
 * <p>Ties are exact equalities of doubles: scores such as {@code 0.768 - 0.763} and
 * {@code 0.936 - 0.931} differ in their last bits and do not tie. Round the scores first if they
 * carry a fixed number of decimals.
 *
 * <p>Edge cases: when every difference is zero, the result has {@code n = 0}, W+ = W- = 0,
 * p-value 1, and rank-biserial correlation 0. Instances are immutable and thread-safe.
 */
public final class WilcoxonSignedRank {

    private static final WilcoxonSignedRank DEFAULT = new WilcoxonSignedRank(AlternativeHypothesis.TWO_SIDED);

    private final AlternativeHypothesis alternative;

    private WilcoxonSignedRank(AlternativeHypothesis alternative) {
        this.alternative = alternative;
    }

    /** Two-sided test, zeros dropped, exact p-value for small samples, continuity correction. */
    public static WilcoxonSignedRank withDefaults() {
        return DEFAULT;
    }

    /** The same test with another alternative hypothesis. */
    public WilcoxonSignedRank with(AlternativeHypothesis v) {
        return new WilcoxonSignedRank(Objects.requireNonNull(v, "alternative"));
    }

    /**
     * Tests paired scores.
     *
     * @param x scores of the first method, one per unit (image)
     * @param y scores of the second method on the same units
     * @return statistic, p-value and effect sizes
     * @throws IllegalArgumentException when the lengths differ, there are fewer than 2 pairs, or a
     *     score is NaN or infinite
     */
    public Result test(double[] x, double[] y) {
        if (x.length != y.length) {
            throw new IllegalArgumentException("paired samples must have equal lengths, got " + x.length
                    + " and " + y.length);
        }
        if (x.length < 2) {
            throw new IllegalArgumentException("need at least 2 pairs, got " + x.length);
        }
        Inputs.requireFinite("x", x);
        Inputs.requireFinite("y", y);
        double[] d = new double[x.length];
        double[] nonZero = new double[x.length];
        int n = 0;
        for (int i = 0; i < x.length; i++) {
            d[i] = x[i] - y[i];
            if (d[i] != 0) {
                nonZero[n++] = d[i];
            }
        }
        double medianDifference = Averages.median(d);
        int zeros = x.length - n;
        if (n == 0) {
            return new Result(0, 0, 0, zeros, 1.0, false, false, 0, medianDifference);
        }
        nonZero = Arrays.copyOf(nonZero, n);
        WilcoxonSignedRankTest.Result r = WilcoxonSignedRankTest.withDefaults()
                .with(alternative)
                .with(PValueMethod.AUTO)
                .with(ContinuityCorrection.ENABLED)
                .test(nonZero);
        double wPlus = r.getStatistic();
        double wMinus = n * (n + 1) / 2.0 - wPlus;
        boolean exact = n <= 50 && !r.hasTiedValues();
        // Kerby (2014): r = (W+ - W-) / (W+ + W-), the share of favourable minus unfavourable rank mass.
        double rankBiserial = (wPlus - wMinus) / (wPlus + wMinus);
        return new Result(wPlus, wMinus, n, zeros, r.getPValue(), exact, r.hasTiedValues(), rankBiserial,
                medianDifference);
    }

    /**
     * Outcome of one paired test.
     *
     * @param wPlus sum of the ranks of the positive differences (x above y)
     * @param wMinus sum of the ranks of the negative differences
     * @param n number of nonzero differences that were ranked
     * @param zeros number of pairs with zero difference, dropped before ranking
     * @param pValue p-value under the chosen alternative
     * @param exact true when the p-value is exact, false for the normal approximation
     * @param tied true when some absolute nonzero differences tie
     * @param rankBiserial matched-pairs rank-biserial correlation {@code (W+ - W-) / (W+ + W-)} in
     *     [-1, 1]; positive when x tends to exceed y
     * @param medianDifference median of {@code x - y} over all pairs, zeros included
     */
    public record Result(double wPlus, double wMinus, int n, int zeros, double pValue, boolean exact,
            boolean tied, double rankBiserial, double medianDifference) {
    }
}
