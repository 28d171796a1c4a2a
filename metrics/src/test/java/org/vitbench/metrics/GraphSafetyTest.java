package org.vitbench.metrics;

import org.junit.jupiter.api.Test;
import org.vitbench.api.contract.GraphSafetyCheck;
import org.vitbench.metrics.faithfulness.Deletion;

/**
 * No metric does raw arithmetic with Java numbers on arrays (see {@link org.vitbench.api.GraphConstants}):
 * metrics that re-explain or differentiate must be as safe as methods.
 */
class GraphSafetyTest {

    @Test
    void metricsUseEngineOwnedConstants() {
        GraphSafetyCheck.assertClean(Deletion.class);
    }
}
