package org.vitbench.api;

/**
 * Describes a dataset or model provider.
 *
 * @param id stable kebab-case id
 * @param name display name
 * @param description one sentence, with the parameters it takes
 */
public record ProviderInfo(String id, String name, String description) {

    public ProviderInfo {
        Ids.check(id);
    }
}
