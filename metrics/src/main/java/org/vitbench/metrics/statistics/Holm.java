package org.vitbench.metrics.statistics;

import java.util.Arrays;
import java.util.Comparator;
import java.util.stream.IntStream;

/**
 * Holm's step-down correction of a family of p-values for the family-wise error rate (Holm, 1979,
 * "A simple sequentially rejective multiple test procedure", Scandinavian Journal of Statistics
 * 6(2):65-70).
 *
 * <p>With the {@code m} p-values sorted increasingly, {@code p(1) <= ... <= p(m)}, the adjusted
 * value is {@code max over j <= i of min(1, (m - j + 1) p(j))}; the running maximum makes the
 * adjusted values monotone in the raw ones. Hypothesis {@code i} is rejected at level alpha exactly
 * when its adjusted p-value is at most alpha, which is Holm's rule of rejecting in order while
 * {@code p(i) <= alpha / (m - i + 1)}. This matches R's {@code p.adjust(p, "holm")}.
 *
 * <p>Stateless and thread-safe.
 */
public final class Holm {

    private Holm() {
    }

    /**
     * Adjusted p-values, in the order of the input.
     *
     * @param pValues raw p-values in [0, 1]; an empty family gives an empty result
     * @throws IllegalArgumentException when a value is NaN or outside [0, 1]
     */
    public static double[] adjust(double[] pValues) {
        int m = pValues.length;
        for (int i = 0; i < m; i++) {
            double p = pValues[i];
            if (!(p >= 0 && p <= 1)) {
                throw new IllegalArgumentException("p-value " + i + " is " + p + "; p-values must be in [0, 1]");
            }
        }
        // Stable sort of indices keeps equal p-values in input order (their adjusted values are equal anyway).
        Integer[] order = IntStream.range(0, m).boxed().toArray(Integer[]::new);
        Arrays.sort(order, Comparator.comparingDouble(i -> pValues[i]));
        double[] adjusted = new double[m];
        double running = 0;
        for (int rank = 0; rank < m; rank++) {
            int i = order[rank];
            running = Math.max(running, Math.min(1.0, (m - rank) * pValues[i]));
            adjusted[i] = running;
        }
        return adjusted;
    }

    /**
     * Which hypotheses Holm's procedure rejects at family-wise level {@code alpha}.
     *
     * @param pValues raw p-values in [0, 1]
     * @param alpha family-wise error rate in (0, 1)
     * @return {@code reject[i]} for each input p-value
     */
    public static boolean[] reject(double[] pValues, double alpha) {
        if (!(alpha > 0 && alpha < 1)) {
            throw new IllegalArgumentException("alpha must be in (0, 1), got " + alpha);
        }
        double[] adjusted = adjust(pValues);
        boolean[] reject = new boolean[adjusted.length];
        for (int i = 0; i < adjusted.length; i++) {
            reject[i] = adjusted[i] <= alpha;
        }
        return reject;
    }
}
