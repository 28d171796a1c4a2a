package org.vitbench.models;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Every batch in its own scope: native memory stays flat over many batches. The probe runs in a
 * child JVM with a 64 MB heap, because in a large heap uncollected Java wrappers grow the
 * resident size too and would hide (or fake) a native leak.
 */
class NativeMemoryTest {

    private static final int ROUNDS = 6;
    private static final int BATCHES_PER_ROUND = 100;

    @Test
    void nativeMemoryStaysFlatOverSixHundredBatches() throws Exception {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        ProcessBuilder pb = new ProcessBuilder(java, "-Xmx64m", "-Dai.djl.offline=true",
                "-Dai.djl.pytorch.num_threads=1", "-cp", System.getProperty("java.class.path"),
                NativeMemoryProbe.class.getName(), String.valueOf(ROUNDS), String.valueOf(BATCHES_PER_ROUND));
        pb.redirectErrorStream(true);
        pb.environment().put("OMP_WAIT_POLICY", "PASSIVE");
        Process process = pb.start();
        List<long[]> rounds = new ArrayList<>();
        StringBuilder log = new StringBuilder();
        try (BufferedReader in = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
            for (String line; (line = in.readLine()) != null; ) {
                log.append(line).append('\n');
                if (line.startsWith("round ")) {
                    String[] f = line.split(" ");
                    rounds.add(new long[] {Long.parseLong(f[2]), Long.parseLong(f[3])});
                }
            }
        }
        assertEquals(0, process.waitFor(), log.toString());
        assertEquals(ROUNDS, rounds.size(), log.toString());
        for (long[] r : rounds) {
            assertEquals(rounds.get(0)[1], r[1], "no array may stay attached to the weights' manager");
        }
        // Rounds 0-1 warm up allocator pools. Afterwards resident memory moved by about 10 MB
        // either way on the development machine; a leak of 40 kB per batch would exceed the bound.
        long growthKb = rounds.get(ROUNDS - 1)[0] - rounds.get(1)[0];
        assertTrue(growthKb < 16_000, "resident memory grew by " + growthKb + " kB over "
                + (ROUNDS - 2) * BATCHES_PER_ROUND + " batches:\n" + log);
    }
}
