package org.vitbench.methods.perturbation;

import java.util.Map;
import org.vitbench.api.Explainer;
import org.vitbench.api.Parameters;
import org.vitbench.methods.TinyVitExplainerContract;

/** The shared contract on the tiny ViT: 2 x 2 windows, stride 1, grey occluder. */
class OcclusionOnTinyVitTest extends TinyVitExplainerContract {

    @Override
    protected Explainer explainer() {
        return Occlusion.create(Occlusion.Variant.OCCLUSION, Parameters.of("occlusion", Map.of()));
    }

}
