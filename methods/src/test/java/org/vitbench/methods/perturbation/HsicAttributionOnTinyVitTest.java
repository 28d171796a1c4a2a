package org.vitbench.methods.perturbation;

import java.util.Map;
import org.vitbench.api.Explainer;
import org.vitbench.api.Parameters;
import org.vitbench.methods.TinyVitExplainerContract;

/**
 * The shared contract on the tiny ViT: 64 rounded Sobol' masks on its 3 x 3 patch grid, pixel-mean
 * removal. The default batch tolerance (1e-5 relative) holds because every image is explained
 * alone with the same chunks, whatever the batch.
 */
class HsicAttributionOnTinyVitTest extends TinyVitExplainerContract {

    @Override
    protected Explainer explainer() {
        return HsicAttribution.create(Parameters.of(HsicAttribution.ID, Map.of("designs", "64")));
    }

}
