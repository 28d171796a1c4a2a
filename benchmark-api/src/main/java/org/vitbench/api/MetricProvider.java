package org.vitbench.api;

/**
 * Registers a metric with {@link java.util.ServiceLoader}: list the implementing class in
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
}
