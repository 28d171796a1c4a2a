package org.vitbench.metrics.robustness;

import java.util.List;
import java.util.Map;
import org.vitbench.api.Context;
import org.vitbench.api.Heatmaps;
import org.vitbench.api.Metric;
import org.vitbench.api.MetricInfo;
import org.vitbench.api.MetricResult;
import org.vitbench.api.MetricSpec;
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
        return new Metric() {
            @Override
            public MetricInfo info() {
                return metric.info();
            }

            @Override
            public MetricSpec spec() {
                return metric.spec();
            }

            @Override
            public MetricResult evaluate(Context context, List<Sample> batch, int[] targets, Heatmaps heatmaps) {
                return metric.evaluate(context.withExplained(explainer, context.model()), batch, targets, heatmaps);
            }
        };
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
