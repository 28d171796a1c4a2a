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

/**
 * The shared contract on the real (tiny) ViT with preset chefer (pixel-zero removal, top-1 hits);
 * the random samples have no labels, so the reference is the clean prediction.
 */
class DeletionCheferOnTinyVitTest extends MetricContract {

    @Override
    protected Metric metric() {
        return Deletion.create(Parameters.of(Deletion.ID, Map.of("preset", "chefer", "reference", "prediction")));
    }

    @Override
    protected VitModel createModel() {
        return TinyVit.create(19);
    }

    @Override
    protected List<Sample> samples(VitModel model) {
        return FakeVitModel.randomSamples(model.info(), 3, 7L);
    }
}
