package org.vitbench.methods.perturbation;

import java.util.Map;
import org.vitbench.api.Explainer;
import org.vitbench.api.Parameters;
import org.vitbench.methods.TinyVitExplainerContract;

/**
 * The shared contract on the tiny ViT: 8 designs on its 3 x 3 patch grid, 80 blended forwards per
 * image. The default batch tolerance (1e-5 relative) holds because every image is explained alone
 * with the same chunks, whatever the batch.
 */
class SobolAttributionOnTinyVitTest extends TinyVitExplainerContract {

    @Override
    protected Explainer explainer() {
        return SobolAttribution.create(Parameters.of(SobolAttribution.ID, Map.of("designs", "8")));
    }

}
