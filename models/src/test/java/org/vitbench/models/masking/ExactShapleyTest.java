package org.vitbench.models.masking;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class ExactShapleyTest {

    /** Builds {@code [2^P][1]} from a game on bitmasks. */
    private static double[][] table(int players, java.util.function.IntToDoubleFunction game) {
        double[][] v = new double[1 << players][1];
        for (int s = 0; s < v.length; s++) {
            v[s][0] = game.applyAsDouble(s);
        }
        return v;
    }

    @Test
    void linearGameGivesItsWeights() {
        double[] w = {0.5, -1.25, 3.0, 0.0, 2.75, -0.125, 1.5};
        double c = 4.0;
        double[][] phi = ExactShapley.of(table(w.length, s -> {
            double sum = c;
            for (int j = 0; j < w.length; j++) {
                sum += (s >> j & 1) * w[j];
            }
            return sum;
        }));
        assertEquals(1, phi.length);
        assertArrayEquals(w, phi[0], 1e-12);
    }

    @Test
    void pairwiseInteractionIsSplitEvenly() {
        int a = 1;
        int b = 4;
        double[][] phi = ExactShapley.of(table(6, s -> (s >> a & 1) * (s >> b & 1)));
        assertArrayEquals(new double[] {0, 0.5, 0, 0, 0.5, 0}, phi[0], 1e-12);
    }

    @Test
    void randomTablesAreEfficientForEveryOutput() {
        SplittableRandom random = new SplittableRandom(3);
        int players = 10;
        double[][] v = new double[1 << players][4];
        for (double[] row : v) {
            for (int c = 0; c < row.length; c++) {
                row[c] = random.nextDouble(-5, 5);
            }
        }
        double[][] phi = ExactShapley.of(v);
        assertEquals(4, phi.length);
        for (int c = 0; c < 4; c++) {
            assertEquals(players, phi[c].length);
            double sum = 0;
            for (double p : phi[c]) {
                sum += p;
            }
            assertEquals(v[v.length - 1][c] - v[0][c], sum, 1e-9, "output " + c);
        }
    }

    @Test
    void handComputedThreePlayerGames() {
        // bit j = player j. Output 0: players 0 and 1 symmetric, player 2 a dummy; by hand with
        // weights 1/3, 1/6, 1/3: phi_0 = 1/3 * 1 + 1/6 * 2 + 1/6 * 1 + 1/3 * 2 = 1.5.
        // Output 1: glove game, v = 1 when player 0 and one of players 1, 2 are present;
        // phi = (2/3, 1/6, 1/6).
        double[][] v = {
            {0, 0}, // {}
            {1, 0}, // {0}
            {1, 0}, // {1}
            {3, 1}, // {0, 1}
            {0, 0}, // {2}
            {1, 1}, // {0, 2}
            {1, 0}, // {1, 2}
            {3, 1}, // {0, 1, 2}
        };
        double[][] phi = ExactShapley.of(v);
        assertArrayEquals(new double[] {1.5, 1.5, 0}, phi[0], 1e-12);
        assertArrayEquals(new double[] {2.0 / 3, 1.0 / 6, 1.0 / 6}, phi[1], 1e-12);
    }

    @Test
    void weightsAreTheShapleyKernel() {
        // P = 4: s! (3 - s)! / 4! = 6/24, 2/24, 2/24, 6/24
        assertArrayEquals(new double[] {0.25, 1.0 / 12, 1.0 / 12, 0.25}, ExactShapley.weights(4), 1e-15);
    }

    @Test
    void seventeenPlayersAreRejected() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> ExactShapley.of(new double[1 << 17][1]));
        assertTrue(e.getMessage().contains("17") && e.getMessage().contains("16"), e.getMessage());
        IllegalArgumentException c = assertThrows(IllegalArgumentException.class,
                () -> ExactShapley.coalitions(17));
        assertTrue(c.getMessage().contains("17") && c.getMessage().contains("16"), c.getMessage());
    }

    @Test
    void malformedTablesAreRejected() {
        IllegalArgumentException rows = assertThrows(IllegalArgumentException.class,
                () -> ExactShapley.of(new double[6][1]));
        assertTrue(rows.getMessage().contains("6"), rows.getMessage());
        double[][] ragged = {{0, 1}, {1}};
        assertThrows(IllegalArgumentException.class, () -> ExactShapley.of(ragged));
    }

    @Test
    void coalitionsFollowTheBitOrder() {
        boolean[][] keep = ExactShapley.coalitions(3);
        assertEquals(8, keep.length);
        assertArrayEquals(new boolean[] {false, false, false}, keep[0]);
        assertArrayEquals(new boolean[] {true, false, true}, keep[5]);
        assertArrayEquals(new boolean[] {true, true, true}, keep[7]);
    }
}
