package org.vitbench.api;

import java.util.Collections;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * The resolved parameters of one plug-in instance, made by {@link Declaration#resolve}: typed
 * values for the plug-in, and the canonical map that identifies its results. Immutable.
 */
public final class Arguments {

    private final String owner;
    private final String preset;
    private final Map<String, Object> values;
    private final SortedMap<String, String> spec;

    Arguments(String owner, String preset, Map<String, Object> values, SortedMap<String, String> spec) {
        this.owner = owner;
        this.preset = preset;
        this.values = Map.copyOf(values);
        this.spec = Collections.unmodifiableSortedMap(new TreeMap<>(spec));
    }

    /**
     * The value of {@code parameter}, or {@code null} when its {@link Parameter#onlyWhen condition}
     * does not hold.
     *
     * @throws IllegalArgumentException when the plug-in did not declare {@code parameter}
     */
    @SuppressWarnings("unchecked")
    public <T> T get(Parameter<T> parameter) {
        Object value = values.get(parameter.name());
        if (value == null && !parameter.condition().isEmpty()) {
            return null;
        }
        if (value == null) {
            throw new IllegalArgumentException(owner + " does not declare parameter " + parameter.name());
        }
        return (T) value;
    }

    /** The arguments forwarded under {@code prefix} (see {@link Declaration.Nested}). */
    public Arguments nested(String prefix) {
        return (Arguments) values.get(prefix);
    }

    /** The preset the values came from; for metrics, the default preset when none was given; else null. */
    public String preset() {
        return preset;
    }

    /**
     * Every parameter that identifies the results, canonically written and sorted: what a method's
     * {@link Explainer#parameters()} and a metric's {@link MetricSpec} hold.
     */
    public SortedMap<String, String> spec() {
        return spec;
    }

    /** {@link #spec()} as the parameters of the plug-in. */
    public Parameters parameters() {
        return Parameters.of(owner, spec);
    }

    /** The metric spec of metric {@code owner}: its preset and {@link #spec()}. */
    public MetricSpec metricSpec() {
        return new MetricSpec(owner, preset, spec);
    }

    @Override
    public String toString() {
        return owner + spec;
    }
}
