package org.vitbench.methods.perturbation;

import java.util.List;
import java.util.Map;
import org.vitbench.api.Explainer;
import org.vitbench.api.Parameters;
import org.vitbench.api.Sample;
import org.vitbench.api.VitModel;
import org.vitbench.api.contract.ExplainerContract;
import org.vitbench.api.contract.FakeVitModel;
import org.vitbench.models.TinyVit;

/**
 * The shared contract on the tiny ViT: 8 designs on its 3 x 3 patch grid, 80 blended forwards per
 * image. The default batch tolerance (1e-5 relative) holds because every image is explained alone
 * with the same chunks, whatever the batch.
 */
class SobolAttributionOnTinyVitTest extends ExplainerContract {

    @Override
    protected Explainer explainer() {
        return SobolAttribution.create(Parameters.of(SobolAttribution.ID, Map.of("designs", "8")));
    }

    @Override
    protected VitModel createModel() {
        return TinyVit.create(13);
    }

    @Override
    protected List<Sample> samples(VitModel model) {
        return FakeVitModel.randomSamples(model.info(), 3, 5L);
    }
}
