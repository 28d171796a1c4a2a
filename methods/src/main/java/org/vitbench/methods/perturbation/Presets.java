package org.vitbench.methods.perturbation;

import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.vitbench.api.ConfigurationException;
import org.vitbench.api.Parameters;

/**
 * Named parameter sets that reproduce a paper's configuration. {@code preset=name} fills in the
 * preset's values; parameters given explicitly win. The resolved parameters no longer hold the
 * {@code preset} key, so a method's {@code parameters()} (its cache key) is the same whether a
 * configuration was reached through a preset or spelt out.
 */
final class Presets {

    static final String KEY = "preset";

    private Presets() {
    }

    /**
     * @param given the user's parameters, possibly with {@code preset}
     * @param presets preset name to its values
     * @return the given parameters over the preset's values, without {@code preset}
     * @throws ConfigurationException naming the unknown preset and the known ones
     */
    static Parameters resolve(Parameters given, Map<String, Map<String, String>> presets) {
        if (!given.has(KEY)) {
            return given;
        }
        String name = given.getChoice(KEY, "", Set.copyOf(presets.keySet()));
        Map<String, String> values = new TreeMap<>(presets.get(name));
        values.putAll(given.asMap());
        values.remove(KEY);
        return Parameters.of(given.owner(), values);
    }
}
