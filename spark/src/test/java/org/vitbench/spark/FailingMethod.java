package org.vitbench.spark;

import java.util.List;
import java.util.Set;
import org.vitbench.api.Context;
import org.vitbench.api.Explainer;
import org.vitbench.api.ExplainerInfo;
import org.vitbench.api.ExplainerProvider;
import org.vitbench.api.Family;
import org.vitbench.api.Heatmaps;
import org.vitbench.api.Parameters;
import org.vitbench.api.Sample;

/** A method whose every explanation fails: its cells must become failed units, not a failed Spark job. */
public final class FailingMethod implements ExplainerProvider {

    static final String ID = "spark-test-failing";
    private static final ExplainerInfo INFO = new ExplainerInfo(ID, "Failing (test)", Family.BASELINE, Set.of(), false,
            "test plug-in");

    @Override
    public ExplainerInfo info() {
        return INFO;
    }

    @Override
    public Explainer create(Parameters parameters) {
        return new Explainer() {
            @Override
            public ExplainerInfo info() {
                return INFO;
            }

            @Override
            public Parameters parameters() {
                return parameters;
            }

            @Override
            public Heatmaps explain(Context context, List<Sample> batch, int[] targets) {
                throw new IllegalStateException("this test method always fails");
            }
        };
    }
}
