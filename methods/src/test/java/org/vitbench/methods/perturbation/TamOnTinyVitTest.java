package org.vitbench.methods.perturbation;

import java.util.Map;
import org.vitbench.api.Explainer;
import org.vitbench.api.Parameters;
import org.vitbench.methods.TinyVitExplainerContract;

/** The shared contract on the tiny ViT: tokens dropped, logits. */
class TamOnTinyVitTest extends TinyVitExplainerContract {

    @Override
    protected Explainer explainer() {
        return Occlusion.create(Occlusion.Variant.TAM, Parameters.of("tam", Map.of()));
    }

}
