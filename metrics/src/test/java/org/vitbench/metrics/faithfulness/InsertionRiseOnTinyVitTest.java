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

/** The shared contract on the real (tiny) ViT with preset rise, i.e. pixel-blur removal. */
class InsertionRiseOnTinyVitTest extends MetricContract {

    @Override
    protected Metric metric() {
        return Insertion.create(Parameters.of(Insertion.ID, Map.of("preset", "rise", "batchSize", "3")));
    }

    @Override
    protected VitModel createModel() {
        return TinyVit.create(17);
    }

    @Override
    protected List<Sample> samples(VitModel model) {
        return FakeVitModel.randomSamples(model.info(), 3, 5L);
    }
}
