package org.vitbench.models.vitshapley;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.vitbench.models.VisionTransformer;
import org.vitbench.models.training.TrainingConfig;
import org.vitbench.models.training.TrainingListener;

/**
 * Training steps leave no native arrays behind: their count after every epoch is the same (the
 * optimiser's temporaries once outlived their step, about 10 arrays per parameter per step).
 */
class NoLeakTest {

    @TempDir
    Path dir;

    @Test
    void explainerTrainingLeavesNoArraysBehind() throws Exception {
        List<Integer> counts = new ArrayList<>();
        try (VisionTransformer surrogate = ExplainerTrainerTest.backbone(11)) {
            TrainingConfig config = new TrainingConfig(3, 16, 1e-3, 1e-5, 1e-5, 0.5, 16, false, 7);
            new ExplainerTrainer(surrogate, ExplainerTrainer.of(surrogate), "checkpoint:path=unused", config, 2, 1, 1.0,
                    new TrainingListener() {
                        @Override
                        public void epoch(int epoch, double trainLoss, double validation, double seconds) {
                            try (ai.djl.ndarray.NDManager probe = ai.djl.ndarray.NDManager.newBaseManager()) {
                                // the engine's root manager holds every base manager's arrays
                                counts.add(probe.getParentManager().getManagedArrays().size());
                            }
                        }
                    }).train(ExplainerTrainerTest.patchLevels(80, 1), dir, Map.of());
        }
        assertEquals(counts.get(1), counts.get(2), "arrays after epochs: " + counts);
    }
}
