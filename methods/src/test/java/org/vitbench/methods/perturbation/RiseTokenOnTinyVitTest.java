package org.vitbench.methods.perturbation;

import java.util.Map;
import org.vitbench.api.Explainer;
import org.vitbench.api.Parameters;
import org.vitbench.methods.TinyVitExplainerContract;

/** The shared contract on the tiny ViT, token mode (the ViT Shapley preset) with 64 masks. */
class RiseTokenOnTinyVitTest extends TinyVitExplainerContract {

    @Override
    protected Explainer explainer() {
        return Rise.create(Parameters.of(Rise.ID, Map.of("preset", "vit-shapley", "masks", "64")));
    }

    @Override
    protected boolean isRandomised() {
        return true;
    }
}
