package org.vitbench.metrics.faithfulness;

import java.util.List;
import java.util.Set;
import org.vitbench.api.Category;
import org.vitbench.api.Context;
import org.vitbench.api.Direction;
import org.vitbench.api.Heatmaps;
import org.vitbench.api.Metric;
import org.vitbench.api.MetricInfo;
import org.vitbench.api.MetricResult;
import org.vitbench.api.MetricSpec;
import org.vitbench.api.Requirement;
import org.vitbench.api.Sample;

/**
 * What {@link Deletion} and {@link Insertion} share: a metric that is one
 * {@link PerturbationCurve}, with its description. They differ only in the curve's kind, their
 * name and the direction of a better score.
 */
abstract class CurveMetric implements Metric {

    private static final String REFERENCES = "Petsiuk, Das & Saenko 2018, RISE, arXiv 1806.07421; preset "
            + "vit-shapley: Covert, Kim & Lee 2023, arXiv 2206.05282; preset chefer: Chefer, Gur & Wolf 2021, "
            + "arXiv 2012.09838";

    private final PerturbationCurve curve;
    private final MetricInfo info;

    CurveMetric(PerturbationCurve curve, String name, Direction direction) {
        this.curve = curve;
        this.info = info(curve.id(), name, direction, curve.needsAllClasses());
    }

    /** The description of a curve metric; with every class's curve it also requires every class's map. */
    static MetricInfo info(String id, String name, Direction direction, boolean allClasses) {
        return new MetricInfo(id, name, Category.FAITHFULNESS, direction, allClasses
                ? Set.of(Requirement.MASKING, Requirement.ALL_CLASSES) : Set.of(Requirement.MASKING),
                PerturbationCurve.PRESETS, REFERENCES);
    }

    @Override
    public MetricInfo info() {
        return info;
    }

    @Override
    public MetricSpec spec() {
        return curve.spec();
    }

    @Override
    public MetricResult evaluate(Context context, List<Sample> batch, int[] targets, Heatmaps heatmaps) {
        return curve.evaluate(context, batch, targets, heatmaps);
    }

    @Override
    public String toString() {
        return curve.toString();
    }
}
