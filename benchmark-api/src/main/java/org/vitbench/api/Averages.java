package org.vitbench.api;

import java.util.Arrays;
import java.util.Collection;

/**
 * Mean and median, the one implementation of each in vitbench. The mean subtracts the first value
 * before summing, which keeps full precision for values far from zero (scores near 1, timings);
 * the median of an even count is the midpoint of the two middle values. NaN propagates; callers
 * that mean "of the finite values" filter first with {@link #finite}. Stateless.
 */
public final class Averages {

    private Averages() {
    }

    /** The arithmetic mean; NaN for no values. */
    public static double mean(double[] values) {
        if (values.length == 0) {
            return Double.NaN;
        }
        double shift = values[0];
        double sum = 0;
        for (double v : values) {
            sum += v - shift;
        }
        return shift + sum / values.length;
    }

    /** The arithmetic mean; NaN for no values. */
    public static double mean(Collection<Double> values) {
        return mean(values.stream().mapToDouble(Double::doubleValue).toArray());
    }

    /** The median; NaN for no values. */
    public static double median(double[] values) {
        if (values.length == 0) {
            return Double.NaN;
        }
        double[] s = values.clone();
        Arrays.sort(s);
        int m = s.length / 2;
        return s.length % 2 == 1 ? s[m] : s[m - 1] + (s[m] - s[m - 1]) / 2;
    }

    /** The finite values, in order. */
    public static double[] finite(double[] values) {
        return Arrays.stream(values).filter(Double::isFinite).toArray();
    }
}
