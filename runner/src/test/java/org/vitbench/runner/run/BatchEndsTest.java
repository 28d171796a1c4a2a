package org.vitbench.runner.run;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import org.junit.jupiter.api.Test;

/** How a run's samples are cut into batches for one worker and for several. */
class BatchEndsTest {

    @Test
    void oneWorkerTakesFullBatchesAndAShortLastOne() {
        assertArrayEquals(new int[] {16, 32, 48, 64, 80, 96, 100}, Benchmark.batchEnds(100, 16, 1));
        assertArrayEquals(new int[] {4, 8, 10}, Benchmark.batchEnds(10, 4, 1));
        assertArrayEquals(new int[0], Benchmark.batchEnds(0, 16, 1));
    }

    @Test
    void severalWorkersGetWholeRoundsOfEvenBatches() {
        // 7 batches of 16 would leave one worker alone with the last 4 samples: 8 batches of 12 or 13
        assertArrayEquals(new int[] {13, 26, 39, 52, 64, 76, 88, 100}, Benchmark.batchEnds(100, 16, 2));
        assertArrayEquals(new int[] {16, 32, 48, 64}, Benchmark.batchEnds(64, 16, 2), "already whole rounds");
        assertArrayEquals(new int[] {2, 4, 5}, Benchmark.batchEnds(5, 4, 3), "no batch larger than the batch size");
        assertArrayEquals(new int[] {1, 2}, Benchmark.batchEnds(2, 16, 4), "never an empty batch");
    }
}
