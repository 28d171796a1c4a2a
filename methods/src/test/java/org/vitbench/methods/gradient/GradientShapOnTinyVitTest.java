package org.vitbench.methods.gradient;

import java.util.Map;
import org.vitbench.api.Explainer;
import org.vitbench.api.Parameters;
import org.vitbench.methods.TinyVitExplainerContract;

/** The shared contract on the tiny ViT: 5 noisy path points per image, in passes of 3. */
class GradientShapOnTinyVitTest extends TinyVitExplainerContract {

    @Override
    protected Explainer explainer() {
        return GradientShap.create(Parameters.of(GradientShap.ID, Map.of("stdevs", "0.05", "batchSize", "3")));
    }

    @Override
    protected boolean isRandomised() {
        return true;
    }
}
