package org.vitbench.metrics.robustness;

import java.util.Map;
import org.vitbench.api.Arguments;
import org.vitbench.api.MetricDeclaration;
import org.vitbench.api.MetricInfo;

/**
 * Avg-sensitivity: the mean relative change {@code ||a - a'||_2 / ||a||_2} of a method's target map over
 * copies of the image with small uniform noise, each explained again (Yeh et al. 2019, NeurIPS,
 * arXiv 1901.09392; Quantus {@code AvgSensitivity}). Lower is better. Presets {@code quantus} (default:
 * 200 copies, noise in [-0.2, 0.2] on the normalised input) and {@code captum} (10 copies,
 * [-0.02, 0.02]; Captum has no average, so these are the values of its {@code sensitivity_max});
 * details, randomness and cost in {@link Sensitivity}. Needs the method
 * ({@link org.vitbench.api.Requirement#REEXPLAINS}), so it is not in the default run.
 */
public final class AvgSensitivity extends Sensitivity {

    /** The stable id. */
    public static final String ID = "avg-sensitivity";

    private static final MetricInfo INFO = Sensitivity.info(ID, "Avg-sensitivity",
            yeh -> yeh + "; Quantus AvgSensitivity; Captum sensitivity_max");

    /** The registration: parameters, presets and factory. */
    public static final MetricDeclaration DECLARATION = Sensitivity.declaration(INFO, AvgSensitivity::new);

    /** The Quantus defaults. */
    public AvgSensitivity() {
        this(DECLARATION.resolve(Map.of()));
    }

    private AvgSensitivity(Arguments arguments) {
        super(INFO, Kind.SENSITIVITY, Aggregate.MEAN, arguments);
    }
}
