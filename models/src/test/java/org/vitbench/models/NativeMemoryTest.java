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

    private static final int ROUNDS = 12;
    private static final int BATCHES_PER_ROUND = 150;
    private static final long BOUND_KB = 32_000;

    @Test
    void nativeMemoryStaysFlatOverManyBatches() throws Exception {
        long growthKb = growthKb(0);
        assertTrue(growthKb < BOUND_KB, "resident memory grew by " + growthKb + " kB");
    }

    /**
     * The control: 80 kB per batch left on a manager, about 100 MB over the measured rounds. (A
     * 40 kB leak, 54 MB, once grew the resident size by only 31 MB: the allocator fills freed
     * holes of the batches' own activations with the leaked blocks first.)
     */
    @Test
    void aDeliberateLeakOfTwentyThousandFloatsPerBatchIsCaught() throws Exception {
        long growthKb = growthKb(20_000);
        assertTrue(growthKb >= BOUND_KB, "the control leak (80 kB per batch) grew only " + growthKb + " kB");
    }

    /** Runs the probe in a child JVM and returns the resident growth after warm-up. */
    private static long growthKb(int leakFloats) throws Exception {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        ProcessBuilder pb = new ProcessBuilder(java, "-Xmx64m", "-Dai.djl.offline=true",
                "-Dai.djl.pytorch.num_threads=1", "-cp", System.getProperty("java.class.path"),
                NativeMemoryProbe.class.getName(), String.valueOf(ROUNDS), String.valueOf(BATCHES_PER_ROUND),
                String.valueOf(leakFloats));
        pb.redirectErrorStream(true);
        pb.environment().put("OMP_WAIT_POLICY", "PASSIVE");
        pb.environment().put("MALLOC_ARENA_MAX", "2");
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
        // Resident size moves in steps of up to about 20 MB (allocator arenas, heap, JIT) and can
        // also fall, so the bound is generous: the arrays of one batch left behind per batch
        // (tens of kB) would grow it by far more over these 1,500 batches.
        long early = rounds.get(1)[0];
        long late = Math.min(rounds.get(ROUNDS - 1)[0], Math.min(rounds.get(ROUNDS - 2)[0], rounds.get(ROUNDS - 3)[0]));
        System.out.println("native memory probe, leak " + leakFloats + " floats per batch:\n" + log);
        return late - early;
    }
}
