package org.vitbench.metrics.robustness;

import java.util.List;
import java.util.Map;
import java.util.Set;
import org.vitbench.api.Arguments;
import org.vitbench.api.Category;
import org.vitbench.api.Direction;
import org.vitbench.api.MetricDeclaration;
import org.vitbench.api.MetricInfo;
import org.vitbench.api.Requirement;

/**
 * Local Lipschitz estimate: the largest ratio, over copies of the image with Gaussian noise, of
 * how far the explanation moved to how far the input moved, {@code ||a - a'||_2 / ||x - x'||_2}
 * (Alvarez-Melis &amp; Jaakkola 2018, "On the Robustness of Interpretability Methods", ICML
 * workshop, arXiv 1806.08049; Quantus {@code LocalLipschitzEstimate},
 * {@code quantus/metrics/robustness/local_lipschitz_estimate.py}). Lower is better.
 *
 * <p>Preset {@code quantus} (its defaults): {@code samples} 200 copies, Gaussian noise with
 * {@code std} 0.1 on every value of the normalised input, {@code normalise=True} with
 * {@code normalise_by_max}, Euclidean distances for numerator and denominator, 1e-10 added to the
 * denominator, the maximum over the copies. The paper maximises the ratio over a neighbourhood
 * with an optimiser; Quantus samples, and so does this metric. Two choices differ from Quantus and
 * are stated: Quantus divides the maps by the largest absolute value over the whole batch it is
 * given (its {@code normalise_axes} default), so its score depends on which images share a batch;
 * here each map is divided by its own largest absolute value, Quantus' value with a batch of one.
 * The maps are compared as pixel maps (nearest-neighbour upsampling of the patch map), since the
 * ratio, unlike the sensitivities', depends on their size. Randomness, ids of the copies and cost
 * as in {@link Sensitivity}. Needs the method ({@link Requirement#REEXPLAINS}), so it is not in the
 * default run.
 */
public final class LocalLipschitz extends Sensitivity {

    /** The stable id. */
    public static final String ID = "local-lipschitz";

    private static final MetricInfo INFO = new MetricInfo(ID, "Local Lipschitz estimate", Category.ROBUSTNESS,
            Direction.LOWER_IS_BETTER, Set.of(Requirement.REEXPLAINS), List.of(QUANTUS),
            "Alvarez-Melis & Jaakkola 2018, arXiv 1806.08049; Quantus LocalLipschitzEstimate");

    /** The registration: parameters, preset and factory. */
    public static final MetricDeclaration DECLARATION = Sensitivity.lipschitzDeclaration(INFO, LocalLipschitz::new);

    /** The Quantus defaults. */
    public LocalLipschitz() {
        this(DECLARATION.resolve(Map.of()));
    }

    private LocalLipschitz(Arguments arguments) {
        super(INFO, Kind.LIPSCHITZ, Aggregate.MAX, arguments);
    }
}
