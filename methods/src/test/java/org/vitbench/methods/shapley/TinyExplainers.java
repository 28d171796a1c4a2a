package org.vitbench.methods.shapley;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.vitbench.models.Checkpoints;
import org.vitbench.models.TinyVit;
import org.vitbench.models.VisionTransformer;
import org.vitbench.models.vitshapley.ExplainerSpec;
import org.vitbench.models.vitshapley.ShapleyExplainerModel;

/**
 * An untrained ViT Shapley explainer for the tiny ViT of seed 13, which serves as its own surrogate
 * (saved as a checkpoint so the registry can load it), written once per test JVM.
 */
final class TinyExplainers {

    static final Path DIR = write();

    private TinyExplainers() {
    }

    private static Path write() {
        try {
            Path root = Files.createTempDirectory("vitbench-vit-shapley");
            root.toFile().deleteOnExit();
            Path surrogateDir = root.resolve("surrogate");
            Path explainerDir = root.resolve("explainer");
            try (VisionTransformer tiny = TinyVit.create(13)) {
                Checkpoints.save(surrogateDir, tiny.config(), tiny.weights());
                ExplainerSpec spec = new ExplainerSpec(ExplainerSpec.FORMAT, "checkpoint:path=" + surrogateDir,
                        tiny.fingerprint(), "tiny-vit-classifier", "fedcba9876543210", 4, Map.of());
                try (ShapleyExplainerModel explainer = ShapleyExplainerModel.initialise(tiny, spec, 3)) {
                    explainer.save(explainerDir, spec);
                }
            }
            return explainerDir;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
