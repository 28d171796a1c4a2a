package org.vitbench.methods.perturbation;

import java.util.Map;
import org.vitbench.api.Explainer;
import org.vitbench.api.Parameters;
import org.vitbench.methods.TinyVitExplainerContract;

/** The shared contract on the tiny ViT with 64 samples. */
class LimeOnTinyVitTest extends TinyVitExplainerContract {

    @Override
    protected Explainer explainer() {
        return Lime.create(Parameters.of(Lime.ID, Map.of("samples", "64")));
    }

    @Override
    protected boolean isRandomised() {
        return true;
    }
}
