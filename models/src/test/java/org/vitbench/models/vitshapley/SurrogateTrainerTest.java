package org.vitbench.models.vitshapley;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.apache.commons.math3.distribution.ChiSquaredDistribution;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.vitbench.api.Dataset;
import org.vitbench.models.Checkpoints;
import org.vitbench.models.VisionTransformer;
import org.vitbench.models.training.TrainingConfig;
import org.vitbench.models.training.TrainingListener;
import org.vitbench.models.training.TrainingLoop;

class SurrogateTrainerTest {

    @TempDir
    Path dir;

    @Test
    void keptCountsAreUniformAndSubsetsHaveThatSize() {
        int p = 9;
        int draws = 50_000;
        long[] counts = new long[p + 1];
        SplittableRandom random = new SplittableRandom(17);
        for (int t = 0; t < draws; t++) {
            float[] keep = SurrogateTrainer.uniformSizeMask(p, random);
            int k = 0;
            for (float v : keep) {
                k += v != 0 ? 1 : 0;
            }
            counts[k]++;
        }
        double expected = draws / (double) (p + 1);
        double chi = 0;
        for (long c : counts) {
            chi += (c - expected) * (c - expected) / expected;
        }
        double pValue = 1 - new ChiSquaredDistribution(p).cumulativeProbability(chi);
        assertTrue(pValue > 0.01, "kept counts uniform on 0..P: chi2 " + chi + ", p " + pValue);
    }

    @Test
    void fineTuningLowersTheMaskedKlAndRecordsTheClassifier() throws Exception {
        Dataset data = ExplainerTrainerTest.patchLevels(320, 5);
        TrainingConfig config = new TrainingConfig(4, 32, 3e-3, 1e-5, 1e-5, 0.5, 64, false, 3);
        List<Double> kl = new java.util.ArrayList<>();
        try (VisionTransformer classifier = ExplainerTrainerTest.backbone(21)) {
            TrainingLoop.State state = new SurrogateTrainer(classifier, config, 1.0, new TrainingListener() {
                @Override
                public void epoch(int epoch, double trainLoss, double validation, double seconds) {
                    kl.add(validation);
                }
            }).train(data, dir, Map.of("seed", 3));
            assertEquals(4, kl.size());
            assertTrue(kl.get(3) < 0.7 * kl.get(0), "validation KL falls: " + kl);
            assertEquals(kl.stream().mapToDouble(Double::doubleValue).min().orElseThrow(), state.bestScore());
            try (VisionTransformer surrogate = Checkpoints.load(dir)) {
                assertEquals("tiny-vit-surrogate", surrogate.config().name());
                Object recorded = surrogate.config().provenance().get("classifier");
                assertEquals(Map.of("name", "tiny-vit", "fingerprint", classifier.fingerprint()), recorded);
            }
        }
    }
}
