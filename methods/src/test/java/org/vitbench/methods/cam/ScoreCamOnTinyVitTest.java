package org.vitbench.methods.cam;

import org.vitbench.api.Explainer;
import org.vitbench.methods.TinyVitExplainerContract;

/** The shared explainer contract for {@link ScoreCam} with its reference defaults, on the tiny ViT. */
class ScoreCamOnTinyVitTest extends TinyVitExplainerContract {

    @Override
    protected Explainer explainer() {
        return new ScoreCam();
    }
}
