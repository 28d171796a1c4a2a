package org.vitbench.models;

import java.util.Set;
import org.vitbench.api.ModelProvider;
import org.vitbench.api.Parameters;
import org.vitbench.api.ProviderInfo;
import org.vitbench.api.VitModel;

/**
 * Provides {@code embedded}: the ViT that vitbench trained on Fashion-MNIST and ships in this jar
 * (model card in the README). Parameter: {@code device}, {@code cpu} (default), {@code gpu} or
 * {@code gpu:N} ({@link Devices}).
 */
public final class EmbeddedModelProvider implements ModelProvider {

    /** Class-path directory of the shipped model. */
    public static final String RESOURCE_DIR = "/org/vitbench/models/embedded/vit-fashion-mnist";

    @Override
    public ProviderInfo info() {
        return new ProviderInfo("embedded", "Embedded Fashion-MNIST ViT",
                "the ViT shipped with vitbench, trained on Fashion-MNIST (28x28, patch 4, 7x7 grid); parameter: "
                        + "device (cpu, gpu or gpu:N; default cpu)");
    }

    @Override
    public VitModel load(Parameters parameters) {
        parameters.requireOnly(Set.of(Devices.KEY));
        return Checkpoints.loadResource(RESOURCE_DIR, Devices.of(parameters));
    }
}
