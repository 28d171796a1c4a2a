package org.vitbench.methods;

import java.util.List;
import org.vitbench.api.Sample;
import org.vitbench.api.VitModel;
import org.vitbench.api.contract.ExplainerContract;
import org.vitbench.api.contract.FakeVitModel;
import org.vitbench.models.TinyVit;

/**
 * The shared explainer contract on the real tiny ViT (12 x 12 image, 3 x 3 patch grid, 3 classes,
 * real attention and native memory) with three random samples; subclasses supply the method.
 */
public abstract class TinyVitExplainerContract extends ExplainerContract {

    @Override
    protected VitModel createModel() {
        return TinyVit.create(13);
    }

    @Override
    protected List<Sample> samples(VitModel model) {
        return FakeVitModel.randomSamples(model.info(), 3, 5L);
    }
}
