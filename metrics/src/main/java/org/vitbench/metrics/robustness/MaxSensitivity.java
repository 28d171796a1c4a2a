package org.vitbench.metrics.robustness;

import java.util.Map;
import org.vitbench.api.Arguments;
import org.vitbench.api.MetricDeclaration;
import org.vitbench.api.MetricInfo;

/**
 * Max-sensitivity: the largest relative change {@code ||a - a'||_2 / ||a||_2} of a method's target
 * map over copies of the image with small uniform noise, each explained again (Yeh et al. 2019,
 * NeurIPS, arXiv 1901.09392; Quantus {@code MaxSensitivity}). Lower is better. Presets
 * {@code quantus} (default: 200 copies, noise in [-0.2, 0.2] on the normalised input) and
 * {@code captum} (10 copies, [-0.02, 0.02]; Captum {@code sensitivity_max}); details, randomness
 * and cost in {@link Sensitivity}. Needs the method
 * ({@link org.vitbench.api.Requirement#REEXPLAINS}), so it is not in the default run.
 */
public final class MaxSensitivity extends Sensitivity {

    /** The stable id. */
    public static final String ID = "max-sensitivity";

    private static final MetricInfo INFO = Sensitivity.info(ID, "Max-sensitivity",
            yeh -> yeh + "; Quantus MaxSensitivity; Captum sensitivity_max");

    /** The registration: parameters, presets and factory. */
    public static final MetricDeclaration DECLARATION = Sensitivity.declaration(INFO, MaxSensitivity::new);

    /** The Quantus defaults. */
    public MaxSensitivity() {
        this(DECLARATION.resolve(Map.of()));
    }

    private MaxSensitivity(Arguments arguments) {
        super(INFO, Kind.SENSITIVITY, Aggregate.MAX, arguments);
    }
}
