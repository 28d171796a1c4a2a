package org.vitbench.reports;

import java.util.Locale;

/** Escaping and number formatting for the HTML report. Every string from data goes through {@link #escape}. */
public final class Html {

    private Html() {
    }

    /**
     * Escapes text for HTML element content and quoted attribute values: {@code & < > " '}
     * become character references. {@code null} becomes the empty string.
     */
    public static String escape(String text) {
        if (text == null) {
            return "";
        }
        StringBuilder sb = null;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            String ref = switch (c) {
                case '&' -> "&amp;";
                case '<' -> "&lt;";
                case '>' -> "&gt;";
                case '"' -> "&quot;";
                case '\'' -> "&#39;";
                default -> null;
            };
            if (ref != null && sb == null) {
                sb = new StringBuilder(text.length() + 16).append(text, 0, i);
            }
            if (sb != null) {
                if (ref != null) {
                    sb.append(ref);
                } else {
                    sb.append(c);
                }
            }
        }
        return sb == null ? text : sb.toString();
    }

    /**
     * A score for tables: 4 decimals, or 3 significant digits in scientific notation when the
     * magnitude is below 1e-3 or at least 1e4; NaN becomes an en dash.
     */
    public static String number(double v) {
        if (Double.isNaN(v)) {
            return "\u2013";
        }
        double a = Math.abs(v);
        if (a != 0 && (a < 1e-3 || a >= 1e4)) {
            return String.format(Locale.ROOT, "%.2e", v);
        }
        return String.format(Locale.ROOT, "%.4f", v);
    }

    /** A coordinate for SVG: one decimal. */
    static String coordinate(double v) {
        return String.format(Locale.ROOT, "%.1f", v);
    }
}
