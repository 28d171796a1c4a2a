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
 * The shared contract with the authors' seeded Latin hypercube (randomised), token dropping and
 * probabilities. Default batch tolerance: images are explained alone, so batching cannot change them.
 */
class HsicLhsOnTinyVitTest extends ExplainerContract {

    @Override
    protected Explainer explainer() {
        return HsicAttribution.create(Parameters.of(HsicAttribution.ID, Map.of("designs", "64", "sampler", "lhs",
                "removal", "token-drop", "output", "probability")));
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
