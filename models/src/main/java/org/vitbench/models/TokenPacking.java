package org.vitbench.models;

import java.util.Comparator;
import java.util.stream.IntStream;

/**
 * How token dropping batches rows of different kept counts: rows sorted by count, cut into
 * contiguous groups, each run as one dense batch padded to its longest row.
 *
 * <p>One group per distinct count wastes nothing on padding but pays the per-call cost of a
 * forward (about twenty engine calls per block, whatever the batch) once per count; a batch of
 * KernelSHAP coalitions or deletion-curve steps has dozens of counts, so on a small model most of
 * its time went to those calls on batches of two to five rows. {@link #groups} minimises the
 * estimated cost {@code sum over groups of (overhead + rows * (prefix + longest))}, in token-rows,
 * exactly (dynamic programming over the sorted rows), so a group is split only where the padding
 * it saves outweighs one more forward.
 *
 * <p>Stateless and thread-safe.
 */
final class TokenPacking {

    /**
     * The cost of one more forward, in token-rows. From the forward benchmark's batch-1 and
     * batch-16 throughputs (README, 2-core machine) a forward's fixed cost is about 35 tokens of
     * work for ViT-S/16 and ViT-B/16 and about 120 for ViT-Ti/16; on the embedded model, 64 gave
     * the best masked-evaluation throughput of 16 to 1,024 ({@code MaskedEvaluationBenchmark -p
     * sizes=shapley-kernel,uniform}).
     */
    static final long OVERHEAD_TOKENS = 64;

    private TokenPacking() {
    }

    /** Row indices sorted by ascending count, ties in row order. */
    static int[] byCount(int[] counts) {
        return IntStream.range(0, counts.length).boxed().sorted(Comparator.comparingInt(r -> counts[r]))
                .mapToInt(Integer::intValue).toArray();
    }

    /**
     * Where the groups end in {@code order}: ascending exclusive end positions, the last
     * {@code order.length}; empty for no rows.
     *
     * @param order rows sorted by ascending count ({@link #byCount})
     * @param counts kept patch count per row
     * @param prefix tokens every row has besides its kept patches
     * @param overhead the cost of one more forward, in token-rows
     */
    static int[] groups(int[] order, int[] counts, int prefix, long overhead) {
        int b = order.length;
        long[] best = new long[b + 1]; // best[j]: least cost of the first j sorted rows
        int[] cut = new int[b + 1]; // cut[j]: where the last group of that best packing starts
        for (int j = 1; j <= b; j++) {
            long width = prefix + counts[order[j - 1]]; // the longest row of any group ending at j
            best[j] = Long.MAX_VALUE;
            for (int i = 0; i < j; i++) { // on a tie the longer last group wins: fewer forwards
                long cost = best[i] + overhead + (j - i) * width;
                if (cost < best[j]) {
                    best[j] = cost;
                    cut[j] = i;
                }
            }
        }
        int groups = 0;
        for (int j = b; j > 0; j = cut[j]) {
            groups++;
        }
        int[] ends = new int[groups];
        for (int j = b, g = groups - 1; j > 0; j = cut[j], g--) {
            ends[g] = j;
        }
        return ends;
    }
}
