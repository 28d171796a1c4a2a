package org.vitbench.methods.shapley;

import org.vitbench.api.Explainer;
import org.vitbench.api.Parameters;
import org.vitbench.methods.TinyVitExplainerContract;

class VitShapleyOnTinyVitTest extends TinyVitExplainerContract {

    @Override
    protected Explainer explainer() {
        return VitShapley.create(Parameters.of("vit-shapley", java.util.Map.of("explainer",
                TinyExplainers.DIR.toString())));
    }
}
