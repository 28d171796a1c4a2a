package org.vitbench.methods.attention;

import org.vitbench.api.Explainer;
import org.vitbench.methods.TinyVitExplainerContract;

/** The shared explainer contract for {@link RawAttention} with its reference defaults, on the tiny ViT. */
class RawAttentionOnTinyVitTest extends TinyVitExplainerContract {

    @Override
    protected Explainer explainer() {
        return new RawAttention();
    }
}
