package org.vitbench.models;

import java.util.Set;
import org.vitbench.api.ModelProvider;
import org.vitbench.api.Parameters;
import org.vitbench.api.ProviderInfo;
import org.vitbench.api.VitModel;

/**
 * Provides {@code embedded-surrogate}: ViT Shapley's surrogate of the embedded model, trained by
 * {@code vitbench train surrogate} and shipped in this jar (model card in the README). It is the
 * evaluation model of the ViT Shapley protocol of insertion, deletion and faithfulness, and the
 * model whose Shapley values the embedded {@code vit-shapley} explainer estimates. Parameter:
 * {@code device}, {@code cpu} (default), {@code gpu} or {@code gpu:N} ({@link Devices}).
 */
public final class EmbeddedSurrogateProvider implements ModelProvider {

    /** Class-path directory of the shipped surrogate. */
    public static final String RESOURCE_DIR = "/org/vitbench/models/embedded/vit-fashion-mnist-surrogate";

    @Override
    public ProviderInfo info() {
        return new ProviderInfo("embedded-surrogate", "Surrogate of the embedded Fashion-MNIST ViT",
                "the embedded ViT fine-tuned to predict its own full-image output from images with patches held "
                        + "out by attention masking (ViT Shapley's surrogate); parameter: device (cpu, gpu or gpu:N; "
                        + "default cpu)");
    }

    @Override
    public VitModel load(Parameters parameters) {
        parameters.requireOnly(Set.of(Devices.KEY));
        return Checkpoints.loadResource(RESOURCE_DIR, Devices.of(parameters));
    }
}
