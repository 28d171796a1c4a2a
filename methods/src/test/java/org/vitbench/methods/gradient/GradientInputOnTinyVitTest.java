package org.vitbench.methods.gradient;

import java.util.Map;
import org.vitbench.api.Explainer;
import org.vitbench.api.Parameters;
import org.vitbench.methods.TinyVitExplainerContract;

/** The shared contract on the tiny ViT: abs-sum aggregation. */
class GradientInputOnTinyVitTest extends TinyVitExplainerContract {

    @Override
    protected Explainer explainer() {
        return GradientInput.create(Parameters.of(GradientInput.ID, Map.of("aggregation", "abs-sum")));
    }
}
