package org.vitbench.api;

import java.util.List;
import java.util.Set;

/**
 * What a metric is, as data.
 *
 * @param id stable kebab-case id
 * @param name display name
 * @param category metric category
 * @param direction which scores are better
 * @param requirements what the metric needs from the model, dataset or heatmaps
 * @param presets named protocol presets; the first is the default
 * @param reference the paper (authors, year, arXiv id)
 */
public record MetricInfo(String id, String name, Category category, Direction direction,
        Set<Requirement> requirements, List<String> presets, String reference) {

    public MetricInfo {
        Ids.check(id);
        requirements = Set.copyOf(requirements);
        presets = List.copyOf(presets);
        if (presets.isEmpty()) {
            throw new IllegalArgumentException("metric " + id + " needs at least one preset");
        }
    }
}
