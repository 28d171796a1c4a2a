package org.vitbench.api;

import java.util.List;

/**
 * An explanation method with its parameters fixed. Instances are immutable and may be shared by
 * threads unless their Javadoc says otherwise.
 */
public interface Explainer {

    ExplainerInfo info();

    /** The parameters this instance was created with (part of its cache key). */
    Parameters parameters();

    /**
     * Explains each sample's target class.
     *
     * @param context the model, the run seed and a scope for native memory
     * @param batch the samples
     * @param targets {@code [B]} class index to explain per sample
     * @return heatmaps on the model's patch grid
     */
    Heatmaps explain(Context context, List<Sample> batch, int[] targets);
}
