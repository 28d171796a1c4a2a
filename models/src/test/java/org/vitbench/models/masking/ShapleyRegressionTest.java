package org.vitbench.models.masking;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.function.ToDoubleFunction;
import org.apache.commons.rng.simple.RandomSource;
import org.junit.jupiter.api.Test;
import org.vitbench.models.masking.ShapleyRegression.Estimate;
import org.vitbench.models.masking.ShapleyRegression.Settings;
import org.vitbench.models.masking.ShapleyRegression.Variant;

class ShapleyRegressionTest {

    /** A one-output game from a function of the coalition. */
    static CoalitionGame game(int players, ToDoubleFunction<boolean[]> v) {
        return new CoalitionGame() {
            @Override
            public int players() {
                return players;
            }

            @Override
            public int outputs() {
                return 1;
            }

            @Override
            public double[][] values(boolean[][] coalitions) {
                double[][] out = new double[coalitions.length][1];
                for (int i = 0; i < coalitions.length; i++) {
                    out[i][0] = v.applyAsDouble(coalitions[i]);
                }
                return out;
            }
        };
    }

    /** The game's value table in ExactShapley's bit order. */
    static double[][] table(CoalitionGame game) {
        return game.values(ExactShapley.coalitions(game.players()));
    }

    private static Estimate run(CoalitionGame game, Settings settings, long seed) {
        return ShapleyRegression.estimate(game, settings, RandomSource.XO_RO_SHI_RO_128_PP.create(seed));
    }

    private static final double[] WEIGHTS = {0.5, -1.25, 3.0, 0.0, 2.75, -0.125, 1.5, 0.25};

    private static double linear(boolean[] s) {
        double sum = 2.0; // v(empty) = 2 must not leak into the values
        for (int i = 0; i < s.length; i++) {
            sum += s[i] ? WEIGHTS[i] : 0;
        }
        return sum;
    }

    /** A game with pairwise and three-way interactions, and a non-zero v(empty). */
    private static double interacting(boolean[] s) {
        double v = 0.3 + linear(s);
        v += (s[0] && s[1] ? 2.0 : 0) - (s[2] && s[5] ? 1.5 : 0) + (s[3] && s[4] && s[7] ? 4.0 : 0);
        v += s[6] ? 0.7 * count(s) : 0;
        return v;
    }

    private static int count(boolean[] s) {
        int k = 0;
        for (boolean b : s) {
            k += b ? 1 : 0;
        }
        return k;
    }

    /**
     * For an additive game b = A w exactly, whatever A is sampled, so the (estimated-A) estimator
     * returns the weights at every iteration, up to the conditioning of the solve.
     */
    @Test
    void aLinearGameGivesItsWeightsAtEveryBudget() {
        CoalitionGame g = game(WEIGHTS.length, ShapleyRegressionTest::linear);
        List<Estimate> trajectory = new ArrayList<>();
        Settings settings = new Settings(16, true, 0, 0, 5, 2 + 10 * 32, Variant.KERNEL);
        ShapleyRegression.estimate(g, settings, RandomSource.XO_RO_SHI_RO_128_PP.create(5), trajectory::add);
        assertEquals(10, trajectory.size());
        for (Estimate e : trajectory) {
            assertArrayEquals(WEIGHTS, e.values()[0], 1e-9, "iteration " + e.iterations());
        }
    }

    @Test
    void efficiencyHoldsExactlyAtEveryIterationForEveryVariant() {
        CoalitionGame g = game(8, ShapleyRegressionTest::interacting);
        double total = interacting(new boolean[] {true, true, true, true, true, true, true, true})
                - interacting(new boolean[8]);
        for (Variant variant : Variant.values()) {
            for (boolean paired : new boolean[] {true, false}) {
                List<Estimate> trajectory = new ArrayList<>();
                // 4 subsets per iteration: the first A estimates are singular, the pseudo-inverse path runs.
                Settings settings = new Settings(4, paired, 0, 0, 5, 400, variant);
                ShapleyRegression.estimate(g, settings, RandomSource.XO_RO_SHI_RO_128_PP.create(9), trajectory::add);
                for (Estimate e : trajectory) {
                    double sum = 0;
                    for (double v : e.values()[0]) {
                        sum += v;
                    }
                    assertEquals(total, sum, 1e-10, variant + ", paired " + paired + ", iteration " + e.iterations());
                    assertEquals(total, e.total()[0], 1e-12);
                }
            }
        }
    }

    /**
     * Both variants converge to the exact values of a game with interactions (values range over
     * about 5). Tolerances are about three times the largest error of five seeds measured at 2^17
     * evaluations (0.013 for the estimated A, 0.09 for the exact A, whose higher variance Covert &
     * Lee 2021 report); the error at 2^11 must be more than twice as large, so the test sees
     * convergence rather than a lucky start.
     */
    @Test
    void aGameWithInteractionsConvergesToTheExactValues() {
        CoalitionGame g = game(8, ShapleyRegressionTest::interacting);
        double[] exact = ExactShapley.of(table(g))[0];
        for (Variant variant : Variant.values()) {
            double tolerance = variant == Variant.KERNEL ? 0.04 : 0.25;
            Estimate large = run(g, new Settings(512, true, 0, 0, 5, 1 << 17, variant), 11);
            assertArrayEquals(exact, large.values()[0], tolerance, variant.toString());
            Estimate small = run(g, new Settings(32, true, 0, 0, 5, 1 << 11, variant), 11);
            assertTrue(maxError(exact, small.values()[0]) > 2 * maxError(exact, large.values()[0]),
                    variant + ": no convergence from 2^11 to 2^17 evaluations");
        }
    }

    @Test
    void theBudgetCountsEveryEvaluation() {
        CoalitionGame g = game(8, ShapleyRegressionTest::interacting);
        int[] calls = {0};
        CoalitionGame counting = new CoalitionGame() {
            @Override
            public int players() {
                return 8;
            }

            @Override
            public int outputs() {
                return 1;
            }

            @Override
            public double[][] values(boolean[][] coalitions) {
                calls[0] += coalitions.length;
                return g.values(coalitions);
            }
        };
        Estimate e = run(counting, new Settings(10, true, 0, 0, 5, 1000, Variant.KERNEL), 1);
        assertEquals(2 + 49 * 20, e.evaluations());
        assertEquals(e.evaluations(), calls[0]);
        assertEquals(49, e.iterations());
        assertFalse(e.converged());
    }

    /** With a loose threshold the run stops early and says so, with a finite std. */
    @Test
    void convergenceDetectionStopsBeforeTheBudget() {
        CoalitionGame g = game(8, ShapleyRegressionTest::interacting);
        Estimate e = run(g, new Settings(64, true, 0.05, 2, 5, 1_000_000, Variant.KERNEL), 3);
        assertTrue(e.converged());
        assertTrue(e.ratio() < 0.05);
        assertTrue(e.evaluations() < 1_000_000);
        assertTrue(e.iterations() >= 10, "needs 5 blocks of 2 iterations first, got " + e.iterations());
        for (double s : e.std()[0]) {
            assertTrue(Double.isFinite(s) && s >= 0);
        }
        double[] exact = ExactShapley.of(table(g))[0];
        // The reported std is an honest error scale: the error is within 5 of them (or 1e-3).
        for (int i = 0; i < exact.length; i++) {
            assertEquals(exact[i], e.values()[0][i], Math.max(1e-3, 5 * e.std()[0][i]), "player " + i);
        }
    }

    @Test
    void theSameSeedGivesTheSameEstimateAndAnotherSeedDoesNot() {
        CoalitionGame g = game(8, ShapleyRegressionTest::interacting);
        Settings settings = new Settings(16, true, 0, 0, 5, 500, Variant.KERNEL);
        assertArrayEquals(run(g, settings, 4).values()[0], run(g, settings, 4).values()[0], 0.0);
        assertTrue(maxError(run(g, settings, 4).values()[0], run(g, settings, 5).values()[0]) > 0);
    }

    @Test
    void everyOutputOfAVectorGameIsEstimated() {
        SplittableRandom random = new SplittableRandom(8);
        int players = 6;
        double[][] table = new double[1 << players][3];
        for (double[] row : table) {
            for (int c = 0; c < 3; c++) {
                row[c] = random.nextDouble(-1, 1);
            }
        }
        CoalitionGame g = new CoalitionGame() {
            @Override
            public int players() {
                return players;
            }

            @Override
            public int outputs() {
                return 3;
            }

            @Override
            public double[][] values(boolean[][] coalitions) {
                double[][] out = new double[coalitions.length][];
                for (int i = 0; i < coalitions.length; i++) {
                    int bits = 0;
                    for (int j = 0; j < players; j++) {
                        bits |= coalitions[i][j] ? 1 << j : 0;
                    }
                    out[i] = table[bits].clone();
                }
                return out;
            }
        };
        double[][] exact = ExactShapley.of(table);
        Estimate e = run(g, new Settings(256, true, 0, 0, 5, 1 << 17, Variant.KERNEL), 2);
        for (int c = 0; c < 3; c++) {
            assertArrayEquals(exact[c], e.values()[c], 0.01, "output " + c);
        }
    }

    @Test
    void settingsRejectABudgetBelowOneIteration() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new Settings(64, true, 0.1, 0, 5, 100, Variant.KERNEL));
        assertTrue(e.getMessage().contains("at least 130"), e.getMessage());
    }

    @Test
    void nonFiniteGameValuesFailLoudly() {
        CoalitionGame g = game(4, s -> s[0] && s[1] ? Double.NaN : 1.0);
        assertThrows(IllegalStateException.class, () -> run(g, new Settings(8, true, 0, 0, 5, 200, Variant.KERNEL), 1));
    }

    static double maxError(double[] a, double[] b) {
        double max = 0;
        for (int i = 0; i < a.length; i++) {
            max = Math.max(max, Math.abs(a[i] - b[i]));
        }
        return max;
    }
}
