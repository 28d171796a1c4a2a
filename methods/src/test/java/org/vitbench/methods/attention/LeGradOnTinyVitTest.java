package org.vitbench.methods.attention;

import org.junit.jupiter.api.Nested;
import org.vitbench.api.Explainer;
import org.vitbench.methods.TinyVitExplainerContract;

/**
 * The shared explainer contract for {@link LeGrad} on the tiny ViT (real gradients, real native
 * memory): the default (token-mean readout, one forward and backward per block) and the two other
 * readouts.
 */
class LeGradOnTinyVitTest extends TinyVitExplainerContract {

    @Override
    protected Explainer explainer() {
        return new LeGrad();
    }

    @Nested
    class ClsReadout extends TinyVitExplainerContract {

        @Override
        protected Explainer explainer() {
            return new LeGrad("all", "cls");
        }
    }

    @Nested
    class FinalLogit extends TinyVitExplainerContract {

        @Override
        protected Explainer explainer() {
            return new LeGrad(LeGrad.DEFAULT_LAYERS, "final");
        }
    }
}
