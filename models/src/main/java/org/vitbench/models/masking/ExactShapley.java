package org.vitbench.models.masking;

import ai.djl.ndarray.NDArray;
import org.vitbench.api.Progress;
import org.vitbench.api.VitModel;
import org.vitbench.models.masking.MaskedEvaluator.Output;

/**
 * Exact Shapley values (Shapley 1953) by enumeration of all {@code 2^P} coalitions, for every output
 * of a vector-valued game at once.
 *
 * <p>{@code phi_j = sum over S not containing j of |S|! (P - |S| - 1)! / P! * (v(S + j) - v(S))},
 * computed in double with the weights precomputed as {@code 1 / (P * C(P - 1, |S|))}. The cost is
 * {@code 2^P * P * K} additions, so players are limited to {@value #MAX_PLAYERS}: enough for a ViT
 * patch grid of 4 x 4 or a coarse grouping of a larger one, and the oracle that sampled estimators
 * (KernelSHAP, ViT Shapley) are tested against.
 *
 * <p>Stateless; safe to use from several threads.
 */
public final class ExactShapley {

    /** The largest number of players; {@code 2^16 = 65,536} coalitions. */
    public static final int MAX_PLAYERS = 16;

    private ExactShapley() {
    }

    /**
     * Shapley values of the game given as a table of coalition values.
     *
     * @param values {@code [2^P][K]}: row {@code i} is the value of the coalition whose bit {@code j}
     *     is set when player {@code j} is present (row 0 the empty coalition, the last row all
     *     players); {@code P = 0} (one row) gives {@code [K][0]}; NaN entries propagate
     * @return {@code [K][P]}, one row of player values per output; each row sums to
     *     {@code v(all) - v(empty)} up to rounding (efficiency)
     * @throws IllegalArgumentException when the row count is not a power of two, {@code P > 16},
     *     or rows differ in length
     */
    public static double[][] of(double[][] values) {
        int rows = values.length;
        if (rows == 0 || Integer.bitCount(rows) != 1) {
            throw new IllegalArgumentException("a value table needs 2^P rows, got " + rows);
        }
        int players = Integer.numberOfTrailingZeros(rows);
        checkPlayers(players);
        int k = values[0].length;
        for (int i = 1; i < rows; i++) {
            if (values[i].length != k) {
                throw new IllegalArgumentException("value table row " + i + " has " + values[i].length
                        + " outputs but row 0 has " + k);
            }
        }
        double[] weight = weights(players);
        double[][] phi = new double[players][k]; // [P][K] while accumulating, for contiguous rows
        for (int s = 0; s < rows - 1; s++) { // the grand coalition has no player to add
            double w = weight[Integer.bitCount(s)];
            double[] without = values[s];
            for (int j = 0; j < players; j++) {
                if ((s & (1 << j)) != 0) {
                    continue;
                }
                double[] with = values[s | (1 << j)];
                double[] acc = phi[j];
                for (int c = 0; c < k; c++) {
                    acc[c] += w * (with[c] - without[c]);
                }
            }
        }
        double[][] result = new double[k][players]; // [P][K] -> [K][P]
        for (int j = 0; j < players; j++) {
            for (int c = 0; c < k; c++) {
                result[c][j] = phi[j][c];
            }
        }
        return result;
    }

    /**
     * Shapley values of the image's patches, with the model's output on a patch subset as the game.
     *
     * @param evaluator how patches are removed and how many coalitions share a forward pass
     * @param model the model; {@code P = model.info().numPatches()} players
     * @param image {@code [1, C, S, S]} in [0, 1]
     * @param output the value per coalition
     * @param target the class for {@link Output#TARGET_PROBABILITY}, ignored otherwise
     * @param progress told {@code (coalitions done, 2^P)} after every chunk
     * @return {@code [K][P]}, or {@code [1][P]} for {@link Output#TARGET_PROBABILITY}
     * @throws IllegalArgumentException when {@code P > 16}, before any forward pass
     */
    public static double[][] of(MaskedEvaluator evaluator, VitModel model, NDArray image, Output output,
            int target, Progress progress) {
        int players = model.info().numPatches();
        checkPlayers(players);
        return of(evaluator.evaluate(model, image, coalitions(players), output, target, progress));
    }

    /**
     * {@link #of(MaskedEvaluator, VitModel, NDArray, Output, int, Progress)} for
     * {@link Output#LOGITS} or {@link Output#PROBABILITIES}, without progress.
     */
    public static double[][] of(MaskedEvaluator evaluator, VitModel model, NDArray image, Output output) {
        if (output == Output.TARGET_PROBABILITY) {
            throw new IllegalArgumentException("TARGET_PROBABILITY needs a target class; "
                    + "use of(evaluator, model, image, output, target, progress)");
        }
        return of(evaluator, model, image, output, 0, Progress.NONE);
    }

    /**
     * All coalitions of {@code players} players as keep-masks, {@code [2^P][P]}; row {@code i} keeps
     * player {@code j} when bit {@code j} of {@code i} is set.
     *
     * @throws IllegalArgumentException when {@code players} is negative or over 16
     */
    public static boolean[][] coalitions(int players) {
        checkPlayers(players);
        boolean[][] keep = new boolean[1 << players][players];
        for (int s = 0; s < keep.length; s++) {
            for (int j = 0; j < players; j++) {
                keep[s][j] = (s & (1 << j)) != 0;
            }
        }
        return keep;
    }

    /** {@code weight[s] = s! (P - s - 1)! / P! = 1 / (P * C(P - 1, s))} for {@code s} in [0, P). */
    static double[] weights(int players) {
        double[] weight = new double[players];
        double binomial = 1; // C(P - 1, s), exact in double for P <= 16
        for (int s = 0; s < players; s++) {
            weight[s] = 1.0 / (players * binomial);
            binomial = binomial * (players - 1 - s) / (s + 1);
        }
        return weight;
    }

    private static void checkPlayers(int players) {
        if (players < 0 || players > MAX_PLAYERS) {
            throw new IllegalArgumentException("exact Shapley values enumerate 2^P coalitions; P = " + players
                    + " players is outside [0, " + MAX_PLAYERS + "]; group patches into at most "
                    + MAX_PLAYERS + " players or use a sampling estimator such as KernelSHAP");
        }
    }
}
