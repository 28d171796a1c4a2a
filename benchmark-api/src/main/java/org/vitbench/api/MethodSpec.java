package org.vitbench.api;

import java.util.Collections;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * A method with its parameters: what a user writes ({@code kernel-shap:budget=2048}) and, once
 * resolved by the method's declaration, what stored results are keyed by. Beside
 * {@link MetricSpec}, it is the one representation of a method in the run, the store, baselines,
 * merges and caches.
 *
 * @param methodId the method id
 * @param parameters the parameters, sorted by key
 */
public record MethodSpec(String methodId, SortedMap<String, String> parameters) {

    public MethodSpec {
        if (methodId == null || methodId.isBlank()) {
            throw new IllegalArgumentException("a method spec needs a method id");
        }
        parameters = Collections.unmodifiableSortedMap(new TreeMap<>(parameters));
    }

    /** The method {@code methodId} with {@code parameters}. */
    public static MethodSpec of(String methodId, Map<String, String> parameters) {
        return new MethodSpec(methodId, new TreeMap<>(parameters));
    }

    /**
     * Parses {@code id} or {@code id:key=value,...}; a backslash keeps the next character in a key
     * or value (see {@link Parameters#parseSpec}).
     *
     * @throws ConfigurationException when a pair is not {@code key=value} or a key repeats
     */
    public static MethodSpec parse(String text) {
        String[] id = new String[1];
        Parameters parameters = Parameters.parseSpec(text.trim(), id);
        if (id[0].isEmpty()) {
            throw new ConfigurationException("'" + text + "' names no method; write for example kernel-shap or "
                    + "kernel-shap:budget=2048");
        }
        return of(id[0], parameters.asMap());
    }

    /**
     * The canonical text: {@code id} or {@code id:k=v,k=v} with sorted keys and escaped separators;
     * {@link #parse} reads it back. Stored results name their method by it.
     */
    public String canonical() {
        return Parameters.formatSpec(methodId, parameters);
    }

    /** The first 16 hex digits of SHA-256 over {@link #canonical()}. */
    public String hash() {
        return Hashes.shortHash(canonical());
    }

    /** The parameters as the method's provider receives them. */
    public Parameters toParameters() {
        return Parameters.of(methodId, parameters);
    }

    @Override
    public String toString() {
        return canonical();
    }
}
