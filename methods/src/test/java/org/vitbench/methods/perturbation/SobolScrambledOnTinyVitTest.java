package org.vitbench.methods.perturbation;

import java.util.Map;
import org.vitbench.api.Explainer;
import org.vitbench.api.Parameters;
import org.vitbench.methods.TinyVitExplainerContract;

/**
 * The shared contract with a scrambled design (seeded per image, so randomised), the Homma
 * estimator, a 2 x 2 grid resampled to the patch grid and a batch size of 3 that splits the 40
 * forwards unevenly. Default batch tolerance: images are explained alone, as above.
 */
class SobolScrambledOnTinyVitTest extends TinyVitExplainerContract {

    @Override
    protected Explainer explainer() {
        return SobolAttribution.create(Parameters.of(SobolAttribution.ID, Map.of("designs", "8", "grid", "2",
                "scramble", "true", "skipOrigin", "false", "estimator", "homma", "batchSize", "3")));
    }

    @Override
    protected boolean isRandomised() {
        return true;
    }
}
