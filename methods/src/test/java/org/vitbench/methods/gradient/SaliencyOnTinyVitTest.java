package org.vitbench.methods.gradient;

import java.util.Map;
import org.vitbench.api.Explainer;
import org.vitbench.api.Parameters;
import org.vitbench.methods.TinyVitExplainerContract;

/** The shared contract on the tiny ViT: chunks of 2 cut the batch of 3. */
class SaliencyOnTinyVitTest extends TinyVitExplainerContract {

    @Override
    protected Explainer explainer() {
        return Saliency.create(Parameters.of(Saliency.ID, Map.of("batchSize", "2")));
    }
}
