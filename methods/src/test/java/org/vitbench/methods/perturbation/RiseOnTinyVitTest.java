package org.vitbench.methods.perturbation;

import java.util.Map;
import org.vitbench.api.Explainer;
import org.vitbench.api.Parameters;
import org.vitbench.methods.TinyVitExplainerContract;

/** The shared contract on the tiny ViT, pixel mode with 64 masks of 2 x 2 cells. */
class RiseOnTinyVitTest extends TinyVitExplainerContract {

    @Override
    protected Explainer explainer() {
        return Rise.create(Parameters.of(Rise.ID, Map.of("masks", "64", "cells", "2")));
    }

    @Override
    protected boolean isRandomised() {
        return true;
    }
}
