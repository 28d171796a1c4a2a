package org.vitbench.models.vitshapley;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.vitbench.api.Gradients;
import org.vitbench.api.contract.GcStress;
import org.vitbench.models.Checkpoints;
import org.vitbench.models.TinyVit;
import org.vitbench.models.VisionTransformer;
import org.vitbench.models.checkpoint.Safetensors;
import org.vitbench.models.checkpoint.Tensor;
import org.vitbench.models.training.ClassifierTrainer;
import org.vitbench.models.training.ClassifierTrainerTest;
import org.vitbench.models.training.TrainingConfig;
import org.vitbench.models.training.TrainingListener;
import org.vitbench.models.training.TrainingLoop;

/**
 * Training gives the same weights whether or not a garbage collection runs between each step's
 * forward and backward pass ({@link GcStress} forces one before every backward pass): the
 * classifier, the surrogate and the ViT Shapley explainer, trained twice from the same seed.
 */
class TrainingStressTest {

    @TempDir
    Path dir;

    @Test
    void classifierTraining() throws Exception {
        TrainingConfig config = new TrainingConfig(1, 16, 3e-3, 1e-5, 0.05, 0.5, 16, true, 4);
        assertSameWeights(out -> new ClassifierTrainer(TinyVit.config(ExplainerTrainerTest.ARCH), config,
                TrainingListener.NONE).train(ClassifierTrainerTest.bands(64, 2), out));
    }

    @Test
    void surrogateTraining() throws Exception {
        TrainingConfig config = new TrainingConfig(1, 16, 3e-3, 1e-5, 1e-5, 0.5, 16, false, 3);
        try (VisionTransformer classifier = ExplainerTrainerTest.backbone(21)) {
            assertSameWeights(out -> new SurrogateTrainer(classifier, config, 1.0, TrainingListener.NONE)
                    .train(ExplainerTrainerTest.patchLevels(64, 5), out, Map.of()));
        }
    }

    @Test
    void explainerTraining() throws Exception {
        TrainingConfig config = new TrainingConfig(1, 16, 3e-3, 1e-5, 1e-5, 0.5, 16, false, 7);
        try (VisionTransformer surrogate = ExplainerTrainerTest.backbone(11)) {
            assertSameWeights(out -> new ExplainerTrainer(surrogate, ExplainerTrainerTest.ADDITIVE,
                    "checkpoint:path=unused", config, 4, 2, 1.0, TrainingListener.NONE)
                    .train(ExplainerTrainerTest.patchLevels(64, 3), out, Map.of()));
        }
    }

    private interface Training {
        TrainingLoop.State train(Path out) throws Exception;
    }

    private void assertSameWeights(Training training) throws Exception {
        Path calm = dir.resolve("calm");
        Path stressed = dir.resolve("stressed");
        training.train(calm);
        GcStress stress = new GcStress();
        Gradients.withBeforeBackward(stress, () -> {
            try {
                return training.train(stressed);
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });
        assertTrue(stress.calls() >= 3, "the stress preceded every step's backward pass: " + stress.calls());
        Map<String, Tensor> a = Safetensors.read(calm.resolve(Checkpoints.WEIGHTS));
        Map<String, Tensor> b = Safetensors.read(stressed.resolve(Checkpoints.WEIGHTS));
        assertEquals(a.keySet(), b.keySet());
        for (String key : a.keySet()) {
            assertEquals(a.get(key), b.get(key), "weights " + key + " changed by a garbage collection during training");
        }
    }
}
