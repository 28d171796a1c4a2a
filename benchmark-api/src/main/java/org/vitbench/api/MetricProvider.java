package org.vitbench.api;

import java.util.Optional;

/**
 * Registers a metric. The usual way is a {@link MetricDeclaration}, which implements this
 * interface and is found through the metric's own class listed in
 * {@code META-INF/services/org.vitbench.api.Metric}; a hand-written provider is listed in
 * {@code META-INF/services/org.vitbench.api.MetricProvider}.
 */
public interface MetricProvider {

    MetricInfo info();

    /**
     * Creates the metric; the parameter {@code preset} selects one of {@link MetricInfo#presets()}.
     *
     * @throws ConfigurationException naming the bad parameter and what is allowed
     */
    Metric create(Parameters parameters);

    /** The declared parameters and presets, for help and checks; empty for a hand-written provider. */
    default Optional<Declaration> declaration() {
        return Optional.empty();
    }
}
