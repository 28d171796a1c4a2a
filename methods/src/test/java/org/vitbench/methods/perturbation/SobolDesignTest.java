package org.vitbench.methods.perturbation;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class SobolDesignTest {

    @Test
    void pointsLieInTheHalfOpenUnitCubeWithTheRequestedDimension() {
        for (SobolDesign design : new SobolDesign[] {SobolDesign.unscrambled(7, true),
                SobolDesign.unscrambled(7, false), SobolDesign.scrambled(7, true, 5L)}) {
            double[][] points = design.points(300);
            assertEquals(300, points.length, design.toString());
            for (double[] point : points) {
                assertEquals(7, point.length, design.toString());
                for (double v : point) {
                    assertTrue(v >= 0 && v < 1, design + ": " + v);
                }
            }
        }
        assertEquals(0, SobolDesign.unscrambled(3, true).points(0).length);
    }

    /** TensorFlow's sobol_sample(3, 3) starts (0.5, 0.5, 0.5), (0.75, 0.25, 0.25), (0.25, 0.75, 0.75). */
    @Test
    void skippingTheOriginGivesTensorFlowsSequence() {
        double[][] withOrigin = SobolDesign.unscrambled(3, false).points(4);
        double[][] skipped = SobolDesign.unscrambled(3, true).points(3);
        assertArrayEquals(new double[3], withOrigin[0], 0.0);
        assertArrayEquals(new double[] {0.5, 0.5, 0.5}, skipped[0], 0.0);
        assertArrayEquals(new double[] {0.75, 0.25, 0.25}, skipped[1], 0.0);
        assertArrayEquals(new double[] {0.25, 0.75, 0.75}, skipped[2], 0.0);
        for (int r = 0; r < 3; r++) {
            assertArrayEquals(withOrigin[r + 1], skipped[r], 0.0, "point " + r);
        }
    }

    /**
     * The first 2^m points with the origin are a digital net: every coordinate has exactly one
     * point per interval [j / 2^m, (j + 1) / 2^m). A scramble matrix without its unit diagonal
     * (not invertible) would merge intervals; the 2-D check below also needs it lower triangular.
     */
    @ParameterizedTest
    @ValueSource(longs = {-1L, 1L, 2L, 20240611L})
    void theFirstPowerOfTwoPointsAreStratifiedInEveryCoordinate(long seed) {
        SobolDesign design = seed < 0 ? SobolDesign.unscrambled(40, false) : SobolDesign.scrambled(40, false, seed);
        for (int m = 1; m <= 10; m++) {
            int n = 1 << m;
            double[][] points = design.points(n);
            for (int i = 0; i < 40; i++) {
                int[] counts = new int[n];
                for (double[] point : points) {
                    counts[(int) Math.floor(point[i] * n)]++;
                }
                for (int j = 0; j < n; j++) {
                    assertEquals(1, counts[j], design + ", m " + m + ", coordinate " + i + ", interval " + j);
                }
            }
        }
    }

    /**
     * The first two Sobol' coordinates form a (0, m, 2)-net: every box [a / 2^k, (a + 1) / 2^k) x
     * [b / 2^(m-k), (b + 1) / 2^(m-k)) holds one of the first 2^m points. A scramble survives this
     * only if output digits 1..k depend on input digits 1..k alone, i.e. its matrix is lower
     * triangular; an upper triangular one passes the 1-D check above but fails here.
     */
    @ParameterizedTest
    @ValueSource(longs = {-1L, 1L, 2L, 20240611L})
    void theFirstTwoCoordinatesFormANet(long seed) {
        SobolDesign design = seed < 0 ? SobolDesign.unscrambled(2, false) : SobolDesign.scrambled(2, false, seed);
        for (int m = 1; m <= 8; m++) {
            double[][] points = design.points(1 << m);
            for (int k = 0; k <= m; k++) {
                int rows = 1 << k;
                int columns = 1 << (m - k);
                int[] counts = new int[rows * columns];
                for (double[] point : points) {
                    counts[(int) Math.floor(point[0] * rows) * columns + (int) Math.floor(point[1] * columns)]++;
                }
                for (int box = 0; box < counts.length; box++) {
                    assertEquals(1, counts[box], design + ", m " + m + ", k " + k + ", box " + box);
                }
            }
        }
    }

    /** The check above can fail: a window shifted by one point is not a net. */
    @Test
    void skippingTheOriginLosesExactStratification() {
        double[][] points = SobolDesign.unscrambled(1, true).points(4);
        int[] counts = new int[4];
        for (double[] point : points) {
            counts[(int) Math.floor(point[0] * 4)]++;
        }
        assertFalse(Arrays.equals(new int[] {1, 1, 1, 1}, counts), Arrays.toString(counts));
    }

    @Test
    void scramblingIsReproducibleWithTheSameSeedAndDiffersWithAnother() {
        double[][] first = SobolDesign.scrambled(6, true, 11L).points(64);
        double[][] again = SobolDesign.scrambled(6, true, 11L).points(64);
        double[][] other = SobolDesign.scrambled(6, true, 12L).points(64);
        double[][] plain = SobolDesign.unscrambled(6, true).points(64);
        assertTrue(Arrays.deepEquals(first, again), "same seed");
        assertFalse(Arrays.deepEquals(first, other), "another seed");
        assertFalse(Arrays.deepEquals(first, plain), "scrambled against plain");
        assertFalse(Arrays.equals(new double[6], SobolDesign.scrambled(6, false, 11L).points(1)[0]),
                "the scrambled origin is shifted");
    }

    @Test
    void dimensionsBeyondTheDirectionTableFail() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> SobolDesign.unscrambled(1001, true));
        assertTrue(e.getMessage().contains("1000"), e.getMessage());
        assertEquals(1000, SobolDesign.unscrambled(1000, true).points(2)[1].length);
    }
}
