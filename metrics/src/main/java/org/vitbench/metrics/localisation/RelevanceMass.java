package org.vitbench.metrics.localisation;

import java.util.List;
import java.util.Map;
import java.util.Set;
import org.vitbench.api.Category;
import org.vitbench.api.Direction;
import org.vitbench.api.Heatmaps;
import org.vitbench.api.MetricDeclaration;
import org.vitbench.api.MetricInfo;
import org.vitbench.api.MetricSpec;
import org.vitbench.api.ModelInfo;
import org.vitbench.api.Parameters;
import org.vitbench.api.Requirement;

/**
 * Relevance mass accuracy: the share of the heatmap's positive relevance that falls on the
 * ground-truth object, in {@code [0, 1]}, higher is better (Arras, Osman &amp; Samek 2022,
 * "CLEVR-XAI", Information Fusion 81, arXiv 2003.07258).
 *
 * <p>Preset {@code arras}: with {@code a} the target-class map upsampled to the model's
 * {@code S x S} input by nearest neighbour ({@link Heatmaps#toPixels}), so that a patch weighs by
 * the mask pixels it covers, and {@code GT} the non-zero mask pixels,
 * {@code R_in / R_tot = sum_{p in GT} max(a_p, 0) / sum_p max(a_p, 0)}, in double. Only positive
 * relevance counts, as the paper defines it; Quantus' {@code RelevanceMassAccuracy} (v0.5) sums the
 * signed values instead, which differs whenever a map has negative values.
 *
 * <p>Edge cases: a map without positive relevance (all values at most 0) scores 0, since none of
 * its relevance is on the object; an empty mask scores NaN (as Quantus); a sample without a mask
 * fails the batch with a {@link org.vitbench.api.ConfigurationException}; a non-finite heatmap
 * value fails it with the sample named. No model calls. Stateless and thread-safe.
 */
public final class RelevanceMass extends MaskScore {

    /** The stable id. */
    public static final String ID = "relevance-mass";

    /** CLEVR-XAI's definition: positive relevance only. */
    public static final String ARRAS = "arras";

    private static final MetricInfo INFO = new MetricInfo(ID, "Relevance mass accuracy", Category.LOCALISATION,
            Direction.HIGHER_IS_BETTER, Set.of(Requirement.GROUND_TRUTH_MASK), List.of(ARRAS),
            "Arras, Osman & Samek 2022, Information Fusion 81, arXiv 2003.07258");

    /** The registration: one preset, no parameters. */
    public static final MetricDeclaration DECLARATION = MetricDeclaration.of(INFO, List.of(),
            arguments -> new RelevanceMass());

    private static final MetricSpec SPEC = DECLARATION.resolve(Map.of()).metricSpec();

    /** Creates the metric; the only parameter is {@code preset}. */
    public static RelevanceMass create(Parameters parameters) {
        return (RelevanceMass) DECLARATION.create(parameters);
    }

    /**
     * The share of positive relevance on the mask.
     *
     * @param map {@code [N]} pixel relevances, finite
     * @param mask {@code [N]}; non-zero values are the object
     * @return in {@code [0, 1]}; 0 without positive relevance; NaN for an empty mask
     */
    public static double massAccuracy(float[] map, float[] mask) {
        GroundTruth.requireSameLength(map, mask);
        if (GroundTruth.count(mask) == 0) {
            return Double.NaN;
        }
        double inside = 0;
        double total = 0;
        for (int p = 0; p < map.length; p++) {
            double r = Math.max(map[p], 0.0);
            total += r;
            if (mask[p] != 0f) {
                inside += r;
            }
        }
        return total == 0 ? 0 : inside / total;
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
    double score(float[] pixels, float[] mask, ModelInfo model) {
        return massAccuracy(pixels, mask);
    }
}
