package org.vitbench.metrics.faithfulness;

import ai.djl.ndarray.NDManager;
import java.util.List;
import org.vitbench.api.Context;
import org.vitbench.api.Heatmaps;
import org.vitbench.api.Metric;
import org.vitbench.api.MetricResult;
import org.vitbench.api.ModelInfo;
import org.vitbench.api.Sample;
import org.vitbench.api.VitModel;
import org.vitbench.api.contract.FakeVitModel;

/** Models of known response shared by the faithfulness metrics' oracle tests. */
final class ToyModels {

    private ToyModels() {
    }

    /**
     * A two-class model that is additive in probability: {@code p(class 0 | kept set S) = 0.05 +
     * 0.9 * sum of w over S} (the logits are {@code log p} and {@code log (1 - p)}, so the softmax
     * gives back {@code p}). Removing {@code S} therefore drops {@code p} by {@code 0.9 * sum of w}.
     *
     * @param w patch weights with a sum of at most 1
     */
    static FakeVitModel additive(ModelInfo info, float[] w) {
        return FakeVitModel.of(info, keep -> {
            double p = 0.05;
            for (int i = 0; i < w.length; i++) {
                p += 0.9 * w[i] * keep[i];
            }
            return new float[] {(float) Math.log(p), (float) Math.log(1 - p)};
        });
    }

    /** Runs a metric on one batch in a fresh sub-manager of the model's manager. */
    static MetricResult run(Metric metric, VitModel model, List<Sample> samples, int[] targets, Heatmaps maps,
            long seed) {
        try (NDManager manager = model.manager().newSubManager()) {
            return metric.evaluate(new Context(model, seed, manager), samples, targets, maps);
        }
    }
}
