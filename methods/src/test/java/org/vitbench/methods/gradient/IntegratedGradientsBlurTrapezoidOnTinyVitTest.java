package org.vitbench.methods.gradient;

import java.util.Map;
import org.vitbench.api.Explainer;
import org.vitbench.api.Parameters;
import org.vitbench.methods.TinyVitExplainerContract;

/** The shared contract on the tiny ViT: a blurred baseline and the trapezoid rule. */
class IntegratedGradientsBlurTrapezoidOnTinyVitTest extends TinyVitExplainerContract {

    @Override
    protected Explainer explainer() {
        return IntegratedGradients.create(Parameters.of(IntegratedGradients.ID, Map.of("steps", "5", "baseline", "blur", "method", "riemann-trapezoid")));
    }
}
