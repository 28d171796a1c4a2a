package org.vitbench.runner;

import org.vitbench.api.Explainer;
import org.vitbench.api.Metric;
import org.vitbench.api.ResultRecord;

/** The pieces a unit of work (sample x method x metric) is made of. */
final class Unit {

    private Unit() {
    }

    /**
     * An explainer with its label.
     *
     * @param explainer the explainer
     * @param label {@code id} or {@code id:k=v,...} as in the result records
     */
    record Method(Explainer explainer, String label) {
    }

    /**
     * A method x metric pair that the run evaluates.
     *
     * @param method the method
     * @param metric the metric
     */
    record Pair(Method method, Metric metric) {

        /** The key of this pair's unit for one sample. */
        String key(String sampleId) {
            return ResultRecord.key(sampleId, method.label(), metric.spec().hash());
        }
    }
}
