package org.vitbench.api;

import java.util.Optional;

/**
 * Registers an explanation method. The usual way is a {@link MethodDeclaration}, which implements
 * this interface and is found through the method's own class listed in
 * {@code META-INF/services/org.vitbench.api.Explainer}; a hand-written provider is listed in
 * {@code META-INF/services/org.vitbench.api.ExplainerProvider}.
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
