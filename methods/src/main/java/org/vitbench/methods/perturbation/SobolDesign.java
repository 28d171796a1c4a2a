package org.vitbench.methods.perturbation;

import org.apache.commons.math3.random.SobolSequenceGenerator;
import org.apache.commons.rng.UniformRandomProvider;
import org.apache.commons.rng.simple.RandomSource;

/**
 * Quasi-Monte Carlo points of a Sobol' sequence in {@code [0, 1)^dimension}, optionally scrambled,
 * for the Sobol and HSIC attribution methods.
 *
 * <p>Points come from Commons Math's {@link SobolSequenceGenerator} (Joe &amp; Kuo direction
 * numbers, Gray-code order), whose first point is the origin. With {@code skipOrigin} (the default)
 * the sequence starts at its second point, {@code (0.5, ..., 0.5)}, as TensorFlow's
 * {@code tf.math.sobol_sample} and therefore xplique do; without it, it starts at the origin as
 * unscrambled {@code scipy.stats.qmc.Sobol} does (blackbox brief, section 3.2). The first
 * {@code 2^m} points of the sequence with its origin form a digital net: every 1-D projection has
 * exactly one point in each interval {@code [j / 2^m, (j + 1) / 2^m)}. Skipping the origin shifts
 * the window by one point and loses that exactness.
 *
 * <p>Scrambling (off by default, as in the references, which use {@code scramble=False}) is
 * Matoušek's linear matrix scramble followed by a digital shift (Matoušek 1998, "On the
 * L2-discrepancy for anchored boxes", J. Complexity 14; what {@code scipy.stats.qmc.Sobol(scramble=True)}
 * does to its direction numbers). Commons Math returns exactly {@code k / 2^52}, so each coordinate
 * is turned back into its 52-bit integer {@code k}; output digit {@code j} (most significant first)
 * becomes digit {@code j} of {@code k} plus a random GF(2) combination of the more significant digits,
 * then all digits are XOR-ed with a random shift. Both maps are linear or affine over GF(2), so
 * scrambling the points equals scrambling the direction numbers, and because output digits
 * {@code 1..m} depend only on input digits {@code 1..m} through an invertible (unit lower
 * triangular) map, the net property above survives. The random bits of each dimension are drawn
 * in order, 52 scramble rows then the shift, from one {@code XO_RO_SHI_RO_128_PP} generator seeded
 * with the given seed; bit streams cannot match scipy's.
 *
 * <p>Limits: at most {@link #MAX_DIMENSION} dimensions (the size of Commons Math's bundled
 * direction-number table). Instances are immutable and thread-safe; every {@link #points} call
 * starts a new generator.
 */
final class SobolDesign {

    /** The most dimensions Commons Math's bundled Joe-Kuo table supports. */
    static final int MAX_DIMENSION = 1000;

    /** Commons Math's generator returns multiples of {@code 2^-52}. */
    private static final int BITS = 52;
    private static final double SCALE = Math.scalb(1.0, BITS);
    private static final long ALL_BITS = (1L << BITS) - 1;

    private final int dimension;
    private final boolean skipOrigin;
    private final boolean scrambled;
    private final long seed;

    private SobolDesign(int dimension, boolean skipOrigin, boolean scrambled, long seed) {
        if (dimension < 1 || dimension > MAX_DIMENSION) {
            throw new IllegalArgumentException("Sobol' dimension must be from 1 to " + MAX_DIMENSION
                    + " (Commons Math's Joe-Kuo table), got " + dimension);
        }
        this.dimension = dimension;
        this.skipOrigin = skipOrigin;
        this.scrambled = scrambled;
        this.seed = seed;
    }

    /** The plain sequence; {@code skipOrigin} gives TensorFlow's, without it scipy's unscrambled one. */
    static SobolDesign unscrambled(int dimension, boolean skipOrigin) {
        return new SobolDesign(dimension, skipOrigin, false, 0L);
    }

    /** The sequence after a linear matrix scramble and digital shift drawn from {@code seed}. */
    static SobolDesign scrambled(int dimension, boolean skipOrigin, long seed) {
        return new SobolDesign(dimension, skipOrigin, true, seed);
    }

    int dimension() {
        return dimension;
    }

    boolean isScrambled() {
        return scrambled;
    }

    /**
     * The first {@code n} points.
     *
     * @param n number of points, 0 or more
     * @return {@code [n][dimension]}, every value in {@code [0, 1)}
     */
    double[][] points(int n) {
        if (n < 0) {
            throw new IllegalArgumentException("number of points must be 0 or more, got " + n);
        }
        SobolSequenceGenerator generator = new SobolSequenceGenerator(dimension);
        if (skipOrigin) {
            generator.nextVector();
        }
        double[][] points = new double[n][];
        for (int r = 0; r < n; r++) {
            points[r] = generator.nextVector();
        }
        if (scrambled) {
            scramble(points);
        }
        return points;
    }

    /** Scrambles every coordinate in place, one matrix and shift per dimension. */
    private void scramble(double[][] points) {
        UniformRandomProvider random = RandomSource.XO_RO_SHI_RO_128_PP.create(seed);
        for (int i = 0; i < dimension; i++) {
            // rows[b]: the input digits that output bit b (bit 51 = the 1/2 digit) sums over GF(2):
            // bit b itself and a random subset of the more significant bits b+1 .. 51.
            long[] rows = new long[BITS];
            for (int b = 0; b < BITS; b++) {
                long above = ALL_BITS & ~((1L << (b + 1)) - 1);
                rows[b] = (1L << b) | (random.nextLong() & above);
            }
            long shift = random.nextLong() & ALL_BITS;
            for (double[] point : points) {
                long k = (long) (point[i] * SCALE); // exact: the generator's values are k / 2^52
                long out = 0;
                for (int b = 0; b < BITS; b++) {
                    out |= (long) (Long.bitCount(k & rows[b]) & 1) << b;
                }
                point[i] = (out ^ shift) / SCALE;
            }
        }
    }

    @Override
    public String toString() {
        return "SobolDesign[dimension=" + dimension + ", skipOrigin=" + skipOrigin
                + (scrambled ? ", scrambled, seed=" + seed : "") + "]";
    }
}
