package org.vitbench.runner.cli;

import org.vitbench.api.Registry;
import org.vitbench.api.VitModel;
import org.vitbench.runner.run.PluginSpec;
import picocli.CommandLine.Option;

/**
 * The {@code --model} option of the commands that load one model (evaluate, explain, predict,
 * estimation-error): declared once, with its parsing and loading, as a picocli mixin.
 */
final class ModelOption {

    @Option(names = "--model", paramLabel = "ID[:K=V,...]", defaultValue = "embedded",
            description = "Model as id[:key=value,...] (default: ${DEFAULT-VALUE}).")
    String spec;

    /** The model as written, e.g. {@code checkpoint:path=/m}. */
    String text() {
        return spec;
    }

    /** Loads the model from the registry's provider. */
    VitModel load(Registry registry) {
        return PluginSpec.parse(spec).loadModel(registry);
    }
}
