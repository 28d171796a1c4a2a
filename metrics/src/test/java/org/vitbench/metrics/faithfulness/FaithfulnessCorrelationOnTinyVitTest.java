package org.vitbench.metrics.faithfulness;

import java.util.List;
import java.util.Map;
import org.vitbench.api.Metric;
import org.vitbench.api.Parameters;
import org.vitbench.api.Sample;
import org.vitbench.api.VitModel;
import org.vitbench.api.contract.FakeVitModel;
import org.vitbench.api.contract.MetricContract;
import org.vitbench.models.TinyVit;

/** The shared contract on the real (tiny) ViT with subsets of a quarter of its pixels. */
class FaithfulnessCorrelationOnTinyVitTest extends MetricContract {

    @Override
    protected Metric metric() {
        // subsets below TinyVit's 144 pixels
        return FaithfulnessCorrelation.create(Parameters.of(FaithfulnessCorrelation.ID, Map.of("subsetSize", "36")));
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
