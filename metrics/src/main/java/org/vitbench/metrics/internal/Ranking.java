package org.vitbench.metrics.internal;

import java.util.Arrays;
import org.apache.commons.rng.UniformRandomProvider;
import org.apache.commons.rng.sampling.ArraySampler;

/**
 * Orders heatmap entries from most to least important, breaking ties at random with a given
 * generator, as ViT Shapley's {@code get_relative_value} does. Without random tie-breaking a
 * constant or blocky map would be scored by index order, which favours whatever lies top-left.
 *
 * <p>The indices are first shuffled with the generator, then stably sorted by decreasing value, so
 * every order of a group of tied entries is equally likely and a fixed seed gives a fixed order.
 * The generator advances by the same number of draws for every input of one length. {@code 0.0}
 * and {@code -0.0} are ties. Stateless and thread-safe (the generator is the caller's).
 */
public final class Ranking {

    private Ranking() {
    }

    /**
     * Indices of {@code values} by decreasing value, ties in random order.
     *
     * @param values the scores, all finite
     * @param rng draws the tie-breaking order
     * @return a permutation of {@code 0 .. values.length - 1}; element 0 is the most important
     * @throws IllegalArgumentException naming the first non-finite value
     */
    public static int[] descendingOrder(float[] values, UniformRandomProvider rng) {
        for (int i = 0; i < values.length; i++) {
            if (!Float.isFinite(values[i])) {
                throw new IllegalArgumentException("cannot rank value " + values[i] + " at index " + i);
            }
        }
        int[] shuffled = new int[values.length];
        Arrays.setAll(shuffled, i -> i);
        ArraySampler.shuffle(rng, shuffled);
        Integer[] order = Arrays.stream(shuffled).boxed().toArray(Integer[]::new);
        // Primitive comparison so that 0.0 and -0.0 tie; the sort is stable, so ties keep the shuffle's order.
        Arrays.sort(order, (a, b) -> values[a] > values[b] ? -1 : values[a] < values[b] ? 1 : 0);
        return Arrays.stream(order).mapToInt(Integer::intValue).toArray();
    }

    /**
     * The rank of each entry by decreasing value, ties in random order: {@code ranks[i]} is the
     * position of {@code i} in {@link #descendingOrder} (0 = most important).
     */
    public static int[] descendingRanks(float[] values, UniformRandomProvider rng) {
        int[] order = descendingOrder(values, rng);
        int[] ranks = new int[order.length];
        for (int r = 0; r < order.length; r++) {
            ranks[order[r]] = r;
        }
        return ranks;
    }
}
