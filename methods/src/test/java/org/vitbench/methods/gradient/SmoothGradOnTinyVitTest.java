package org.vitbench.methods.gradient;

import java.util.Map;
import org.vitbench.api.Explainer;
import org.vitbench.api.Parameters;
import org.vitbench.methods.TinyVitExplainerContract;

/** The shared contract on the tiny ViT: 4 noisy saliency maps, draws grouped across base calls. */
class SmoothGradOnTinyVitTest extends TinyVitExplainerContract {

    @Override
    protected Explainer explainer() {
        return SmoothGrad.create(Parameters.of(SmoothGrad.ID, Map.of("samples", "4", "base.batchSize", "5")));
    }

    @Override
    protected boolean isRandomised() {
        return true;
    }
}
