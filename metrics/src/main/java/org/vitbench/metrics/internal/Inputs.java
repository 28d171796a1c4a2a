package org.vitbench.metrics.internal;

import java.util.List;
import org.vitbench.api.Context;
import org.vitbench.api.Heatmaps;
import org.vitbench.api.ModelInfo;
import org.vitbench.api.Sample;

/** Checks of a metric's batch arguments, with messages that name the sample and the bad value. */
public final class Inputs {

    private Inputs() {
    }

    /**
     * The method behind the heatmaps and the model it explained, which a metric that runs the
     * method again needs.
     *
     * @param does what the metric does with the method, e.g. {@code "times the method"}
     * @throws IllegalStateException naming the metric and how the caller passes them
     */
    public static Context.Explained explainedBy(Context context, String metricId, String does) {
        return context.explainedBy().orElseThrow(() -> new IllegalStateException(metricId + " " + does
                + ", so it needs the method that produced the heatmaps and the model it explained: the caller must "
                + "pass them with Context.withExplained(explainer, model)"));
    }

    /**
     * One target and one heatmap per sample, heatmaps on the model's patch grid, targets among the
     * model's classes, every target-class heatmap value finite.
     *
     * @throws IllegalArgumentException naming the first problem
     */
    public static void check(ModelInfo info, List<Sample> batch, int[] targets, Heatmaps heatmaps) {
        if (targets.length != batch.size() || heatmaps.batchSize() != batch.size()) {
            throw new IllegalArgumentException(batch.size() + " samples, " + targets.length + " targets and "
                    + heatmaps.batchSize() + " heatmaps; one of each per sample is needed");
        }
        if (heatmaps.grid() != info.grid()) {
            throw new IllegalArgumentException("heatmaps are on a " + heatmaps.grid() + "x" + heatmaps.grid()
                    + " grid, model " + info.name() + " has " + info.grid() + "x" + info.grid() + " patches");
        }
        for (int b = 0; b < targets.length; b++) {
            if (targets[b] < 0 || targets[b] >= info.numClasses()) {
                throw new IllegalArgumentException("target " + targets[b] + " of sample " + batch.get(b).id()
                        + " is not a class of model " + info.name() + " (0 to " + (info.numClasses() - 1) + ")");
            }
            float[] map = heatmaps.target()[b];
            for (int i = 0; i < map.length; i++) {
                if (!Float.isFinite(map[i])) {
                    throw new IllegalArgumentException("heatmap of sample " + batch.get(b).id() + " has " + map[i]
                            + " at index " + i + "; every value must be finite");
                }
            }
        }
    }
}
