package org.vitbench.methods.gradient;

import java.util.Map;
import org.vitbench.api.Explainer;
import org.vitbench.api.Parameters;
import org.vitbench.methods.TinyVitExplainerContract;

/** The shared contract on the tiny ViT: 6 Gauss-Legendre steps in chunks of 5 that straddle images. */
class IntegratedGradientsOnTinyVitTest extends TinyVitExplainerContract {

    @Override
    protected Explainer explainer() {
        return IntegratedGradients.create(Parameters.of(IntegratedGradients.ID, Map.of("steps", "6", "batchSize", "5")));
    }
}
