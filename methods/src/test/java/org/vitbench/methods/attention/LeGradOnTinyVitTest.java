package org.vitbench.methods.attention;

import org.vitbench.api.Explainer;
import org.vitbench.methods.TinyVitExplainerContract;

/** The shared explainer contract for {@link LeGrad} on the tiny ViT (real gradients, real native memory). */
class LeGradOnTinyVitTest extends TinyVitExplainerContract {

    @Override
    protected Explainer explainer() {
        return new LeGrad();
    }
}
