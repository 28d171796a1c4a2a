package org.vitbench.methods.attention;

import org.vitbench.api.Explainer;
import org.vitbench.methods.TinyVitExplainerContract;

/** The shared explainer contract for {@link GenericAttention} on the tiny ViT (real gradients, real native memory). */
class GenericAttentionOnTinyVitTest extends TinyVitExplainerContract {

    @Override
    protected Explainer explainer() {
        return new GenericAttention();
    }
}
