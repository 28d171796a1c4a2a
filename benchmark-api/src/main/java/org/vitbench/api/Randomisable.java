package org.vitbench.api;

import java.util.List;

/**
 * A model capability: cascading randomisation (Adebayo et al. 2018, arXiv 1810.03292), copies of
 * the model whose layers are re-initialised cumulatively from the output down. A metric that needs
 * it declares {@link Requirement#RANDOMISED_MODELS} and asks
 * {@code model.capability(Randomisable.class)}; the runner skips the pair up front on a model
 * without it.
 */
public interface Randomisable {

    /**
     * The cascade of this model for {@code seed}; the caller owns it and closes it, and this model
     * must stay open while it is used.
     *
     * @param seed the seed of the re-initialised values (one draw per seed, shared by every stage)
     * @param embedding whether the last stage re-initialises the embedding too
     */
    Cascade cascade(long seed, boolean embedding);

    /** The randomised copies of one model for one seed. */
    interface Cascade extends AutoCloseable {

        /** Stage ids, top first: {@code head}, {@code block-(L-1)} .. {@code block-0}, [{@code embedding}]. */
        List<String> stages();

        /** The copy with stages {@code 0 .. s} re-initialised and every other weight the original's. */
        VitModel model(int stage);

        /** False once closed, directly or by closing the original model. */
        boolean isOpen();

        @Override
        void close();
    }
}
