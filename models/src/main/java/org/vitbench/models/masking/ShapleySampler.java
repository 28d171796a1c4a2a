package org.vitbench.models.masking;

import org.apache.commons.rng.UniformRandomProvider;

/**
 * Draws coalitions from the Shapley kernel: a size {@code k} in {@code [1, P - 1]} with probability
 * proportional to {@code 1 / (k (P - k))}, then a subset of exactly that size, uniformly.
 *
 * <p>This is the distribution of KernelSHAP's regression (Lundberg &amp; Lee 2017; Covert &amp; Lee
 * 2021, arXiv 2012.01536) and of FastSHAP and ViT Shapley's training loss. The size is sampled
 * exactly, as FastSHAP's {@code ShapleySampler} and shapley-regression do, not by the Bernoulli
 * threshold of the ViT Shapley repository, whose sizes are binomial and shifted by one (ViT Shapley
 * brief, section 2). The empty and full coalitions have infinite kernel weight and are never drawn;
 * estimators impose them as constraints.
 *
 * <p>Sampling a subset costs {@code O(P)}: a partial Fisher-Yates shuffle. Instances are immutable
 * and thread-safe; the generator passed in is not.
 */
public final class ShapleySampler {

    private final int players;
    private final double[] cumulative; // cumulative[k - 1] = P(size <= k), k in [1, P - 1]

    /**
     * @param players {@code P}, at least 2 (with one player every coalition is empty or full)
     * @throws IllegalArgumentException when {@code players < 2}
     */
    public ShapleySampler(int players) {
        if (players < 2) {
            throw new IllegalArgumentException("the Shapley kernel needs at least 2 players, got " + players);
        }
        this.players = players;
        double[] weights = new double[players - 1];
        double sum = 0;
        for (int k = 1; k < players; k++) {
            weights[k - 1] = 1.0 / ((double) k * (players - k));
            sum += weights[k - 1];
        }
        cumulative = new double[players - 1];
        double acc = 0;
        for (int i = 0; i < weights.length; i++) {
            acc += weights[i] / sum;
            cumulative[i] = acc;
        }
        cumulative[cumulative.length - 1] = 1.0; // no rounding gap above the last size
    }

    public int players() {
        return players;
    }

    /** {@code p(k) = (1 / (k (P - k))) / sum_j 1 / (j (P - j))}; 0 for {@code k = 0}, {@code k = P} and outside. */
    public double sizeProbability(int k) {
        if (k < 1 || k >= players) {
            return 0;
        }
        return cumulative[k - 1] - (k == 1 ? 0 : cumulative[k - 2]);
    }

    /** A coalition size from the kernel's size distribution, by inversion. */
    public int sampleSize(UniformRandomProvider random) {
        double u = random.nextDouble();
        int lo = 0;
        int hi = cumulative.length - 1;
        while (lo < hi) { // first index with cumulative > u
            int mid = (lo + hi) >>> 1;
            if (cumulative[mid] > u) {
                hi = mid;
            } else {
                lo = mid + 1;
            }
        }
        return lo + 1;
    }

    /** One coalition: a kernel-distributed size, then a uniform subset of that size. */
    public boolean[] sample(UniformRandomProvider random) {
        return subset(sampleSize(random), random);
    }

    /**
     * {@code pairs} coalitions each followed by its complement (paired, or antithetic, sampling).
     *
     * @return {@code [2 * pairs][P]}: rows {@code 2i} and {@code 2i + 1} are complements
     */
    public boolean[][] samplePaired(int pairs, UniformRandomProvider random) {
        boolean[][] rows = new boolean[2 * pairs][];
        for (int i = 0; i < pairs; i++) {
            boolean[] s = sample(random);
            boolean[] complement = new boolean[players];
            for (int j = 0; j < players; j++) {
                complement[j] = !s[j];
            }
            rows[2 * i] = s;
            rows[2 * i + 1] = complement;
        }
        return rows;
    }

    /** A uniform subset of exactly {@code size} players. */
    public boolean[] subset(int size, UniformRandomProvider random) {
        if (size < 0 || size > players) {
            throw new IllegalArgumentException("subset size " + size + " is outside [0, " + players + "]");
        }
        int[] order = new int[players];
        for (int i = 0; i < players; i++) {
            order[i] = i;
        }
        boolean[] keep = new boolean[players];
        for (int i = 0; i < size; i++) { // partial Fisher-Yates: order[0..size) is a uniform subset
            int j = i + random.nextInt(players - i);
            int t = order[i];
            order[i] = order[j];
            order[j] = t;
            keep[order[i]] = true;
        }
        return keep;
    }
}
