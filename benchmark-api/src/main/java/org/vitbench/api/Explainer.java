package org.vitbench.api;

import java.util.List;

/**
 * An explanation method with its parameters fixed. Instances may be shared by threads unless their
 * Javadoc says otherwise. Most hold nothing but their parameters; one that loads a trained network
 * owns it and releases it in {@link #close()}, which the runner calls when the run is over.
 */
public interface Explainer extends AutoCloseable {

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

    /** Releases what this instance loaded (trained networks, native memory); by default nothing. */
    @Override
    default void close() {
    }
}
