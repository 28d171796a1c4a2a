package org.vitbench.methods.propagation;

import org.vitbench.api.Explainer;
import org.vitbench.methods.TinyVitExplainerContract;
import org.vitbench.methods.propagation.Lrp.Rule;

/** The shared contract on the tiny ViT for the CP-LRP rule (the default). */
class LrpCpOnTinyVitTest extends TinyVitExplainerContract {

    @Override
    protected Explainer explainer() {
        return new Lrp(Rule.CP, true, false);
    }
}
