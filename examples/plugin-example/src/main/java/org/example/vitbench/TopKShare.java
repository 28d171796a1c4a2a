package org.example.vitbench;

import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.vitbench.api.Category;
import org.vitbench.api.Context;
import org.vitbench.api.Direction;
import org.vitbench.api.Heatmaps;
import org.vitbench.api.Metric;
import org.vitbench.api.MetricInfo;
import org.vitbench.api.MetricProvider;
import org.vitbench.api.MetricResult;
import org.vitbench.api.MetricSpec;
import org.vitbench.api.Parameters;
import org.vitbench.api.Sample;

/**
 * Top-k share: the share of a map's total absolute attribution that its {@code k} largest patches
 * hold, {@code sum of the k largest |a_i| / sum |a_i|}; {@code k / P} for a uniform map, 1 when at
 * most {@code k} patches are non-zero. A simple concentration measure: higher is more concentrated,
 * which a reader can take in at a glance. An all-zero map scores {@code k / P}, its limit for a
 * constant map. Parameter {@code k} (default 5, about a tenth of a 7 x 7 grid). No model call.
 */
public final class TopKShare implements Metric {

    /** The stable id. */
    public static final String ID = "top-k-share";

    private static final MetricInfo INFO = new MetricInfo(ID, "Top-k share", Category.COMPLEXITY,
            Direction.HIGHER_IS_BETTER, Set.of(), List.of("default"), "vitbench example plug-in");

    private final int k;

    private TopKShare(int k) {
        this.k = k;
    }

    /** The share of {@code map}'s absolute mass in its {@code k} largest entries. */
    static double share(float[] map, int k) {
        double[] a = new double[map.length];
        double total = 0;
        for (int i = 0; i < a.length; i++) {
            if (!Float.isFinite(map[i])) {
                throw new IllegalArgumentException("non-finite attribution at patch " + i + ": " + map[i]);
            }
            a[i] = Math.abs((double) map[i]);
            total += a[i];
        }
        int top = Math.min(k, a.length);
        if (total == 0) {
            return (double) top / a.length;
        }
        Arrays.sort(a);
        double sum = 0;
        for (int i = a.length - top; i < a.length; i++) {
            sum += a[i];
        }
        return sum / total;
    }

    @Override
    public MetricInfo info() {
        return INFO;
    }

    @Override
    public MetricSpec spec() {
        return MetricSpec.of(ID, "default", Map.of("k", Integer.toString(k)));
    }

    @Override
    public MetricResult evaluate(Context context, List<Sample> batch, int[] targets, Heatmaps heatmaps) {
        double[] scores = new double[batch.size()];
        for (int b = 0; b < scores.length; b++) {
            scores[b] = share(heatmaps.target()[b], k);
        }
        return MetricResult.of(scores);
    }

    /** Registers {@link TopKShare} with {@link java.util.ServiceLoader}. */
    public static final class Provider implements MetricProvider {

        @Override
        public MetricInfo info() {
            return INFO;
        }

        @Override
        public Metric create(Parameters parameters) {
            parameters.requireOnly(Set.of("preset", "k"));
            parameters.getChoice("preset", "default", Set.of("default"));
            return new TopKShare(parameters.getInt("k", 5, 1, 10_000));
        }
    }
}
