package org.vitbench.methods.propagation;

import org.vitbench.api.Explainer;
import org.vitbench.methods.TinyVitExplainerContract;
import org.vitbench.methods.propagation.Lrp.Rule;

/** The shared contract on the tiny ViT for the AttnLRP rule. */
class LrpAttnLrpOnTinyVitTest extends TinyVitExplainerContract {

    @Override
    protected Explainer explainer() {
        return new Lrp(Rule.ATTNLRP, true, false);
    }
}
