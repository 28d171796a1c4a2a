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
 * Relevance rank accuracy: the share of the {@code K} most relevant pixels that lie on the
 * ground-truth object, where {@code K} is the object's size in pixels; in {@code [0, 1]}, higher
 * is better (Arras, Osman &amp; Samek 2022, "CLEVR-XAI", Information Fusion 81, arXiv 2003.07258).
 *
 * <p>Preset {@code arras}: {@code a} is the target-class map upsampled to the model's
 * {@code S x S} input by nearest neighbour ({@link Heatmaps#toPixels}), {@code GT} the non-zero
 * mask pixels, {@code K = |GT|}, and the score {@code |top_K(a) ∩ GT| / K} on the signed values.
 * Upsampling makes every patch a block of equal values, so ties at the {@code K}-th place are the
 * rule: where a group of {@code g} equal pixels, {@code h} of them on the object, straddles the
 * cut with {@code m} places left, it contributes {@code h m / g}, the expected count under a
 * uniformly random order of the tie. The score is thus deterministic and needs no seed; Quantus'
 * {@code RelevanceRankAccuracy} takes whatever order {@code np.argsort} leaves.
 *
 * <p>Edge cases: a constant map scores {@code K / N}, the object's share of the image, which is
 * also the expected score of a random map; an empty mask scores NaN (as Quantus); a sample
 * without a mask fails the batch with a {@link org.vitbench.api.ConfigurationException}; a
 * non-finite heatmap value fails it with the sample named. No model calls. Stateless and
 * thread-safe.
 */
public final class RelevanceRank extends MaskScore {

    /** The stable id. */
    public static final String ID = "relevance-rank";

    /** CLEVR-XAI's definition, with ties at the cut counted by their expectation. */
    public static final String ARRAS = "arras";

    private static final MetricInfo INFO = new MetricInfo(ID, "Relevance rank accuracy", Category.LOCALISATION,
            Direction.HIGHER_IS_BETTER, Set.of(Requirement.GROUND_TRUTH_MASK), List.of(ARRAS),
            "Arras, Osman & Samek 2022, Information Fusion 81, arXiv 2003.07258");

    /** The registration: one preset, no parameters. */
    public static final MetricDeclaration DECLARATION = MetricDeclaration.of(INFO, List.of(),
            arguments -> new RelevanceRank());

    private static final MetricSpec SPEC = DECLARATION.resolve(Map.of()).metricSpec();

    /** Creates the metric; the only parameter is {@code preset}. */
    public static RelevanceRank create(Parameters parameters) {
        return (RelevanceRank) DECLARATION.create(parameters);
    }

    /**
     * The share of the top-{@code K} pixels on the mask, {@code K} the mask's size.
     *
     * @param map {@code [N]} pixel relevances, finite
     * @param mask {@code [N]}; non-zero values are the object
     * @return in {@code [0, 1]}; NaN for an empty mask
     */
    public static double rankAccuracy(float[] map, float[] mask) {
        GroundTruth.requireSameLength(map, mask);
        int k = GroundTruth.count(mask);
        if (k == 0) {
            return Double.NaN;
        }
        double hits = GroundTruth.expectedTopHits(GroundTruth.tieGroups(map, mask), k);
        return hits / k;
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
        return rankAccuracy(pixels, mask);
    }
}
