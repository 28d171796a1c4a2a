package org.vitbench.api;

import java.util.Set;

/**
 * What an explanation method is, as data: the runner checks requirements before it runs a pair.
 *
 * @param id stable kebab-case id used by the CLI, configs and reports
 * @param name display name
 * @param family method family
 * @param requirements what the method needs
 * @param allClasses whether one call explains every class at once
 * @param reference the paper (authors, year, arXiv id) or "baseline"
 */
public record ExplainerInfo(String id, String name, Family family, Set<Requirement> requirements,
        boolean allClasses, String reference) {

    public ExplainerInfo {
        Ids.check(id);
        requirements = Set.copyOf(requirements);
    }
}
