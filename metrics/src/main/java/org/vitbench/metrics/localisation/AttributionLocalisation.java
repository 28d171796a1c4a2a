package org.vitbench.metrics.localisation;

import java.util.List;
import java.util.Map;
import java.util.Set;
import org.vitbench.api.Arguments;
import org.vitbench.api.Category;
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
 * Attribution localisation: the share of the heatmap's absolute relevance that falls on the
 * ground-truth object, in {@code [0, 1]}, higher is better (Kohlbrenner, Bauer, Nakajima, Binder,
 * Samek &amp; Lapuschkin 2020, "Towards Best Practice in Explaining Neural Network Decisions with
 * LRP", IJCNN, arXiv 1910.09840; Quantus {@code AttributionLocalisation},
 * {@code quantus/metrics/localisation/attribution_localisation.py}).
 *
 * <p>Preset {@code quantus}: {@code a} is the target-class map upsampled to the model's
 * {@code S x S} input by nearest neighbour ({@link Heatmaps#toPixels}), and the score
 * {@code sum_{p in GT} |a_p| / sum_p |a_p|} in double (Quantus' default {@code abs=True}; its
 * default {@code normalise_by_max} scales numerator and denominator alike). With
 * {@code weighted=true} it is multiplied by {@code |GT| / (C S^2)}, as Quantus computes its
 * weighted variant ({@code size_bbox / np.prod(x.shape[1:])}, so the channel count {@code C}
 * enters for colour images). {@link RelevanceMass} is the same share over positive relevance only.
 *
 * <p>Edge cases: an empty mask scores NaN (as Quantus); a map that is 0 everywhere scores NaN
 * (Quantus' 0 / 0); a sample without a mask fails the batch with a
 * {@link org.vitbench.api.ConfigurationException}; a non-finite heatmap value fails it with the
 * sample named. No model calls. Stateless and thread-safe.
 */
public final class AttributionLocalisation extends MaskScore {

    /** The stable id. */
    public static final String ID = "attribution-localisation";

    /** Quantus' definition. */
    public static final String QUANTUS = "quantus";

    private static final MetricInfo INFO = new MetricInfo(ID, "Attribution localisation", Category.LOCALISATION,
            Direction.HIGHER_IS_BETTER, Set.of(Requirement.GROUND_TRUTH_MASK), List.of(QUANTUS),
            "Kohlbrenner et al. 2020, IJCNN, arXiv 1910.09840; Quantus AttributionLocalisation");

    private static final Parameter<Boolean> WEIGHTED = Parameter.flag("weighted", false,
            "multiply by the mask's share of the input's values, as Quantus' weighted variant");

    /** The registration: parameters and factory. */
    public static final MetricDeclaration DECLARATION = MetricDeclaration.of(INFO, List.of(WEIGHTED),
            AttributionLocalisation::new);

    private final Arguments arguments;
    private final boolean weighted;

    /** Quantus' defaults: absolute values, not weighted. */
    public AttributionLocalisation() {
        this(DECLARATION.resolve(Map.of()));
    }

    private AttributionLocalisation(Arguments arguments) {
        this.arguments = arguments;
        this.weighted = arguments.get(WEIGHTED);
    }

    /** Creates the metric; parameters {@code preset} and {@code weighted}. */
    public static AttributionLocalisation create(Parameters parameters) {
        return (AttributionLocalisation) DECLARATION.create(parameters);
    }

    /**
     * The share of absolute relevance on the mask.
     *
     * @param map {@code [N]} pixel relevances, finite
     * @param mask {@code [N]}; non-zero values are the object
     * @param channels the input's channels {@code C}, for the weighted variant
     * @param weighted whether to multiply by {@code |GT| / (C N)}
     * @return in {@code [0, 1]}; NaN for an empty mask or a map that is 0 everywhere
     */
    public static double localisation(float[] map, float[] mask, int channels, boolean weighted) {
        GroundTruth.requireSameLength(map, mask);
        int object = GroundTruth.count(mask);
        if (object == 0) {
            return Double.NaN;
        }
        double inside = 0;
        double total = 0;
        for (int p = 0; p < map.length; p++) {
            double v = Math.abs((double) map[p]);
            total += v;
            if (mask[p] != 0f) {
                inside += v;
            }
        }
        if (total == 0) {
            return Double.NaN;
        }
        double share = inside / total;
        return weighted ? share * object / ((double) channels * map.length) : share;
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
        return localisation(pixels, mask, model.channels(), weighted);
    }
}
