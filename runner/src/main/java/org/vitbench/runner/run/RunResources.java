package org.vitbench.runner.run;

import org.vitbench.api.Dataset;
import org.vitbench.api.ModelInfo;
import org.vitbench.api.Registry;
import org.vitbench.api.VitModel;

/**
 * Where a {@link Benchmark} gets its models and data. A single run loads them and closes the
 * models when it ends ({@link #OWNED}); a worker that runs many parts of one run in one JVM (a
 * Spark executor) keeps them loaded across parts and releases nothing.
 */
public interface RunResources {

    /** Loads for the run, closes the models after it. */
    RunResources OWNED = new RunResources() {
        @Override
        public VitModel model(PluginSpec spec, Registry registry) {
            return spec.loadModel(registry);
        }

        @Override
        public Dataset dataset(PluginSpec spec, Registry registry, ModelInfo model) {
            return spec.openDataset(registry, model);
        }

        @Override
        public void release(VitModel model) {
            model.close();
        }
    };

    /** The model {@code spec} names; models are safe for concurrent inference. */
    VitModel model(PluginSpec spec, Registry registry);

    /** The dataset {@code spec} names, prepared for {@code model}. */
    Dataset dataset(PluginSpec spec, Registry registry, ModelInfo model);

    /** Called once the run no longer uses {@code model}. */
    void release(VitModel model);
}
