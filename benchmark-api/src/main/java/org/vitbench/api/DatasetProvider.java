package org.vitbench.api;

/**
 * Registers a dataset with {@link java.util.ServiceLoader}
 * ({@code META-INF/services/org.vitbench.api.DatasetProvider}).
 */
public interface DatasetProvider {

    ProviderInfo info();

    /**
     * Opens the dataset.
     *
     * @param parameters for example {@code dir}, {@code split}
     * @throws ConfigurationException when the data is missing or corrupt, saying where it looked
     *     and how to install it
     */
    Dataset open(Parameters parameters);

    /**
     * Opens the dataset to be fed to {@code model}. A dataset that resizes its images takes the
     * model's input size, channels and {@link Preprocessing} (interpolation, crop) where the
     * parameters do not say otherwise, so that images reach the model as its library prepares them.
     * By default the model is not consulted.
     */
    default Dataset open(Parameters parameters, ModelInfo model) {
        return open(parameters);
    }
}
