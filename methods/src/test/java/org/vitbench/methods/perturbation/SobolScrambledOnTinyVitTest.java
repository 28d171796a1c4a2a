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
 * The shared contract with a scrambled design (seeded per image, so randomised), the Homma
 * estimator, a 2 x 2 grid resampled to the patch grid and a batch size of 3 that splits the 40
 * forwards unevenly. Default batch tolerance: images are explained alone, as above.
 */
class SobolScrambledOnTinyVitTest extends ExplainerContract {

    @Override
    protected Explainer explainer() {
        return SobolAttribution.create(Parameters.of(SobolAttribution.ID, Map.of("designs", "8", "grid", "2",
                "scramble", "true", "skipOrigin", "false", "estimator", "homma", "batchSize", "3")));
    }

    @Override
    protected VitModel createModel() {
        return TinyVit.create(13);
    }

    @Override
    protected List<Sample> samples(VitModel model) {
        return FakeVitModel.randomSamples(model.info(), 3, 5L);
    }

    @Override
    protected boolean isRandomised() {
        return true;
    }
}
