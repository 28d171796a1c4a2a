package org.vitbench.api;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * Immutable string parameters of one plug-in instance, parsed with errors that name the owner, the
 * key, the bad value and what is allowed. Plug-ins read what they know and call
 * {@link #requireOnly} so a misspelt key fails instead of being ignored.
 */
public final class Parameters {

    private static final Parameters EMPTY = new Parameters("", Map.of());

    private final String owner;
    private final SortedMap<String, String> values;

    private Parameters(String owner, Map<String, String> values) {
        this.owner = owner;
        this.values = Collections.unmodifiableSortedMap(new TreeMap<>(values));
    }

    public static Parameters empty() {
        return EMPTY;
    }

    /** Parameters of the plug-in named {@code owner} (for error messages). */
    public static Parameters of(String owner, Map<String, String> values) {
        return new Parameters(owner, values);
    }

    /**
     * Parses {@code id:key=value,key=value} as used by {@code --method kernel-shap:budget=2048}.
     * A backslash takes the next character literally, so values may hold commas and equals signs
     * ({@code dir=/data/a\,b}); {@link #formatSpec} writes them that way. Returns the id in
     * {@code idOut[0]}.
     */
    public static Parameters parseSpec(String spec, String[] idOut) {
        int colon = spec.indexOf(':');
        String id = colon < 0 ? spec : spec.substring(0, colon);
        Map<String, String> map = new LinkedHashMap<>();
        if (colon >= 0 && colon < spec.length() - 1) {
            for (String pair : split(spec.substring(colon + 1), ',')) {
                List<String> kv = splitFirst(pair, '=');
                if (kv.size() < 2 || kv.get(0).isBlank()) {
                    throw new ConfigurationException("parameter '" + pair + "' in '" + spec
                            + "' is not key=value; write for example " + id + ":key=value (a backslash before a "
                            + "comma or '=' keeps it in the value)");
                }
                String key = unescape(kv.get(0)).trim();
                if (map.put(key, unescape(kv.get(1)).trim()) != null) {
                    throw new ConfigurationException("parameter '" + key + "' is given twice in '" + spec
                            + "'; give each parameter once");
                }
            }
        }
        idOut[0] = id.trim();
        return new Parameters(id.trim(), map);
    }

    /**
     * The inverse of {@link #parseSpec}: {@code id} or {@code id:k=v,k=v} with sorted keys, and
     * backslashes before commas, equals signs and backslashes in keys and values, so that two
     * different parameter sets never read alike.
     */
    public static String formatSpec(String id, Map<String, String> parameters) {
        if (parameters.isEmpty()) {
            return id;
        }
        StringBuilder sb = new StringBuilder(id).append(':');
        new TreeMap<>(parameters).forEach((k, v) -> sb.append(escape(k)).append('=').append(escape(v)).append(','));
        sb.setLength(sb.length() - 1);
        return sb.toString();
    }

    private static String escape(String s) {
        StringBuilder sb = new StringBuilder(s.length());
        for (char c : s.toCharArray()) {
            if (c == '\\' || c == ',' || c == '=') {
                sb.append('\\');
            }
            sb.append(c);
        }
        return sb.toString();
    }

    private static String unescape(String s) {
        StringBuilder sb = new StringBuilder(s.length());
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '\\' && i + 1 < s.length()) {
                c = s.charAt(++i);
            }
            sb.append(c);
        }
        return sb.toString();
    }

    /** {@code s} split at every {@code sep} not preceded by a backslash; escapes are kept. */
    private static List<String> split(String s, char sep) {
        List<String> parts = new ArrayList<>();
        StringBuilder part = new StringBuilder();
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '\\' && i + 1 < s.length()) {
                part.append(c).append(s.charAt(++i));
            } else if (c == sep) {
                parts.add(part.toString());
                part.setLength(0);
            } else {
                part.append(c);
            }
        }
        parts.add(part.toString());
        return parts;
    }

    /** {@code s} split at its first unescaped {@code sep}: one part when there is none. */
    private static List<String> splitFirst(String s, char sep) {
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '\\') {
                i++;
            } else if (c == sep) {
                return List.of(s.substring(0, i), s.substring(i + 1));
            }
        }
        return List.of(s);
    }

    public String owner() {
        return owner;
    }

    public SortedMap<String, String> asMap() {
        return values;
    }

    public boolean has(String key) {
        return values.containsKey(key);
    }

    /** A copy with {@code key} set. */
    public Parameters with(String key, String value) {
        Map<String, String> copy = new TreeMap<>(values);
        copy.put(key, value);
        return new Parameters(owner, copy);
    }

    /** Fails if a key outside {@code allowed} is present. */
    public Parameters requireOnly(Set<String> allowed) {
        for (String key : values.keySet()) {
            if (!allowed.contains(key)) {
                throw new ConfigurationException("unknown parameter '" + key + "' for " + owner
                        + "; allowed: " + (allowed.isEmpty() ? "none" : String.join(", ", new TreeSet<>(allowed))));
            }
        }
        return this;
    }

    public String getString(String key, String defaultValue) {
        return values.getOrDefault(key, defaultValue);
    }

    /** A string that must be one of {@code allowed}. */
    public String getChoice(String key, String defaultValue, Set<String> allowed) {
        String v = getString(key, defaultValue);
        if (!allowed.contains(v)) {
            throw invalid(key, v, "one of " + String.join(", ", new TreeSet<>(allowed)));
        }
        return v;
    }

    /** An integer in {@code [min, max]}. */
    public int getInt(String key, int defaultValue, int min, int max) {
        String v = values.get(key);
        if (v == null) {
            return defaultValue;
        }
        int parsed;
        try {
            parsed = Integer.parseInt(v);
        } catch (NumberFormatException e) {
            throw invalid(key, v, "an integer from " + min + " to " + max);
        }
        if (parsed < min || parsed > max) {
            throw invalid(key, v, "an integer from " + min + " to " + max);
        }
        return parsed;
    }

    /** A finite number in {@code [min, max]}. */
    public double getDouble(String key, double defaultValue, double min, double max) {
        String v = values.get(key);
        if (v == null) {
            return defaultValue;
        }
        double parsed;
        try {
            parsed = Double.parseDouble(v);
        } catch (NumberFormatException e) {
            throw invalid(key, v, "a number from " + min + " to " + max);
        }
        if (!(parsed >= min && parsed <= max)) {
            throw invalid(key, v, "a number from " + min + " to " + max);
        }
        return parsed;
    }

    public boolean getBoolean(String key, boolean defaultValue) {
        String v = values.get(key);
        if (v == null) {
            return defaultValue;
        }
        return switch (v.toLowerCase(Locale.ROOT)) {
            case "true" -> true;
            case "false" -> false;
            default -> throw invalid(key, v, "true or false");
        };
    }

    private ConfigurationException invalid(String key, String value, String allowed) {
        return new ConfigurationException(
                "invalid value '" + value + "' for parameter '" + key + "' of " + owner + "; allowed: " + allowed);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Parameters p && values.equals(p.values);
    }

    @Override
    public int hashCode() {
        return values.hashCode();
    }

    @Override
    public String toString() {
        return values.toString();
    }
}
