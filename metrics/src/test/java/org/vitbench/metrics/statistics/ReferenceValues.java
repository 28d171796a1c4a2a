package org.vitbench.metrics.statistics;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads {@code statistics/reference_values.txt}, the output of the independent numpy script
 * {@code statistics/reference_values.py} kept next to it (see that script for the formulas).
 */
final class ReferenceValues {

    private static final String TEXT = load();

    private ReferenceValues() {
    }

    /** The line that starts with {@code prefix}. */
    static String line(String prefix) {
        for (String line : TEXT.split("\n")) {
            if (line.startsWith(prefix)) {
                return line;
            }
        }
        throw new IllegalStateException("no line starting with '" + prefix + "' in reference_values.txt");
    }

    /** The number after {@code key=} in the line that starts with {@code prefix}. */
    static double value(String prefix, String key) {
        Matcher m = Pattern.compile("(?:^|[ :])" + Pattern.quote(key) + "=([-+0-9.eE]+)").matcher(line(prefix));
        if (!m.find()) {
            throw new IllegalStateException("no " + key + "= in line " + prefix);
        }
        return Double.parseDouble(m.group(1));
    }

    /** The comma-separated numbers after {@code prefix}. */
    static double[] array(String prefix) {
        return Arrays.stream(line(prefix).substring(prefix.length()).split(","))
                .mapToDouble(Double::parseDouble).toArray();
    }

    /** The bracketed list after {@code key=[}. */
    static double[] list(String prefix, String key) {
        String l = line(prefix);
        int start = l.indexOf(key + "=[") + key.length() + 2;
        return Arrays.stream(l.substring(start, l.indexOf(']', start)).split(","))
                .mapToDouble(s -> Double.parseDouble(s.trim())).toArray();
    }

    private static String load() {
        try (InputStream in = ReferenceValues.class.getResourceAsStream("/statistics/reference_values.txt")) {
            if (in == null) {
                throw new IllegalStateException("statistics/reference_values.txt is not on the test class path");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }
}
