package org.vitbench.api;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.Function;

/**
 * The parameters and presets of one plug-in, and the one place where given parameters become
 * {@link Arguments}: a preset fills in its values, explicitly given values win, unknown keys and
 * values outside a parameter's range fail naming what is allowed, parameters whose
 * {@link Parameter#onlyWhen condition} does not hold are refused when given and left out
 * otherwise, and every value is written canonically. {@link MethodDeclaration} and
 * {@link MetricDeclaration} add what the registry needs. Immutable.
 */
public final class Declaration {

    /** The key that selects a preset. */
    public static final String PRESET = "preset";

    private final String owner;
    private final List<Parameter<?>> parameters;
    private final Map<String, Map<String, String>> presets;
    private final String defaultPreset;
    private final Nested nested;

    /**
     * Parameters forwarded, under a prefix, to another plug-in chosen by a parameter: SmoothGrad's
     * {@code base.steps} goes to its base method's declaration as {@code steps}.
     *
     * @param prefix the prefix, with its dot
     * @param selector the parameter that names the other plug-in
     * @param declarations the declaration of a plug-in, by the selector's value
     * @param withheld keys of the other plug-in that are not forwarded, each with the reason given
     *     when one is set
     */
    public record Nested(String prefix, Parameter<String> selector, Function<String, Declaration> declarations,
            Map<String, String> withheld) {
    }

    private Declaration(String owner, List<Parameter<?>> parameters, Map<String, Map<String, String>> presets,
            String defaultPreset, Nested nested) {
        this.owner = owner;
        this.parameters = List.copyOf(parameters);
        this.presets = Collections.unmodifiableMap(new LinkedHashMap<>(presets));
        this.defaultPreset = defaultPreset;
        this.nested = nested;
        Map<String, Parameter<?>> byName = new LinkedHashMap<>();
        for (Parameter<?> p : this.parameters) {
            if (p.name().equals(PRESET) || byName.put(p.name(), p) != null) {
                throw new IllegalArgumentException(owner + " declares parameter '" + p.name() + "' twice or as a"
                        + " reserved name");
            }
            if (p.conditionKey() != null && !p.conditionKey().equals(PRESET) && !byName.containsKey(p.conditionKey())) {
                throw new IllegalArgumentException(owner + ": parameter '" + p.name() + "' depends on '"
                        + p.conditionKey() + "', which must be declared before it");
            }
        }
        this.presets.forEach((name, values) -> values.keySet().forEach(key -> {
            if (!byName.containsKey(key)) {
                throw new IllegalArgumentException(owner + ": preset " + name + " sets undeclared parameter " + key);
            }
        }));
    }

    /** The declaration of plug-in {@code owner} with {@code parameters}, in the order they are listed in help. */
    public static Declaration of(String owner, List<Parameter<?>> parameters) {
        return new Declaration(owner, parameters, Map.of(), null, null);
    }

    /** A copy with preset {@code name} setting {@code values}; explicitly given values win over them. */
    public Declaration preset(String name, Map<String, String> values) {
        Map<String, Map<String, String>> copy = new LinkedHashMap<>(presets);
        copy.put(name, Map.copyOf(values));
        return new Declaration(owner, parameters, copy, defaultPreset, nested);
    }

    /**
     * A copy whose preset {@code name} applies when none is given, and is recorded in
     * {@link Arguments#preset()} (metrics record their protocol's preset in their spec).
     */
    public Declaration defaultPreset(String name) {
        Map<String, Map<String, String>> copy = new LinkedHashMap<>(presets);
        copy.putIfAbsent(name, Map.of());
        return new Declaration(owner, parameters, copy, name, nested);
    }

    /** A copy that forwards parameters under {@code nested.prefix()}. */
    public Declaration nested(Nested forwarded) {
        return new Declaration(owner, parameters, presets, defaultPreset, forwarded);
    }

    public String owner() {
        return owner;
    }

    public List<Parameter<?>> parameters() {
        return parameters;
    }

    /** Preset names to the values they set, in declaration order. */
    public Map<String, Map<String, String>> presets() {
        return presets;
    }

    /** Resolves {@code key=value} pairs; see {@link #resolve(Parameters)}. */
    public Arguments resolve(Map<String, String> given) {
        return resolve(Parameters.of(owner, given));
    }

    /**
     * The arguments for {@code given}.
     *
     * @throws ConfigurationException naming the unknown preset or key, or the bad value and what is
     *     allowed
     */
    public Arguments resolve(Parameters given) {
        String preset = defaultPreset;
        if (given.has(PRESET)) {
            if (presets.isEmpty()) {
                throw new ConfigurationException("unknown parameter 'preset' for " + owner + "; it has no presets");
            }
            preset = given.getChoice(PRESET, "", presets.keySet());
        }
        Map<String, String> merged = new TreeMap<>(preset == null ? Map.of() : presets.get(preset));
        merged.putAll(given.asMap());
        merged.remove(PRESET);
        checkKeys(merged.keySet());
        Parameters values = Parameters.of(given.owner().isEmpty() ? owner : given.owner(), merged);
        Map<String, String> canonical = new LinkedHashMap<>();
        if (preset != null) {
            canonical.put(PRESET, preset);
        }
        Map<String, Object> typed = new LinkedHashMap<>();
        SortedMap<String, String> spec = new TreeMap<>();
        for (Parameter<?> p : parameters) {
            if (!p.appliesTo(canonical)) {
                if (given.has(p.name())) {
                    throw new ConfigurationException("parameter '" + p.name() + "' of " + owner + " applies to "
                            + p.condition().replace("|", " or ") + " only, not to " + p.conditionKey() + "="
                            + canonical.get(p.conditionKey()));
                }
                continue;
            }
            Object value = p.read(values);
            typed.put(p.name(), value);
            String text = p.text(value);
            canonical.put(p.name(), text);
            if (p.inSpec() && !p.omittedAt(text)) {
                spec.put(p.name(), text);
            }
        }
        if (nested != null) {
            String selected = (String) typed.get(nested.selector().name());
            Map<String, String> forwarded = new TreeMap<>();
            merged.forEach((k, v) -> {
                if (k.startsWith(nested.prefix())) {
                    String key = k.substring(nested.prefix().length());
                    if (nested.withheld().containsKey(key)) {
                        throw new ConfigurationException("parameter '" + k + "' of " + owner + " is not used: "
                                + nested.withheld().get(key));
                    }
                    forwarded.put(key, v);
                }
            });
            Arguments inner = nested.declarations().apply(selected)
                    .resolve(Parameters.of(owner + " " + nested.selector().name() + " " + selected, forwarded));
            inner.spec().forEach((k, v) -> {
                if (!nested.withheld().containsKey(k)) {
                    spec.put(nested.prefix() + k, v);
                }
            });
            typed.put(nested.prefix(), inner);
        }
        return new Arguments(owner, preset, typed, spec);
    }

    private void checkKeys(Iterable<String> keys) {
        for (String key : keys) {
            boolean declared = parameters.stream().anyMatch(p -> p.name().equals(key))
                    || nested != null && key.startsWith(nested.prefix());
            if (!declared) {
                List<String> allowed = new ArrayList<>(parameters.stream().map(Parameter::name).toList());
                if (!presets.isEmpty()) {
                    allowed.add(PRESET);
                }
                throw new ConfigurationException("unknown parameter '" + key + "' for " + owner + "; allowed: "
                        + (allowed.isEmpty() ? "none" : String.join(", ", new TreeSet<>(allowed)))
                        + (nested == null ? "" : ", and " + nested.prefix() + "<parameter of the "
                                + nested.selector().name() + " method>"));
            }
        }
    }
}
