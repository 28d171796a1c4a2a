package org.vitbench.metrics.statistics;

import org.apache.commons.statistics.ranking.NaNStrategy;
import org.apache.commons.statistics.ranking.NaturalRanking;
import org.apache.commons.statistics.ranking.TiesStrategy;
import org.vitbench.api.Direction;

/** Ranks within one row (block or rater), rank 1 = best, ties given their average rank. */
final class RowRanks {

    private static final NaturalRanking AVERAGE = new NaturalRanking(NaNStrategy.FAILED, TiesStrategy.AVERAGE);

    private RowRanks() {
    }

    /**
     * Ranks 1..k of {@code row}, 1 for the best score under {@code direction}; equal scores share
     * the mean of the ranks they span. Only exactly equal doubles tie.
     */
    static double[] of(double[] row, Direction direction) {
        double[] keys = new double[row.length];
        for (int i = 0; i < row.length; i++) {
            double v = direction == Direction.HIGHER_IS_BETTER ? -row[i] : row[i];
            // -0.0 and 0.0 are equal scores but Double.compare orders them; fold them together.
            keys[i] = v == 0 ? 0.0 : v;
        }
        return AVERAGE.apply(keys);
    }

    /** Sum over groups of tied scores of {@code t^3 - t}, where {@code t} is the group size. */
    static double tieSum(double[] ranks) {
        double[] sorted = ranks.clone();
        java.util.Arrays.sort(sorted);
        double sum = 0;
        int i = 0;
        while (i < sorted.length) {
            int j = i;
            while (j + 1 < sorted.length && sorted[j + 1] == sorted[i]) {
                j++;
            }
            double t = j - i + 1;
            sum += t * t * t - t;
            i = j + 1;
        }
        return sum;
    }
}
