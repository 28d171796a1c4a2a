package org.vitbench.metrics.shapley;

import java.util.List;
import org.vitbench.api.Metric;
import org.vitbench.api.Sample;
import org.vitbench.api.VitModel;
import org.vitbench.api.contract.FakeVitModel;
import org.vitbench.api.contract.MetricContract;
import org.vitbench.models.TinyVit;

/**
 * The shared contract on the real (tiny) ViT with the default protocol (target class, token
 * dropping). Randomised: the truth is seeded by the run seed.
 */
class ShapleyErrorOnTinyVitTest extends MetricContract {

    @Override
    protected Metric metric() {
        return new ShapleyError();
    }

    @Override
    protected VitModel createModel() {
        return TinyVit.create(13);
    }

    @Override
    protected List<Sample> samples(VitModel model) {
        return FakeVitModel.randomSamples(model.info(), 4, 3L);
    }

    @Override
    protected boolean isRandomised() {
        return true;
    }
}
