package org.vitbench.models.vitshapley;

import java.util.Map;

/**
 * What a ViT Shapley explainer is and what it explains ({@code explainer.json} beside its weights).
 *
 * @param format always {@link #FORMAT}
 * @param surrogate the surrogate it was trained against, as a model spec that the registry loads
 *     ({@code embedded-surrogate}, or {@code checkpoint:path=...})
 * @param surrogateFingerprint the surrogate's weight fingerprint at training time
 * @param classifier the name of the classifier the surrogate imitates
 * @param classifierFingerprint that classifier's weight fingerprint
 * @param headRatio width of the per-token MLP head as a multiple of the embedding dimension
 * @param provenance training command, seed, losses, time taken
 */
public record ExplainerSpec(String format, String surrogate, String surrogateFingerprint, String classifier,
        String classifierFingerprint, int headRatio, Map<String, Object> provenance) {

    public static final String FORMAT = "vitbench/vit-shapley-explainer/1";

    public ExplainerSpec {
        provenance = provenance == null ? Map.of()
                : java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(provenance));
    }

    public ExplainerSpec withProvenance(Map<String, Object> p) {
        return new ExplainerSpec(format, surrogate, surrogateFingerprint, classifier, classifierFingerprint, headRatio,
                p);
    }
}
