package org.vitbench.models;

import ai.djl.Device;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import org.vitbench.api.ConfigurationException;
import org.vitbench.api.ModelProvider;
import org.vitbench.api.Parameters;
import org.vitbench.api.ProviderInfo;
import org.vitbench.api.VitModel;

/**
 * Provides {@code checkpoint}: a ViT from a directory with {@code model.safetensors} (timm keys)
 * and {@code config.json}, or from a {@code .safetensors} file with {@code config.json} beside it.
 * Parameters: {@code path} (required) and {@code device}, {@code cpu} (default), {@code gpu} or
 * {@code gpu:N} ({@link Devices}).
 */
public final class CheckpointModelProvider implements ModelProvider {

    @Override
    public ProviderInfo info() {
        return new ProviderInfo("checkpoint", "ViT checkpoint",
                "a plain ViT from safetensors with config.json beside it; parameters: path (directory or file), "
                        + "device (cpu, gpu or gpu:N; default cpu)");
    }

    @Override
    public VitModel load(Parameters parameters) {
        parameters.requireOnly(Set.of("path", Devices.KEY));
        Device device = Devices.of(parameters);
        String path = parameters.getString("path", null);
        if (path == null) {
            throw new ConfigurationException("model 'checkpoint' needs a path, e.g. --model checkpoint:path=runs/my-vit");
        }
        Path p = Path.of(path);
        if (!Files.exists(p)) {
            throw new ConfigurationException("checkpoint path " + p.toAbsolutePath() + " does not exist");
        }
        return Checkpoints.load(p, device);
    }
}
