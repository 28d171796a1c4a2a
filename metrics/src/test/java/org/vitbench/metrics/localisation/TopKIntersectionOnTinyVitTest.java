package org.vitbench.metrics.localisation;

import java.util.List;
import java.util.Map;
import org.vitbench.api.Metric;
import org.vitbench.api.Parameters;
import org.vitbench.api.Sample;
import org.vitbench.api.VitModel;
import org.vitbench.api.contract.MetricContract;
import org.vitbench.models.TinyVit;

/** The shared contract on the real (tiny) ViT, with rectangular masks. */
class TopKIntersectionOnTinyVitTest extends MetricContract {

    @Override
    protected Metric metric() {
        return TopKIntersection.create(Parameters.of(TopKIntersection.ID, Map.of("k", "7"))); // below TinyVit's pixels
    }

    @Override
    protected VitModel createModel() {
        return TinyVit.create(13);
    }

    @Override
    protected List<Sample> samples(VitModel model) {
        return MaskedSamples.of(model.info(), 4, 3L);
    }
}
