package org.vitbench.models;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class TokenPackingTest {

    @Test
    void rowsAreSortedByCountWithTiesInRowOrder() {
        assertArrayEquals(new int[] {1, 3, 0, 2}, TokenPacking.byCount(new int[] {5, 2, 5, 2}));
        assertArrayEquals(new int[0], TokenPacking.byCount(new int[0]));
    }

    @Test
    void equalCountsMakeOneGroupAndAFreeForwardMakesOnePerCount() {
        int[] counts = {3, 3, 3, 7, 7, 9};
        int[] order = TokenPacking.byCount(counts);
        assertArrayEquals(new int[] {6}, TokenPacking.groups(order, new int[] {4, 4, 4, 4, 4, 4}, 1, 1));
        // no overhead worth a forward: a group per distinct count, no padding
        assertArrayEquals(new int[] {3, 5, 6}, TokenPacking.groups(order, counts, 1, 0));
        // a forward costs more than any padding: one group
        assertArrayEquals(new int[] {6}, TokenPacking.groups(order, counts, 1, 1000));
        assertArrayEquals(new int[0], TokenPacking.groups(new int[0], new int[0], 1, 10));
    }

    /** The packing's cost equals the least cost over every way of cutting the sorted rows. */
    @Test
    void groupsAreTheCheapestContiguousCut() {
        SplittableRandom random = new SplittableRandom(11);
        for (int trial = 0; trial < 200; trial++) {
            int b = 1 + random.nextInt(10);
            int[] counts = new int[b];
            for (int r = 0; r < b; r++) {
                counts[r] = random.nextInt(50);
            }
            int prefix = random.nextInt(3);
            long overhead = random.nextInt(40);
            int[] order = TokenPacking.byCount(counts);
            int[] ends = TokenPacking.groups(order, counts, prefix, overhead);
            assertEquals(b, ends[ends.length - 1]);
            long cheapest = Long.MAX_VALUE;
            for (int cuts = 0; cuts < 1 << (b - 1); cuts++) { // bit i: a group ends after sorted row i
                long cost = 0;
                int from = 0;
                for (int i = 0; i < b; i++) {
                    if (i == b - 1 || (cuts >> i & 1) == 1) {
                        cost += overhead + (long) (i + 1 - from) * (prefix + counts[order[i]]);
                        from = i + 1;
                    }
                }
                cheapest = Math.min(cheapest, cost);
            }
            assertEquals(cheapest, cost(ends, order, counts, prefix, overhead), "trial " + trial);
        }
    }

    private static long cost(int[] ends, int[] order, int[] counts, int prefix, long overhead) {
        long cost = 0;
        int from = 0;
        for (int end : ends) {
            cost += overhead + (long) (end - from) * (prefix + counts[order[end - 1]]);
            from = end;
        }
        return cost;
    }

    @Test
    void aNarrowModelPaysMorePerForward() {
        assertEquals(300, TokenPacking.overheadTokens(64));
        assertEquals(100, TokenPacking.overheadTokens(192));
        assertEquals(32, TokenPacking.overheadTokens(768));
    }
}
