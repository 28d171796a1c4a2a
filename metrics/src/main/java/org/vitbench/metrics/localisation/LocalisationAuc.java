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
 * Localisation AUC: how well the heatmap ranks the ground-truth object's pixels above the others,
 * as the area under the ROC curve with the mask as labels and the heatmap as scores, in
 * {@code [0, 1]}, 0.5 for a map that does not tell them apart, higher is better (Fawcett 2006, "An
 * introduction to ROC analysis", Pattern Recognition Letters 27(8); Quantus {@code AUC}).
 *
 * <p>Preset {@code quantus}: the target-class map upsampled to the model's {@code S x S} input by
 * nearest neighbour ({@link Heatmaps#toPixels}) scores every pixel, signed (Quantus' default
 * {@code abs=False}; its default normalisation divides by the largest magnitude, which changes no
 * ranking and so no AUC). The AUC is computed as the Mann–Whitney statistic, {@code (sum of the
 * mask pixels' mid-ranks - P (P + 1) / 2) / (P N)} for {@code P} mask and {@code N} other pixels: a
 * tie between an object and a background pixel counts one half, exactly the trapezoidal area under
 * the ROC curve that {@code sklearn.metrics.roc_curve} and {@code auc} give (tested against a
 * re-implementation of those, kept with the test).
 *
 * <p>Edge cases: a mask that is empty or covers every pixel scores NaN (the curve needs both
 * classes; Quantus returns NaN for an empty mask and scikit-learn's curve is undefined for a full
 * one); a sample without a mask fails the batch with a {@link org.vitbench.api.ConfigurationException};
 * a non-finite heatmap value fails it with the sample named. No model calls. Stateless and
 * thread-safe.
 */
public final class LocalisationAuc extends MaskScore {

    /** The stable id. */
    public static final String ID = "auc";

    /** Quantus' definition. */
    public static final String QUANTUS = "quantus";

    private static final MetricInfo INFO = new MetricInfo(ID, "Localisation AUC", Category.LOCALISATION,
            Direction.HIGHER_IS_BETTER, Set.of(Requirement.GROUND_TRUTH_MASK), List.of(QUANTUS),
            "Fawcett 2006, Pattern Recognition Letters 27(8); Quantus AUC");

    /** The registration: one preset, no parameters. */
    public static final MetricDeclaration DECLARATION = MetricDeclaration.of(INFO, List.of(),
            arguments -> new LocalisationAuc());

    private static final MetricSpec SPEC = DECLARATION.resolve(Map.of()).metricSpec();

    /** Creates the metric; the only parameter is {@code preset}. */
    public static LocalisationAuc create(Parameters parameters) {
        return (LocalisationAuc) DECLARATION.create(parameters);
    }

    /**
     * The area under the ROC curve of {@code map} as scores for the mask's pixels.
     *
     * @param map {@code [N]} pixel relevances, finite
     * @param mask {@code [N]}; non-zero values are the object
     * @return in {@code [0, 1]}; NaN when the mask is empty or covers every pixel
     */
    public static double auc(float[] map, float[] mask) {
        GroundTruth.requireSameLength(map, mask);
        int positives = GroundTruth.count(mask);
        int negatives = map.length - positives;
        if (positives == 0 || negatives == 0) {
            return Double.NaN;
        }
        int[][] groups = GroundTruth.tieGroups(map, mask);
        double rankSum = 0;
        int below = 0; // pixels with a lower value
        for (int g = groups[0].length - 1; g >= 0; g--) {
            // ranks from 1, low to high; a tie shares the mean of its ranks
            rankSum += groups[1][g] * (below + (groups[0][g] + 1) / 2.0);
            below += groups[0][g];
        }
        return (rankSum - positives * (positives + 1.0) / 2) / ((double) positives * negatives);
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
        return auc(pixels, mask);
    }
}
