package org.vitbench.models.masking;

/**
 * A cooperative game with vector values: {@code v(S)} for every coalition {@code S} of
 * {@code players()} players, one value per output (for example one per class). The model's outputs
 * on patch subsets of an image ({@link MaskedEvaluator#game}) are the game of every removal-based
 * Shapley estimator; analytic games make their oracles.
 */
public interface CoalitionGame {

    /** The number of players {@code P}. */
    int players();

    /** The number of outputs {@code K} of each value. */
    int outputs();

    /**
     * The values of many coalitions in one call (so that an implementation can batch them).
     *
     * @param coalitions {@code [M][P]}, {@code true} where the player is present
     * @return {@code [M][K]}
     */
    double[][] values(boolean[][] coalitions);
}
