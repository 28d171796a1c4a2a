package org.vitbench.methods.perturbation;

import java.util.Map;
import org.vitbench.api.Explainer;
import org.vitbench.api.Parameters;
import org.vitbench.methods.TinyVitExplainerContract;

/** The shared contract on the tiny ViT, with a small budget (8 paired subsets, 2 iterations). */
class KernelShapOnTinyVitTest extends TinyVitExplainerContract {

    @Override
    protected Explainer explainer() {
        return KernelShap.create(Parameters.of(KernelShap.ID, Map.of("subsets", "8", "budget", "40")));
    }

    @Override
    protected boolean isRandomised() {
        return true;
    }
}
