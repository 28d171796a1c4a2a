package org.vitbench.reports;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Compares output with a golden file under {@code src/test/resources/golden}. Run with
 * {@code -Dvitbench.updateGolden=true} (or environment {@code VITBENCH_UPDATE_GOLDEN=true}) to
 * rewrite the files, then inspect the diff before committing.
 */
final class Golden {

    static final Path DIR = Path.of("src", "test", "resources", "golden");

    private Golden() {
    }

    static void check(String name, String actual) throws IOException {
        Path file = DIR.resolve(name);
        if (update()) {
            Files.createDirectories(DIR);
            Files.writeString(file, actual, StandardCharsets.UTF_8);
            System.err.println("rewrote golden file " + file.toAbsolutePath());
            return;
        }
        assertTrue(Files.exists(file), "golden file " + file.toAbsolutePath()
                + " is missing; run the test with -Dvitbench.updateGolden=true to create it");
        assertEquals(Files.readString(file, StandardCharsets.UTF_8), actual, "output differs from golden file "
                + file + "; if the change is intended, rerun with -Dvitbench.updateGolden=true and review the diff");
    }

    private static boolean update() {
        return Boolean.parseBoolean(System.getProperty("vitbench.updateGolden"))
                || Boolean.parseBoolean(System.getenv("VITBENCH_UPDATE_GOLDEN"));
    }
}
