package org.vitbench.api;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.BiFunction;
import java.util.function.Function;

/**
 * One parameter of a plug-in, declared once: its name, type, default, allowed values and a one-line
 * description. From the declarations of a plug-in ({@link Declaration}) follow the check for
 * unknown keys, the canonical parameter map (what caches, stored results and config hashes use),
 * presets and the help of {@code vitbench list}; the plug-in reads typed values with
 * {@link Arguments#get}. The canonical text of a value is {@code format(parse(text))}, so two
 * spellings of one value ({@code 0.50}, {@code .5}) share one store key.
 *
 * <p>Instances are immutable; the {@code with...} methods return modified copies, so a shared
 * declaration (a removal parameter, say) can take each plug-in's own default.
 *
 * @param <T> the value type
 */
public final class Parameter<T> {

    private final String name;
    private final String description;
    private final T defaultValue;
    /** Parses a present value; the key is always in the parameters it is given. */
    private final BiFunction<Parameters, String, T> parse;
    private final Function<T, String> format;
    private final String allowed;
    private final String conditionKey;
    private final Set<String> conditionValues;
    private final boolean inSpec;
    private final boolean omittedAtDefault;

    private Parameter(String name, String description, T defaultValue, BiFunction<Parameters, String, T> parse,
            Function<T, String> format, String allowed, String conditionKey, Set<String> conditionValues,
            boolean inSpec, boolean omittedAtDefault) {
        this.name = Objects.requireNonNull(name);
        this.description = Objects.requireNonNull(description);
        this.defaultValue = Objects.requireNonNull(defaultValue, () -> "parameter " + name + " needs a default");
        this.parse = parse;
        this.format = format;
        this.allowed = allowed;
        this.conditionKey = conditionKey;
        this.conditionValues = conditionValues;
        this.inSpec = inSpec;
        this.omittedAtDefault = omittedAtDefault;
    }

    /** An integer in {@code [min, max]}. */
    public static Parameter<Integer> integer(String name, int defaultValue, int min, int max, String description) {
        return new Parameter<>(name, description, defaultValue, (p, key) -> p.getInt(key, defaultValue, min, max),
                i -> Integer.toString(i), "an integer from " + min + " to " + max, null, null, true, false);
    }

    /** A finite number in {@code [min, max]}. */
    public static Parameter<Double> number(String name, double defaultValue, double min, double max,
            String description) {
        return new Parameter<>(name, description, defaultValue, (p, key) -> p.getDouble(key, defaultValue, min, max),
                d -> Double.toString(d), "a number from " + min + " to " + max, null, null, true, false);
    }

    /** {@code true} or {@code false}. */
    public static Parameter<Boolean> flag(String name, boolean defaultValue, String description) {
        return new Parameter<>(name, description, defaultValue, (p, key) -> p.getBoolean(key, defaultValue),
                b -> Boolean.toString(b), "true or false", null, null, true, false);
    }

    /** One of {@code choices}, written as given. */
    public static Parameter<String> choice(String name, String defaultValue, List<String> choices,
            String description) {
        return oneOf(name, defaultValue, choices, s -> s, description);
    }

    /** One of {@code values}, each written as {@code id} gives it (an enum's constants, say). */
    public static <T> Parameter<T> oneOf(String name, T defaultValue, List<T> values, Function<T, String> id,
            String description) {
        Map<String, T> byId = new LinkedHashMap<>();
        values.forEach(v -> byId.put(id.apply(v), v));
        String allowed = String.join(", ", byId.keySet());
        return new Parameter<>(name, description, defaultValue, (p, key) -> {
            String text = p.asMap().get(key);
            T value = byId.get(text);
            if (value == null) {
                throw new ConfigurationException("invalid value '" + text + "' for parameter '" + key + "' of "
                        + p.owner() + "; allowed: one of " + allowed);
            }
            return value;
        }, id, allowed, null, null, true, false);
    }

    /**
     * A value of any type: {@code parse} turns the text into the value or throws a
     * {@link ConfigurationException} (reported as an invalid value with {@code allowed}),
     * {@code format} writes its canonical text.
     */
    public static <T> Parameter<T> of(String name, T defaultValue, Function<String, T> parse,
            Function<T, String> format, String allowed, String description) {
        return new Parameter<>(name, description, defaultValue, (p, key) -> {
            String text = p.asMap().get(key).trim();
            try {
                return parse.apply(text);
            } catch (ConfigurationException e) {
                throw new ConfigurationException("invalid value '" + text + "' for parameter '" + key + "' of "
                        + p.owner() + "; allowed: " + allowed, e);
            }
        }, format, allowed, null, null, true, false);
    }

    /** This parameter with another default. */
    public Parameter<T> withDefault(T value) {
        return new Parameter<>(name, description, value, parse, format, allowed, conditionKey, conditionValues,
                inSpec, omittedAtDefault);
    }

    /**
     * This parameter applies only while parameter {@code key} (or the preset, for {@code key}
     * {@code preset}) has one of {@code values}: otherwise it is absent from the canonical map and
     * giving it fails, naming the condition.
     */
    public Parameter<T> onlyWhen(String key, String... values) {
        return new Parameter<>(name, description, defaultValue, parse, format, allowed, key, Set.of(values), inSpec,
                omittedAtDefault);
    }

    /**
     * This parameter changes speed or memory, never scores: metrics leave it out of their
     * {@link MetricSpec} (methods keep every parameter in their store key).
     */
    public Parameter<T> outsideSpec() {
        return new Parameter<>(name, description, defaultValue, parse, format, allowed, conditionKey,
                conditionValues, false, omittedAtDefault);
    }

    /**
     * This parameter is left out of the spec at its default value: for parameters added after specs
     * were first stored, so that the older specs keep their hash.
     */
    public Parameter<T> omittedAtDefault() {
        return new Parameter<>(name, description, defaultValue, parse, format, allowed, conditionKey,
                conditionValues, inSpec, true);
    }

    public String name() {
        return name;
    }

    /** One line for {@code vitbench list}. */
    public String description() {
        return description;
    }

    public T defaultValue() {
        return defaultValue;
    }

    /** The canonical text of the default. */
    public String defaultText() {
        return format.apply(defaultValue);
    }

    /** What values are allowed, in words. */
    public String allowed() {
        return allowed;
    }

    /** The condition of {@link #onlyWhen}, as {@code key=a|b}, or empty. */
    public String condition() {
        return conditionKey == null ? "" : conditionKey + "=" + String.join("|", new TreeSet<>(conditionValues));
    }

    boolean appliesTo(Map<String, String> values) {
        return conditionKey == null || conditionValues.contains(values.get(conditionKey));
    }

    String conditionKey() {
        return conditionKey;
    }

    boolean inSpec() {
        return inSpec;
    }

    boolean omittedAt(String canonical) {
        return omittedAtDefault && canonical.equals(defaultText());
    }

    /** Parses the value of this parameter in {@code given}, or the default when absent. */
    T read(Parameters given) {
        return given.has(name) ? parse.apply(given, name) : defaultValue;
    }

    /** The canonical text of {@code value}, which {@link #read} returned. */
    @SuppressWarnings("unchecked")
    String text(Object value) {
        return format.apply((T) value);
    }

    @Override
    public String toString() {
        return name + "=" + defaultText();
    }
}
