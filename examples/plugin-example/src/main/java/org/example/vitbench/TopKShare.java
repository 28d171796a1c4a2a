package org.example.vitbench;

import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.vitbench.api.Arguments;
import org.vitbench.api.Category;
import org.vitbench.api.Context;
import org.vitbench.api.Direction;
import org.vitbench.api.Heatmaps;
import org.vitbench.api.Metric;
import org.vitbench.api.MetricDeclaration;
import org.vitbench.api.MetricInfo;
import org.vitbench.api.MetricResult;
import org.vitbench.api.MetricSpec;
import org.vitbench.api.Parameter;
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

    private static final Parameter<Integer> K = Parameter.integer("k", 5, 1, 10_000,
            "the number of largest entries whose share of the mass is the score");

    /** The registration: the listing in META-INF/services/org.vitbench.api.Metric finds it. */
    public static final MetricDeclaration DECLARATION = MetricDeclaration.of(INFO, List.of(K), TopKShare::new);

    private final Arguments arguments;
    private final int k;

    /** The share of the top 5 (ServiceLoader requires this constructor). */
    public TopKShare() {
        this(DECLARATION.resolve(Map.of()));
    }

    private TopKShare(Arguments arguments) {
        this.arguments = arguments;
        this.k = arguments.get(K);
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
        return arguments.metricSpec();
    }

    @Override
    public MetricResult evaluate(Context context, List<Sample> batch, int[] targets, Heatmaps heatmaps) {
        double[] scores = new double[batch.size()];
        for (int b = 0; b < scores.length; b++) {
            scores[b] = share(heatmaps.target()[b], k);
        }
        return MetricResult.of(scores);
    }
}
