package org.vitbench.runner.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.vitbench.api.Direction;

class RunManifestTest {

    @TempDir
    Path dir;

    private static RunManifest manifest() {
        return new RunManifest("abc", "seed: 0\n", 0, Map.of("h1", Direction.LOWER_IS_BETTER, "h2",
                Direction.HIGHER_IS_BETTER), List.of(), Map.of("Java", "17"));
    }

    @Test
    void directionsAreSpeltAsInTheSummaryAndReadBack() throws Exception {
        manifest().write(dir);
        String json = Files.readString(dir.resolve(RunManifest.FILE_NAME));
        assertTrue(json.contains("\"lower-is-better\"") && json.contains("\"higher-is-better\""), json);
        assertEquals(manifest().directions(), RunManifest.read(dir).directions());
    }

    @Test
    void manifestsWrittenWithUnderscoresStillRead() throws Exception {
        manifest().write(dir);
        Path file = dir.resolve(RunManifest.FILE_NAME);
        Files.writeString(file, Files.readString(file).replace("lower-is-better", "lower_is_better"));
        assertEquals(Direction.LOWER_IS_BETTER, RunManifest.read(dir).directions().get("h1"));
    }
}
