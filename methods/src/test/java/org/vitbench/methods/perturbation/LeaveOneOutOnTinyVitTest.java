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

/** The shared contract on the tiny ViT with the defaults (pixel-mean removal, probabilities). */
class LeaveOneOutOnTinyVitTest extends ExplainerContract {

    @Override
    protected Explainer explainer() {
        return Occlusion.create(Occlusion.Variant.LEAVE_ONE_OUT, Parameters.of("leave-one-out", Map.of()));
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
