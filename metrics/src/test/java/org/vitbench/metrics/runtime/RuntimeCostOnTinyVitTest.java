package org.vitbench.metrics.runtime;

import java.util.List;
import org.vitbench.api.Metric;
import org.vitbench.api.Sample;
import org.vitbench.api.VitModel;
import org.vitbench.api.contract.FakeVitModel;
import org.vitbench.models.TinyVit;

/**
 * The shared contract on the real (tiny) ViT. The contract builds contexts without
 * {@code explainedBy}, so the metric is wrapped to add it, as the runner does. Its determinism and
 * batch-size checks compare scores exactly, which wall-clock times never are, so the metric reads a
 * clock that the explained method moves by 2 ms per image: everything but the clock is real.
 */
class RuntimeCostOnTinyVitTest extends org.vitbench.api.contract.MetricContract {

    @Override
    protected Metric metric() {
        TimedExplainers.ManualClock clock = new TimedExplainers.ManualClock();
        RuntimeCost metric = new RuntimeCost(RuntimeCost.DEFAULT_WARMUP, RuntimeCost.DEFAULT_REPEATS, clock);
        TimedExplainers.Forward explainer = new TimedExplainers.Forward(clock, call -> 2_000_000L);
        return explainedBy(metric, explainer);
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
