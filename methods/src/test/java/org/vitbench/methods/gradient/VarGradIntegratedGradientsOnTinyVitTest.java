package org.vitbench.methods.gradient;

import java.util.Map;
import org.vitbench.api.Explainer;
import org.vitbench.api.Parameters;
import org.vitbench.methods.TinyVitExplainerContract;

/** The shared contract on the tiny ViT: VarGrad around 3-step Integrated Gradients. */
class VarGradIntegratedGradientsOnTinyVitTest extends TinyVitExplainerContract {

    @Override
    protected Explainer explainer() {
        return SmoothGrad.create(Parameters.of(SmoothGrad.ID, Map.of("samples", "3", "variant", "vargrad", "base", "integrated-gradients", "base.steps", "3")));
    }

    @Override
    protected boolean isRandomised() {
        return true;
    }
}
