package org.vitbench.models;

import java.util.List;
import java.util.Map;
import org.vitbench.api.Preprocessing;

/**
 * The JSON file ({@code config.json}) that travels beside a checkpoint: architecture,
 * preprocessing, class names and how the weights were obtained.
 *
 * @param name model name
 * @param architecture the ViT's sizes
 * @param mean per-channel normalisation mean for [0, 1] inputs
 * @param std per-channel normalisation std
 * @param interpolation resize interpolation for inputs of another size
 * @param classNames one name per class
 * @param provenance free-form facts: training command, seed, data, accuracy, time taken
 * @param cropPct the share of the resized image the evaluation centre crop keeps (timm
 *     {@code crop_pct}); null (absent from older configs) is 1
 * @param resize which sides the evaluation resize sets; null is the shorter side
 */
public record ModelConfig(String name, VitConfig architecture, float[] mean, float[] std,
        String interpolation, List<String> classNames, Map<String, Object> provenance, Double cropPct,
        Preprocessing.Resize resize) {

    /** A model prepared as vitbench's own: shorter side resized to the input size, centre cropped. */
    public ModelConfig(String name, VitConfig architecture, float[] mean, float[] std, String interpolation,
            List<String> classNames, Map<String, Object> provenance) {
        this(name, architecture, mean, std, interpolation, classNames, provenance, null, null);
    }

    public ModelConfig {
        required(architecture, "architecture", name);
        required(mean, "mean", name);
        required(std, "std", name);
        required(interpolation, "interpolation", name);
        required(classNames, "classNames", name);
        if (classNames.size() != architecture.numClasses()) {
            throw new IllegalArgumentException("config of " + name + " lists " + classNames.size()
                    + " class names but the architecture has " + architecture.numClasses() + " classes");
        }
        if (mean.length != architecture.channels() || std.length != architecture.channels()) {
            throw new IllegalArgumentException("config of " + name + " needs " + architecture.channels()
                    + " mean and std values (one per channel)");
        }
        // the preprocessing's own checks (positive std, known interpolation, crop share) at load time
        new Preprocessing(mean, std, interpolation, cropPct == null ? 1.0 : cropPct,
                resize == null ? Preprocessing.Resize.SHORTER_SIDE : resize);
        classNames = List.copyOf(classNames);
        mean = mean.clone();
        std = std.clone();
        provenance = provenance == null ? Map.of()
                : java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(provenance));
    }

    private static void required(Object value, String field, String name) {
        if (value == null) {
            throw new IllegalArgumentException("config" + (name == null ? "" : " of " + name) + " has no '" + field
                    + "'" + (field.equals("architecture") ? " (the ViT's sizes: imageSize, patchSize, channels, dim, "
                    + "depth, heads, mlpRatio, numClasses)" : ""));
        }
    }

    @Override
    public float[] mean() {
        return mean.clone();
    }

    @Override
    public float[] std() {
        return std.clone();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof ModelConfig c && name.equals(c.name) && architecture.equals(c.architecture)
                && java.util.Arrays.equals(mean, c.mean) && java.util.Arrays.equals(std, c.std)
                && interpolation.equals(c.interpolation) && classNames.equals(c.classNames)
                && provenance.equals(c.provenance) && java.util.Objects.equals(cropPct, c.cropPct)
                && resize == c.resize;
    }

    @Override
    public int hashCode() {
        return java.util.Objects.hash(name, architecture, java.util.Arrays.hashCode(mean),
                java.util.Arrays.hashCode(std), interpolation, classNames, provenance, cropPct, resize);
    }

    public Preprocessing preprocessing() {
        return new Preprocessing(mean, std, interpolation, cropPct == null ? 1.0 : cropPct,
                resize == null ? Preprocessing.Resize.SHORTER_SIDE : resize);
    }

    public ModelConfig withProvenance(Map<String, Object> newProvenance) {
        return new ModelConfig(name, architecture, mean, std, interpolation, classNames, newProvenance, cropPct,
                resize);
    }
}
