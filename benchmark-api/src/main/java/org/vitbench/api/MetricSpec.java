package org.vitbench.api;

import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * A metric's protocol: its id, preset and every parameter that changes its scores. Results are
 * comparable only when their spec hashes are equal.
 *
 * @param metricId the metric id
 * @param preset the preset name
 * @param parameters resolved parameters, defaults included
 */
public record MetricSpec(String metricId, String preset, SortedMap<String, String> parameters) {

    /** Bumped when a change in vitbench alters the scores of an unchanged spec. */
    public static final int PROTOCOL_VERSION = 1;

    public MetricSpec {
        parameters = java.util.Collections.unmodifiableSortedMap(new TreeMap<>(parameters));
    }

    public static MetricSpec of(String metricId, String preset, Map<String, String> parameters) {
        return new MetricSpec(metricId, preset, new TreeMap<>(parameters));
    }

    /** A canonical one-line form, e.g. {@code deletion@vit-shapley{removal=attention-mask}}. */
    public String canonical() {
        StringBuilder sb = new StringBuilder(metricId).append('@').append(preset).append('{');
        parameters.forEach((k, v) -> sb.append(k).append('=').append(v).append(';'));
        return sb.append("}v").append(PROTOCOL_VERSION).toString();
    }

    /** The first 16 hex digits of SHA-256 over {@link #canonical()}. */
    public String hash() {
        return Hashes.shortHash(canonical());
    }
}
