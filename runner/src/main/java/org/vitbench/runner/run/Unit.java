package org.vitbench.runner.run;

import org.vitbench.api.Explainer;
import org.vitbench.api.MethodSpec;
import org.vitbench.api.Metric;
import org.vitbench.api.ResultRecord;

/** The pieces a unit of work (sample x method x metric) is made of. */
final class Unit {

    private Unit() {
    }

    /**
     * An explainer with its spec.
     *
     * @param explainer the explainer
     * @param spec its id and resolved parameters, as in the result records
     */
    record Method(Explainer explainer, MethodSpec spec) {

        /** The method built with {@code explainer}'s resolved parameters. */
        static Method of(Explainer explainer) {
            return new Method(explainer, MethodSpec.of(explainer.info().id(), explainer.parameters().asMap()));
        }
    }

    /**
     * A method x metric pair that the run evaluates.
     *
     * @param method the method
     * @param metric the metric
     */
    record Pair(Method method, Metric metric) {

        /** The key of this pair's unit for one sample. */
        ResultRecord.Key key(String sampleId) {
            return new ResultRecord.Key(sampleId, new ResultRecord.Cell(method.spec(), metric.spec().hash()));
        }
    }
}
