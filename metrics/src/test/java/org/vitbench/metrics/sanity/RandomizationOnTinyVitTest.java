package org.vitbench.metrics.sanity;

import java.util.List;
import org.vitbench.api.Metric;
import org.vitbench.api.Sample;
import org.vitbench.api.VitModel;
import org.vitbench.api.contract.FakeVitModel;
import org.vitbench.api.contract.MetricContract;
import org.vitbench.models.TinyVit;

/**
 * The shared contract on the real (tiny) ViT, with input gradients as the explained method. The
 * contract builds contexts without {@code explainedBy}, so the metric is wrapped to add it, as the
 * runner does.
 */
class RandomizationOnTinyVitTest extends MetricContract {

    @Override
    protected Metric metric() {
        Randomization metric = new Randomization();
        TestExplainers.InputGradient explainer = new TestExplainers.InputGradient();
        return explainedBy(metric, explainer);
    }

    /** The randomised weights are drawn from the run seed. */
    @Override
    protected boolean isRandomised() {
        return true;
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
