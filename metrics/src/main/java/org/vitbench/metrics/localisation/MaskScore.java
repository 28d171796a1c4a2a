package org.vitbench.metrics.localisation;

import java.util.List;
import org.vitbench.api.Context;
import org.vitbench.api.Heatmaps;
import org.vitbench.api.Metric;
import org.vitbench.api.MetricResult;
import org.vitbench.api.ModelInfo;
import org.vitbench.api.Sample;

/**
 * A localisation metric that scores each sample on its own: the target-class map at pixel
 * resolution against the sample's mask, after the checks every localisation metric makes
 * ({@link GroundTruth#check}). No model calls.
 */
abstract class MaskScore implements Metric {

    /**
     * The score of one sample.
     *
     * @param pixels the target-class map upsampled to the model's input, {@code [S * S]} row-major
     * @param mask the sample's mask, {@code [S * S]}; non-zero values are the object
     * @param model the model's description (its input size, for example)
     */
    abstract double score(float[] pixels, float[] mask, ModelInfo model);

    @Override
    public final MetricResult evaluate(Context context, List<Sample> batch, int[] targets, Heatmaps heatmaps) {
        ModelInfo info = context.model().info();
        GroundTruth.check(info().id(), info, batch, targets, heatmaps);
        double[] scores = new double[batch.size()];
        for (int b = 0; b < scores.length; b++) {
            scores[b] = score(GroundTruth.pixels(heatmaps, b, info), batch.get(b).mask(), info);
        }
        return MetricResult.of(scores);
    }

    @Override
    public String toString() {
        return spec().canonical();
    }
}
