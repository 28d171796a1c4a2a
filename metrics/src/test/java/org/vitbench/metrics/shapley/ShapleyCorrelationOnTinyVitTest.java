package org.vitbench.metrics.shapley;

import java.util.List;
import java.util.Map;
import org.vitbench.api.Metric;
import org.vitbench.api.Parameters;
import org.vitbench.api.Sample;
import org.vitbench.api.VitModel;
import org.vitbench.api.contract.FakeVitModel;
import org.vitbench.api.contract.MetricContract;
import org.vitbench.models.TinyVit;

/**
 * The shared contract on the real (tiny) ViT: Spearman on the target class against the default
 * truth (token dropping). Randomised: the truth is seeded by the run seed.
 */
class ShapleyCorrelationOnTinyVitTest extends MetricContract {

    @Override
    protected Metric metric() {
        return ShapleyCorrelation.create(Parameters.of(ShapleyCorrelation.ID, Map.of("measure", "spearman")));
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
