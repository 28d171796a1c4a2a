package org.vitbench.metrics.internal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashMap;
import java.util.Map;
import org.apache.commons.rng.UniformRandomProvider;
import org.apache.commons.rng.simple.RandomSource;
import org.junit.jupiter.api.Test;

class RankingTest {

    private static UniformRandomProvider rng(long seed) {
        return RandomSource.XO_RO_SHI_RO_128_PP.create(seed);
    }

    @Test
    void distinctValuesAreOrderedFromLargestToSmallestWhateverTheSeed() {
        float[] values = {0.2f, -1f, 3f, 0.5f, 0f};
        for (long seed = 0; seed < 5; seed++) {
            assertArrayEquals(new int[] {2, 3, 0, 4, 1}, Ranking.descendingOrder(values, rng(seed)));
            assertArrayEquals(new int[] {2, 4, 0, 1, 3}, Ranking.descendingRanks(values, rng(seed)));
        }
    }

    @Test
    void tiesStayInTheirBlockAndEveryOrderOfATieIsAboutEquallyLikely() {
        // Three tied maxima (indices 0, 2, 3) above two tied minima (1, 4); -0.0 and 0.0 tie.
        float[] values = {1f, 0f, 1f, 1f, -0f};
        Map<String, Integer> counts = new HashMap<>();
        int draws = 6000;
        UniformRandomProvider rng = rng(42);
        for (int i = 0; i < draws; i++) {
            int[] order = Ranking.descendingOrder(values, rng);
            String top = "" + order[0] + order[1] + order[2];
            assertEquals("023", top.chars().sorted().mapToObj(Character::toString).reduce("", String::concat),
                    "the tied maxima fill the top three places: " + top);
            assertTrue((order[3] == 1 && order[4] == 4) || (order[3] == 4 && order[4] == 1));
            counts.merge(top, 1, Integer::sum);
        }
        assertEquals(6, counts.size(), "all 3! orders of the tie occur");
        for (Map.Entry<String, Integer> e : counts.entrySet()) {
            // Expected 1000 each; a binomial SD is about 29, so 150 is over 5 SD and the seed is fixed.
            assertEquals(1000, e.getValue(), 150, "order " + e.getKey());
        }
    }

    @Test
    void theSameSeedGivesTheSameOrder() {
        float[] flat = new float[50];
        assertArrayEquals(Ranking.descendingOrder(flat, rng(7)), Ranking.descendingOrder(flat, rng(7)));
    }

    @Test
    void nonFiniteValuesAreRejectedWithTheirIndex() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Ranking.descendingOrder(new float[] {0f, 1f, Float.POSITIVE_INFINITY}, rng(1)));
        assertTrue(e.getMessage().contains("index 2"), e.getMessage());
    }
}
