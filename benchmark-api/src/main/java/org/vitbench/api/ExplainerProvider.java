package org.vitbench.api;

import java.util.Optional;

/**
 * Registers an explanation method with {@link java.util.ServiceLoader}: list the implementing
 * class in {@code META-INF/services/org.vitbench.api.ExplainerProvider}.
 */
public interface ExplainerProvider {

    ExplainerInfo info();

    /**
     * Creates the method with validated parameters.
     *
     * @throws ConfigurationException naming the bad parameter and what is allowed
     */
    Explainer create(Parameters parameters);

    /** The declared parameters and presets, for help and checks; empty for a hand-written provider. */
    default Optional<Declaration> declaration() {
        return Optional.empty();
    }
}
