package org.vitbench.api;

import java.util.List;

/** A metric with its preset and parameters fixed. */
public interface Metric {

    MetricInfo info();

    /** The protocol this instance follows; its hash is stored with every result. */
    MetricSpec spec();

    /**
     * Scores the heatmaps of one batch.
     *
     * @param context the evaluation model, the run seed and a scope for native memory
     * @param batch the samples
     * @param targets {@code [B]} the explained class per sample
     * @param heatmaps the explanations to score
     */
    MetricResult evaluate(Context context, List<Sample> batch, int[] targets, Heatmaps heatmaps);
}
