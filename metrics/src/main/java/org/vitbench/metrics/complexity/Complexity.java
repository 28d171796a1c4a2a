package org.vitbench.metrics.complexity;

import java.util.List;
import java.util.Map;
import java.util.Set;
import org.vitbench.api.Category;
import org.vitbench.api.Context;
import org.vitbench.api.Direction;
import org.vitbench.api.Heatmaps;
import org.vitbench.api.Metric;
import org.vitbench.api.MetricDeclaration;
import org.vitbench.api.MetricInfo;
import org.vitbench.api.MetricResult;
import org.vitbench.api.MetricSpec;
import org.vitbench.api.Parameters;
import org.vitbench.api.Sample;
import org.vitbench.metrics.internal.Inputs;

/**
 * Complexity: the Shannon entropy (natural log) of the fractional contributions
 * {@code p_i = |a_i| / sum_j |a_j|}; 0 for a one-hot map, {@code ln P} for a uniform map, lower
 * is simpler and better (Bhatt, Weller &amp; Moura 2020, IJCAI, arXiv 2005.00631; as Quantus'
 * {@code Complexity}, which calls {@code scipy.stats.entropy}).
 *
 * <p>Preset {@code quantus}: the target-class map on the patch grid, absolute values, terms with
 * {@code p_i = 0} contribute 0, in double. An all-zero map has no distribution ({@code 0/0};
 * Quantus returns NaN) and scores {@code ln P}, the limit of a constant map, so that it ranks as
 * the least informative map rather than failing its cell.
 *
 * <p>No model calls; the model only fixes the patch grid. A non-finite value fails the batch with
 * the sample named. Stateless and thread-safe.
 */
public final class Complexity implements Metric {

    /** The stable id. */
    public static final String ID = "complexity";

    /** Quantus' definition on the patch grid. */
    public static final String QUANTUS = "quantus";

    private static final MetricInfo INFO = new MetricInfo(ID, "Complexity (entropy)", Category.COMPLEXITY,
            Direction.LOWER_IS_BETTER, Set.of(), List.of(QUANTUS),
            "Bhatt, Weller & Moura 2020, IJCAI, arXiv 2005.00631");

    /** The registration: one preset, no parameters. */
    public static final MetricDeclaration DECLARATION = MetricDeclaration.of(INFO, List.of(),
            arguments -> new Complexity());

    private static final MetricSpec SPEC = DECLARATION.resolve(Map.of()).metricSpec();

    /** Creates the metric; the only parameter is {@code preset}. */
    public static Complexity create(Parameters parameters) {
        return (Complexity) DECLARATION.create(parameters);
    }

    /**
     * The entropy of {@code |map| / sum |map|}, in nats.
     *
     * @param map at least one finite value
     * @return in {@code [0, ln P]}; {@code ln P} for an all-zero map
     */
    public static double entropy(float[] map) {
        if (map.length == 0) {
            throw new IllegalArgumentException("the entropy of an empty map is undefined");
        }
        double total = 0;
        for (float v : map) {
            total += Math.abs((double) v);
        }
        if (total == 0) {
            return Math.log(map.length);
        }
        double h = 0;
        for (float v : map) {
            double p = Math.abs((double) v) / total;
            if (p > 0) {
                h -= p * Math.log(p);
            }
        }
        return h;
    }

    @Override
    public MetricInfo info() {
        return INFO;
    }

    @Override
    public MetricSpec spec() {
        return SPEC;
    }

    @Override
    public MetricResult evaluate(Context context, List<Sample> batch, int[] targets, Heatmaps heatmaps) {
        Inputs.check(context.model().info(), batch, targets, heatmaps);
        double[] scores = new double[batch.size()];
        for (int b = 0; b < scores.length; b++) {
            scores[b] = entropy(heatmaps.target()[b]);
        }
        return MetricResult.of(scores);
    }

    @Override
    public String toString() {
        return spec().canonical();
    }
}
