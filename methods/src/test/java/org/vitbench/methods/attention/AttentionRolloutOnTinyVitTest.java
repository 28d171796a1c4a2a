package org.vitbench.methods.attention;

import java.util.List;
import org.vitbench.api.Explainer;
import org.vitbench.api.Sample;
import org.vitbench.api.VitModel;
import org.vitbench.api.contract.ExplainerContract;
import org.vitbench.api.contract.FakeVitModel;
import org.vitbench.models.TinyVit;

/** The shared contract on the real (tiny) ViT: real attention, real native memory. */
class AttentionRolloutOnTinyVitTest extends ExplainerContract {

    @Override
    protected Explainer explainer() {
        return new AttentionRollout();
    }

    @Override
    protected VitModel createModel() {
        return TinyVit.create(13);
    }

    @Override
    protected List<Sample> samples(VitModel model) {
        return FakeVitModel.randomSamples(model.info(), 4, 3L);
    }
}
