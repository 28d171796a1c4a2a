package org.vitbench.metrics.complexity;

import java.util.Arrays;
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
 * Sparseness: the Gini index of the absolute attributions; 0 for a uniform map, {@code (P-1)/P}
 * for a one-hot map, higher is sparser and better (Chalasani, Chen, Chowdhury, Jha &amp; Wu 2020,
 * ICML, arXiv 1810.06583; as Quantus' {@code Sparseness}).
 *
 * <p>Preset {@code quantus}: with {@code a_(1) <= .. <= a_(P)} the sorted {@code |a_i|} of the
 * target-class map on the patch grid,
 * {@code G = sum_i (2i - P - 1) a_(i) / (P sum_i a_(i))}, in double. Quantus' {@code normalise}
 * (division by the maximum) does not change {@code G}, which is scale-invariant. Quantus adds
 * {@code 1e-7} to every value; vitbench does not, which changes {@code G} by about
 * {@code 1e-7 / mean|a|}, except for an all-zero map: its Gini index is {@code 0/0}, and it scores
 * 0, the limit of a constant map and what Quantus' offset gives.
 *
 * <p>No model calls; the model only fixes the patch grid. A non-finite value fails the batch with
 * the sample named. Stateless and thread-safe.
 */
public final class Sparseness implements Metric {

    /** The stable id. */
    public static final String ID = "sparseness";

    /** Quantus' definition on the patch grid. */
    public static final String QUANTUS = "quantus";

    private static final MetricInfo INFO = new MetricInfo(ID, "Sparseness (Gini)", Category.COMPLEXITY,
            Direction.HIGHER_IS_BETTER, Set.of(), List.of(QUANTUS),
            "Chalasani, Chen, Chowdhury, Jha & Wu 2020, ICML, arXiv 1810.06583");

    /** The registration: one preset, no parameters. */
    public static final MetricDeclaration DECLARATION = MetricDeclaration.of(INFO, List.of(),
            arguments -> new Sparseness());

    private static final MetricSpec SPEC = DECLARATION.resolve(Map.of()).metricSpec();

    /** Creates the metric; the only parameter is {@code preset}. */
    public static Sparseness create(Parameters parameters) {
        return (Sparseness) DECLARATION.create(parameters);
    }

    /**
     * The Gini index of {@code |map|}.
     *
     * @param map at least one finite value
     * @return in {@code [0, (P-1)/P]}; 0 for an all-zero map
     */
    public static double gini(float[] map) {
        if (map.length == 0) {
            throw new IllegalArgumentException("the Gini index of an empty map is undefined");
        }
        double[] a = new double[map.length];
        for (int i = 0; i < a.length; i++) {
            a[i] = Math.abs((double) map[i]);
        }
        Arrays.sort(a);
        int n = a.length;
        double weighted = 0;
        double total = 0;
        for (int i = 0; i < n; i++) {
            weighted += (2.0 * (i + 1) - n - 1) * a[i];
            total += a[i];
        }
        return total == 0 ? 0 : weighted / (n * total);
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
            scores[b] = gini(heatmaps.target()[b]);
        }
        return MetricResult.of(scores);
    }

    @Override
    public String toString() {
        return spec().canonical();
    }
}
