package org.vitbench.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AtomicFilesTest {

    @TempDir
    Path tmp;

    @Test
    void concurrentWritersLeaveOneWholeVersionAndNoTemporaryFiles() throws Exception {
        Path file = tmp.resolve("summary.json");
        Set<String> versions = new java.util.HashSet<>();
        ExecutorService pool = Executors.newFixedThreadPool(8);
        try {
            List<Future<?>> done = new ArrayList<>();
            for (int w = 0; w < 8; w++) {
                String text = String.valueOf((char) ('a' + w)).repeat(100_000);
                versions.add(text);
                done.add(pool.submit(() -> {
                    for (int i = 0; i < 20; i++) {
                        AtomicFiles.writeString(file, text);
                    }
                }));
            }
            for (Future<?> f : done) {
                f.get();
            }
        } finally {
            pool.shutdown();
        }
        assertTrue(versions.contains(Files.readString(file)), "one writer's whole content");
        assertEquals(Set.of("summary.json"), names());
    }

    @Test
    void aFailedWriteKeepsTheOldFileAndLeavesNoTemporaryFile() throws IOException {
        Path file = tmp.resolve("report.html");
        AtomicFiles.writeString(file, "old");

        UncheckedIOException e = assertThrows(UncheckedIOException.class, () -> AtomicFiles.write(file, out -> {
            out.write("new, half".getBytes());
            throw new IOException("No space left on device");
        }));

        assertTrue(e.getMessage().contains("No space left on device") && e.getMessage().contains("unchanged"),
                e.getMessage());
        assertEquals("old", Files.readString(file));
        assertEquals(Set.of("report.html"), names());
    }

    private Set<String> names() throws IOException {
        try (Stream<Path> files = Files.list(tmp)) {
            return files.map(p -> p.getFileName().toString()).collect(Collectors.toSet());
        }
    }
}
