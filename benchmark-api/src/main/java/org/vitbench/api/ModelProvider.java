package org.vitbench.api;

/**
 * Registers a model source with {@link java.util.ServiceLoader}
 * ({@code META-INF/services/org.vitbench.api.ModelProvider}).
 */
public interface ModelProvider {

    ProviderInfo info();

    /**
     * Loads the model.
     *
     * @param parameters for example {@code path} (a checkpoint) and {@code device}
     * @throws ConfigurationException when the checkpoint is missing, corrupt or mismatched
     */
    VitModel load(Parameters parameters);
}
