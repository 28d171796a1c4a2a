package org.vitbench.api;

import java.util.regex.Pattern;

/** Checks plug-in ids: lower-case kebab-case, as used on the command line. */
final class Ids {

    private static final Pattern KEBAB = Pattern.compile("[a-z0-9]+(-[a-z0-9]+)*");

    private Ids() {
    }

    static void check(String id) {
        if (id == null || !KEBAB.matcher(id).matches()) {
            throw new IllegalArgumentException("id '" + id + "' is not kebab-case (a-z, 0-9, '-')");
        }
    }
}
