package org.vitbench.api;

/** Whether a higher or a lower score is better. */
public enum Direction {
    HIGHER_IS_BETTER, LOWER_IS_BETTER;

    /** True when score {@code a} is better than score {@code b}. */
    public boolean better(double a, double b) {
        return this == HIGHER_IS_BETTER ? a > b : a < b;
    }

    /** An arrow for tables: up when higher is better. */
    public String arrow() {
        return this == HIGHER_IS_BETTER ? "\u2191" : "\u2193";
    }
}
