package org.vitbench.metrics.shapley;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.vitbench.api.Arguments;
import org.vitbench.api.Category;
import org.vitbench.api.Context;
import org.vitbench.api.Direction;
import org.vitbench.api.Heatmaps;
import org.vitbench.api.Metric;
import org.vitbench.api.MetricDeclaration;
import org.vitbench.api.MetricInfo;
import org.vitbench.api.MetricResult;
import org.vitbench.api.MetricSpec;
import org.vitbench.api.ModelInfo;
import org.vitbench.api.Parameter;
import org.vitbench.api.Parameters;
import org.vitbench.api.Requirement;
import org.vitbench.api.Sample;
import org.vitbench.metrics.internal.Inputs;
import org.vitbench.metrics.statistics.Correlation;

/**
 * The other half of ViT Shapley's estimation-error table (Covert, Kim &amp; Lee 2023, ICLR, arXiv
 * 2206.05282, stage "9_estimationerror"): the Pearson (default) or Spearman correlation between a
 * heatmap and the ground-truth Shapley values of {@link ShapleyError}, which, unlike the L2
 * distance, does not depend on the map's scale, so attention and gradient maps can be compared too.
 * Higher is better; 1 for a map proportional to the truth.
 *
 * <p>Parameters: {@code measure} {@code pearson} (default) or {@code spearman} (ties share their
 * average rank); {@code classes} {@code target} (default) or {@code non-target} (the mean over the
 * other classes, which needs every class's map); and the truth's settings, with the same keys and
 * defaults as {@code shapley-error} ({@code budget}, {@code subsets}, {@code threshold},
 * {@code removal}, {@code batchSize}). The truth of a sample is computed once per JVM for those
 * settings and shared with {@code shapley-error}, so scoring both costs one truth. A constant map
 * or truth has no defined correlation and scores 0 ({@link Correlation}).
 */
public final class ShapleyCorrelation implements Metric {

    /** The stable id. */
    public static final String ID = "shapley-correlation";

    private static final MetricInfo INFO = info(Set.of(Requirement.MASKING));

    private static final Parameter<String> MEASURE = Parameter.choice("measure", "pearson",
            List.of("pearson", "spearman"), "the correlation of map and reference values");

    /** The registration: the reference values' parameters, the measure, and the factory. */
    public static final MetricDeclaration DECLARATION = MetricDeclaration.of(INFO, concat(ShapleyError.TRUTH, MEASURE),
            ShapleyCorrelation::new);

    private final Arguments arguments;
    private final ShapleyError truths;
    private final boolean spearman;

    /** Pearson correlation with the default reference values. */
    public ShapleyCorrelation() {
        this(DECLARATION.resolve(Map.of()));
    }

    private ShapleyCorrelation(Arguments arguments) {
        this.arguments = arguments;
        this.truths = new ShapleyError(arguments);
        this.spearman = arguments.get(MEASURE).equals("spearman");
    }

    private static List<Parameter<?>> concat(List<Parameter<?>> truth, Parameter<?> measure) {
        List<Parameter<?>> all = new ArrayList<>(truth);
        all.add(measure);
        return all;
    }

    /** Creates the metric from validated parameters; unknown keys and bad values fail. */
    public static ShapleyCorrelation create(Parameters parameters) {
        return (ShapleyCorrelation) DECLARATION.create(parameters);
    }

    private static MetricInfo info(Set<Requirement> requirements) {
        return new MetricInfo(ID, "Correlation with Shapley values", Category.ESTIMATION, Direction.HIGHER_IS_BETTER,
                requirements, List.of(ShapleyError.KERNEL_SHAP),
                "Covert, Kim & Lee 2023, ICLR, arXiv 2206.05282 (stage 9_estimationerror)");
    }

    @Override
    public MetricInfo info() {
        return truths.nonTarget() ? info(Set.of(Requirement.MASKING, Requirement.ALL_CLASSES)) : INFO;
    }

    @Override
    public MetricSpec spec() {
        return arguments.metricSpec();
    }

    @Override
    public MetricResult evaluate(Context context, List<Sample> batch, int[] targets, Heatmaps heatmaps) {
        ModelInfo info = context.model().info();
        Inputs.check(info, batch, targets, heatmaps);
        if (truths.nonTarget() && heatmaps.perClass() == null) {
            throw new IllegalArgumentException(ID + " with classes=non-target needs a map for every class "
                    + "(requirement ALL_CLASSES), but the heatmaps hold the target class only");
        }
        double[] scores = new double[batch.size()];
        for (int b = 0; b < batch.size(); b++) {
            ShapleyError.Truth truth = truths.truth(context, batch.get(b), targets[b]);
            int t = targets[b];
            if (!truths.nonTarget()) {
                scores[b] = correlation(heatmaps.target()[b], truth.values()[t]);
            } else {
                double sum = 0;
                for (int c = 0; c < info.numClasses(); c++) {
                    if (c != t) {
                        sum += correlation(heatmaps.perClass()[b][c], truth.values()[c]);
                    }
                }
                scores[b] = info.numClasses() > 1 ? sum / (info.numClasses() - 1) : Double.NaN;
            }
            context.progress().update(b + 1, batch.size());
        }
        return MetricResult.of(scores);
    }

    private double correlation(float[] map, double[] truth) {
        double[] x = new double[map.length];
        for (int i = 0; i < x.length; i++) {
            if (!Float.isFinite(map[i])) {
                throw new IllegalArgumentException("heatmap has " + map[i] + " at index " + i
                        + "; every value must be finite");
            }
            x[i] = map[i];
        }
        return Correlation.undefinedAsZero(spearman ? Correlation.spearman(x, truth) : Correlation.pearson(x, truth));
    }

    @Override
    public String toString() {
        return spec().canonical();
    }
}
