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

    /**
     * The spec whose {@link #canonical()} form is {@code canonical}, as results store it.
     *
     * @throws ConfigurationException when the text is not a canonical form this version writes
     */
    public static MetricSpec parse(String canonical) {
        String suffix = "}v" + PROTOCOL_VERSION;
        int at = canonical.indexOf('@');
        int open = canonical.indexOf('{');
        if (at > 0 && open > at && canonical.endsWith(suffix)) {
            Map<String, String> parameters = new TreeMap<>();
            String body = canonical.substring(open + 1, canonical.length() - suffix.length());
            for (String pair : body.isEmpty() ? new String[0] : body.split(";")) {
                int eq = pair.indexOf('=');
                if (eq > 0) {
                    parameters.put(pair.substring(0, eq), pair.substring(eq + 1));
                }
            }
            MetricSpec spec = of(canonical.substring(0, at), canonical.substring(at + 1, open), parameters);
            if (spec.canonical().equals(canonical)) {
                return spec;
            }
        }
        throw new ConfigurationException("'" + canonical + "' is not a canonical metric spec of protocol version "
                + PROTOCOL_VERSION + " (id@preset{key=value;...}v" + PROTOCOL_VERSION + ")");
    }

    /** The first 16 hex digits of SHA-256 over {@link #canonical()}. */
    public String hash() {
        return Hashes.shortHash(canonical());
    }
}
