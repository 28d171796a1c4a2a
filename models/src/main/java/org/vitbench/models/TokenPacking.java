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
 * it saves outweighs one more forward. A small model pays far more per forward, relative to its
 * work per token, than a large one, so the overhead is set per width.
 *
 * <p>Stateless and thread-safe.
 */
final class TokenPacking {

    /**
     * {@link #overheadTokens} is this over the width {@code D}, at least {@link #MIN_OVERHEAD_TOKENS}.
     * The fixed cost of a forward (engine calls, thread hand-offs) over the cost of one token-row,
     * from {@code ForwardBenchmark} at batch 1, 8 and 64 on the 2-core development machine: about
     * 300 token-rows for the embedded model (D = 64: 5 ms against 16 us a token-row), about 120
     * for ViT-Ti/16 (D = 192) and 35 for ViT-S/16 and ViT-B/16 (README figures at batch 1 and 16).
     */
    static final long OVERHEAD_TIMES_WIDTH = 19_200;

    static final long MIN_OVERHEAD_TOKENS = 32;

    private TokenPacking() {
    }

    /** The cost of one more forward, in token-rows, for a model of width {@code dim}. */
    static long overheadTokens(int dim) {
        return Math.max(MIN_OVERHEAD_TOKENS, OVERHEAD_TIMES_WIDTH / Math.max(1, dim));
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
