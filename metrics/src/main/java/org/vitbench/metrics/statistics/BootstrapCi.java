package org.vitbench.metrics.statistics;

import java.util.Arrays;
import org.apache.commons.rng.UniformRandomProvider;
import org.apache.commons.rng.simple.RandomSource;
import org.vitbench.api.Averages;

/**
 * Percentile bootstrap confidence interval of the mean (Efron and Tibshirani, 1993, ch. 13).
 *
 * <p>The finite values are resampled with replacement {@code resamples} times; the interval is
 * made of the {@code (1 - level) / 2} and {@code (1 + level) / 2} quantiles of the resampled means
 * (quantiles by linear interpolation between order statistics, Hyndman and Fan type 7). NaN values
 * are skipped and counted; infinite values are rejected because their mean is not meaningful.
 *
 * <p>The generator is {@code XO_RO_SHI_RO_128_PP} seeded with the given seed, created afresh for
 * every call, so one seed and one input always give the same interval. Instances are immutable and
 * thread-safe.
 */
public final class BootstrapCi {

    /** Resamples used by {@link #withDefaults(long)}. */
    public static final int DEFAULT_RESAMPLES = 2000;

    /** Confidence level used by {@link #withDefaults(long)}. */
    public static final double DEFAULT_LEVEL = 0.95;

    private final int resamples;
    private final double level;
    private final long seed;

    /**
     * @param resamples bootstrap resamples, at least 1
     * @param level confidence level in (0, 1)
     * @param seed generator seed
     */
    public BootstrapCi(int resamples, double level, long seed) {
        if (resamples < 1) {
            throw new IllegalArgumentException("resamples must be at least 1, got " + resamples);
        }
        if (!(level > 0 && level < 1)) {
            throw new IllegalArgumentException("level must be in (0, 1), got " + level);
        }
        this.resamples = resamples;
        this.level = level;
        this.seed = seed;
    }

    /** 2000 resamples, 95% level. */
    public static BootstrapCi withDefaults(long seed) {
        return new BootstrapCi(DEFAULT_RESAMPLES, DEFAULT_LEVEL, seed);
    }

    /**
     * The mean of the finite values and its interval.
     *
     * @param values scores; NaN entries are skipped
     * @return the estimate; with no finite value, mean and bounds are NaN and {@code n} is 0; with
     *     one value, the interval is that value
     * @throws IllegalArgumentException when a value is infinite
     */
    public Estimate estimate(double[] values) {
        double[] x = finite(values);
        int n = x.length;
        int skipped = values.length - n;
        if (n == 0) {
            return new Estimate(Double.NaN, Double.NaN, Double.NaN, 0, skipped);
        }
        double mean = Averages.mean(x);
        if (n == 1) {
            return new Estimate(mean, mean, mean, 1, skipped);
        }
        // Resample deviations from the mean so that constant data gives exactly [c, c]
        // (summing raw values would add rounding error of order n * ulp(c)).
        double[] d = new double[n];
        for (int i = 0; i < n; i++) {
            d[i] = x[i] - mean;
        }
        UniformRandomProvider rng = RandomSource.XO_RO_SHI_RO_128_PP.create(seed);
        double[] means = new double[resamples];
        for (int b = 0; b < resamples; b++) {
            double sum = 0;
            for (int i = 0; i < n; i++) {
                sum += d[rng.nextInt(n)];
            }
            means[b] = mean + sum / n;
        }
        Arrays.sort(means);
        double alpha = (1 - level) / 2;
        return new Estimate(mean, quantile(means, alpha), quantile(means, 1 - alpha), n, skipped);
    }

    /** Type-7 quantile of sorted {@code v}: interpolates at position {@code p * (length - 1)}. */
    static double quantile(double[] sorted, double p) {
        double pos = p * (sorted.length - 1);
        int lo = (int) Math.floor(pos);
        int hi = Math.min(lo + 1, sorted.length - 1);
        double frac = pos - lo;
        return frac == 0 ? sorted[lo] : sorted[lo] + frac * (sorted[hi] - sorted[lo]);
    }

    /** The mean, computed around the first value so constant data returns that value exactly. */
    private static double[] finite(double[] values) {
        double[] out = new double[values.length];
        int n = 0;
        for (int i = 0; i < values.length; i++) {
            double v = values[i];
            if (Double.isNaN(v)) {
                continue;
            }
            if (Double.isInfinite(v)) {
                throw new IllegalArgumentException("value " + i + " is " + v + "; the mean of infinite scores is "
                        + "not meaningful (mark the unit failed with NaN instead)");
            }
            out[n++] = v;
        }
        return Arrays.copyOf(out, n);
    }

    /**
     * A mean with its bootstrap interval.
     *
     * @param mean mean of the finite values
     * @param low lower bound of the interval
     * @param high upper bound of the interval
     * @param n number of finite values used
     * @param skipped number of NaN values skipped
     */
    public record Estimate(double mean, double low, double high, int n, int skipped) {
    }
}
