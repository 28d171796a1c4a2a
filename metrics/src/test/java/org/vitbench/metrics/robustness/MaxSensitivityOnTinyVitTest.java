package org.vitbench.metrics.robustness;

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
 * The shared contract on the real (tiny) ViT with the Captum preset. The contract builds contexts
 * without {@code explainedBy}, so the metric is wrapped to add it, as the runner does.
 */
class MaxSensitivityOnTinyVitTest extends MetricContract {

    @Override
    protected Metric metric() {
        Metric metric = MaxSensitivity.DECLARATION.create(Parameters.of(MaxSensitivity.ID, Map.of("preset", "captum")));
        SquaredPatchSums explainer = new SquaredPatchSums();
        return explainedBy(metric, explainer);
    }

    /** The noise is drawn from the run seed. */
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
