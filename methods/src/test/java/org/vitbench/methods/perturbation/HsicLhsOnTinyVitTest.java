package org.vitbench.methods.perturbation;

import java.util.Map;
import org.vitbench.api.Explainer;
import org.vitbench.api.Parameters;
import org.vitbench.methods.TinyVitExplainerContract;

/**
 * The shared contract with the authors' seeded Latin hypercube (randomised), token dropping and
 * probabilities. Default batch tolerance: images are explained alone, so batching cannot change them.
 */
class HsicLhsOnTinyVitTest extends TinyVitExplainerContract {

    @Override
    protected Explainer explainer() {
        return HsicAttribution.create(Parameters.of(HsicAttribution.ID, Map.of("designs", "64", "sampler", "lhs",
                "removal", "token-drop", "output", "probability")));
    }

    @Override
    protected boolean isRandomised() {
        return true;
    }
}
