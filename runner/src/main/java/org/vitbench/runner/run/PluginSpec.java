package org.vitbench.runner.run;

import java.util.Collections;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;
import org.vitbench.api.Dataset;
import org.vitbench.api.ModelInfo;
import org.vitbench.api.Parameters;
import org.vitbench.api.Registry;
import org.vitbench.api.VitModel;

/**
 * A plug-in id with its parameters, as written on the command line ({@code kernel-shap:budget=2048})
 * or in a config file.
 *
 * @param id the plug-in id
 * @param parameters parameters, sorted by key
 */
public record PluginSpec(String id, SortedMap<String, String> parameters) {

    public PluginSpec {
        parameters = Collections.unmodifiableSortedMap(new TreeMap<>(parameters));
    }

    public static PluginSpec of(String id) {
        return new PluginSpec(id, new TreeMap<>());
    }

    public static PluginSpec of(String id, Map<String, String> parameters) {
        return new PluginSpec(id, new TreeMap<>(parameters));
    }

    /** Parses {@code id[:k=v,...]}. */
    public static PluginSpec parse(String text) {
        String[] id = new String[1];
        Parameters p = Parameters.parseSpec(text.trim(), id);
        return new PluginSpec(id[0], p.asMap());
    }

    /** The dataset this spec names, opened for a model with {@code model}'s input (null: as stored). */
    public Dataset openDataset(Registry registry, ModelInfo model) {
        return model == null ? registry.dataset(id).open(toParameters())
                : registry.dataset(id).open(toParameters(), model);
    }

    /** The model this spec names, loaded. */
    public VitModel loadModel(Registry registry) {
        return registry.model(id).load(toParameters());
    }

    /** The parameters as the plug-in receives them. */
    Parameters toParameters() {
        return Parameters.of(id, parameters);
    }

    /** The inverse of {@link #parse}: {@code id} or {@code id:k=v,k=v} with sorted keys. */
    public String format() {
        return Parameters.formatSpec(id, parameters);
    }

    @Override
    public String toString() {
        return format();
    }
}
