package org.vitbench.runner.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The runner's packages depend on each other only downwards, as {@code package-info} of
 * {@code cli} states: read from the sources, so a new reference that would close a cycle fails
 * here with the file that makes it.
 */
class PackageLayeringTest {

    private static final Path SOURCES = Path.of("src/main/java/org/vitbench/runner");
    private static final Pattern REFERENCE = Pattern.compile("org\\.vitbench\\.runner\\.(\\w+)\\.");

    /** Each package and the runner packages it may use. */
    private static final Map<String, Set<String>> ALLOWED = Map.of(
            "store", Set.of(),
            "research", Set.of(),
            "summary", Set.of("store"),
            "ci", Set.of("store", "summary"),
            "run", Set.of("store", "summary"),
            "cli", Set.of("store", "summary", "ci", "run", "research"));

    @Test
    void packagesDependOnlyDownwards() throws IOException {
        List<String> violations = new ArrayList<>();
        Set<String> packages = new TreeSet<>();
        try (Stream<Path> files = Files.walk(SOURCES)) {
            for (Path file : files.filter(f -> f.toString().endsWith(".java")).toList()) {
                String pkg = SOURCES.relativize(file).getName(0).toString();
                packages.add(pkg);
                Set<String> allowed = ALLOWED.getOrDefault(pkg, Set.of());
                Matcher m = REFERENCE.matcher(Files.readString(file));
                while (m.find()) {
                    String used = m.group(1);
                    if (!used.equals(pkg) && !allowed.contains(used)) {
                        violations.add(SOURCES.relativize(file) + " uses " + used);
                    }
                }
            }
        }
        assertEquals(new TreeSet<>(ALLOWED.keySet()), packages,
                "every runner package has a place in the layering (and no class lives outside one)");
        assertTrue(violations.isEmpty(), "references against the layering: " + violations);
    }
}
