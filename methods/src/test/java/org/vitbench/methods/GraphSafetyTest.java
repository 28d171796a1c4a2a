package org.vitbench.methods;

import org.junit.jupiter.api.Test;
import org.vitbench.api.contract.GraphSafetyCheck;
import org.vitbench.methods.baseline.RandomBaseline;

/** No method does raw arithmetic with Java numbers on arrays (see {@link org.vitbench.api.GraphConstants}). */
class GraphSafetyTest {

    @Test
    void methodsUseEngineOwnedConstants() {
        GraphSafetyCheck.assertClean(RandomBaseline.class);
    }
}
