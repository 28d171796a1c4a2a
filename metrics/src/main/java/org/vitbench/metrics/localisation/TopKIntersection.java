package org.vitbench.metrics.localisation;

import java.util.List;
import java.util.Map;
import java.util.Set;
import org.vitbench.api.Arguments;
import org.vitbench.api.Category;
import org.vitbench.api.ConfigurationException;
import org.vitbench.api.Direction;
import org.vitbench.api.Heatmaps;
import org.vitbench.api.MetricDeclaration;
import org.vitbench.api.MetricInfo;
import org.vitbench.api.MetricSpec;
import org.vitbench.api.ModelInfo;
import org.vitbench.api.Parameter;
import org.vitbench.api.Parameters;
import org.vitbench.api.Requirement;

/**
 * Top-k intersection: the share of the heatmap's {@code k} most relevant pixels that lie on the
 * ground-truth object, in {@code [0, 1]}, higher is better (Theiner, Müller-Budack &amp; Ewerth
 * 2022, "Interpretable Semantic Photo Geolocation", WACV, arXiv 2104.14995; Quantus
 * {@code TopKIntersection}, {@code quantus/metrics/localisation/top_k_intersection.py}).
 *
 * <p>Preset {@code quantus}: {@code a} is the target-class map upsampled to the model's
 * {@code S x S} input by nearest neighbour ({@link Heatmaps#toPixels}), signed (Quantus' default
 * {@code abs=False}; its default {@code normalise_by_negative} keeps the order and so the score),
 * {@code GT} the non-zero mask pixels, and the score {@code |top_k(a) ∩ GT| / k}. With
 * {@code conceptInfluence=true} it is multiplied by {@code S^2 / |GT|}, the object's inverse share
 * of the image (Quantus' {@code concept_influence}; then it may exceed 1).
 *
 * <p>Ties: upsampling makes each patch a block of equal pixels, so the {@code k}-th place usually
 * falls inside a tie. Quantus takes whichever pixels {@code np.argsort}'s unstable sort leaves
 * last; here a tie straddling the cut counts by its expectation under a random order (as
 * {@link RelevanceRank}), so the score is deterministic and equals Quantus' wherever the cut falls
 * between distinct values (tested against {@code topk_reference.py}).
 *
 * <p>Parameters: {@code k} (default 1000, Quantus'; it must be smaller than the image's
 * {@code S^2} pixels, 784 for the embedded model's 28 x 28, so give for example {@code k=16} there,
 * the same 2 % of the pixels as 1000 of 224 x 224); {@code conceptInfluence} (default false).
 * An empty mask scores NaN (as Quantus); a sample without a mask, or {@code k} not below the
 * pixel count, fails the batch with a {@link ConfigurationException}. No model calls. Stateless
 * and thread-safe.
 */
public final class TopKIntersection extends MaskScore {

    /** The stable id. */
    public static final String ID = "top-k-intersection";

    /** Quantus' definition. */
    public static final String QUANTUS = "quantus";

    private static final MetricInfo INFO = new MetricInfo(ID, "Top-k intersection", Category.LOCALISATION,
            Direction.HIGHER_IS_BETTER, Set.of(Requirement.GROUND_TRUTH_MASK), List.of(QUANTUS),
            "Theiner, Müller-Budack & Ewerth 2022, WACV, arXiv 2104.14995; Quantus TopKIntersection");

    private static final Parameter<Integer> K = Parameter.integer("k", 1000, 1, Integer.MAX_VALUE,
            "the most relevant pixels compared with the mask; below the image's pixel count");
    private static final Parameter<Boolean> CONCEPT_INFLUENCE = Parameter.flag("conceptInfluence", false,
            "multiply by the image's pixels over the mask's, as Quantus' concept_influence");

    /** The registration: parameters and factory. */
    public static final MetricDeclaration DECLARATION = MetricDeclaration.of(INFO, List.of(K, CONCEPT_INFLUENCE),
            TopKIntersection::new);

    private final Arguments arguments;
    private final int k;
    private final boolean conceptInfluence;

    /** Quantus' defaults: k = 1000, no concept influence. */
    public TopKIntersection() {
        this(DECLARATION.resolve(Map.of()));
    }

    private TopKIntersection(Arguments arguments) {
        this.arguments = arguments;
        this.k = arguments.get(K);
        this.conceptInfluence = arguments.get(CONCEPT_INFLUENCE);
    }

    /** Creates the metric; parameters {@code preset}, {@code k} and {@code conceptInfluence}. */
    public static TopKIntersection create(Parameters parameters) {
        return (TopKIntersection) DECLARATION.create(parameters);
    }

    /**
     * The share of the map's {@code k} highest pixels on the mask, ties at the cut by expectation.
     *
     * @param map {@code [N]} pixel relevances, finite
     * @param mask {@code [N]}; non-zero values are the object
     * @param k from 1 to {@code N - 1}
     * @param conceptInfluence whether to multiply by {@code N / |GT|}
     * @return in {@code [0, 1]} without concept influence; NaN for an empty mask
     */
    public static double intersection(float[] map, float[] mask, int k, boolean conceptInfluence) {
        GroundTruth.requireSameLength(map, mask);
        if (k < 1 || k >= map.length) {
            throw new IllegalArgumentException("k must be from 1 to " + (map.length - 1) + ", got " + k);
        }
        int object = GroundTruth.count(mask);
        if (object == 0) {
            return Double.NaN;
        }
        double share = GroundTruth.expectedTopHits(GroundTruth.tieGroups(map, mask), k) / k;
        return conceptInfluence ? share * map.length / object : share;
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
    double score(float[] pixels, float[] mask, ModelInfo model) {
        if (k >= pixels.length) {
            throw new ConfigurationException(ID + ": k=" + k + " is not below the " + pixels.length + " pixels of model "
                    + model.name() + "'s " + model.imageSize() + "x" + model.imageSize() + " input; give a smaller k, "
                    + "for example " + ID + ":k=" + Math.max(1, Math.round(pixels.length / 50.0))
                    + " (2 % of the pixels, as Quantus' 1000 of 224x224)");
        }
        return intersection(pixels, mask, k, conceptInfluence);
    }
}
