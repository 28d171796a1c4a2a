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
}
