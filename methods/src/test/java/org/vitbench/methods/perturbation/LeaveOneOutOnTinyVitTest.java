package org.vitbench.methods.perturbation;

import java.util.Map;
import org.vitbench.api.Explainer;
import org.vitbench.api.Parameters;
import org.vitbench.methods.TinyVitExplainerContract;

/** The shared contract on the tiny ViT with the defaults (pixel-mean removal, probabilities). */
class LeaveOneOutOnTinyVitTest extends TinyVitExplainerContract {

    @Override
    protected Explainer explainer() {
        return Occlusion.create(Occlusion.Variant.LEAVE_ONE_OUT, Parameters.of("leave-one-out", Map.of()));
    }

}
