package org.vitbench.models.training;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.vitbench.api.ConfigurationException;
import org.vitbench.api.Dataset;
import org.vitbench.api.Image;
import org.vitbench.api.Sample;
import org.vitbench.models.ModelConfig;
import org.vitbench.models.TinyVit;
import org.vitbench.models.VitConfig;
import org.vitbench.models.checkpoint.Safetensors;
import org.vitbench.models.checkpoint.Tensor;

public class ClassifierTrainerTest {

    private static final VitConfig ARCH = VitConfig.of(12, 4, 1, 16, 1, 2, 2.0, 3);
    private static final TrainingConfig CONFIG = new TrainingConfig(3, 16, 3e-3, 1e-5, 0.05, 0.5, 24, true, 4);

    @TempDir
    Path dir;

    /** Class k: the k-th horizontal band of the image is bright, plus noise. */
    public static Dataset bands(int n, long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        List<Sample> samples = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            int label = i % 3;
            float[] p = new float[144];
            for (int j = 0; j < p.length; j++) {
                int row = j / 12;
                p[j] = (float) ((row / 4 == label ? 0.7 : 0.1) + 0.2 * random.nextDouble());
            }
            samples.add(new Sample("bands/" + i, label, new Image(1, 12, 12, p)));
        }
        return new Dataset() {
            @Override
            public String name() {
                return "bands";
            }

            @Override
            public List<String> classNames() {
                return List.of("top", "middle", "bottom");
            }

            @Override
            public int size() {
                return samples.size();
            }

            @Override
            public Sample get(int index) {
                return samples.get(index);
            }
        };
    }

    private static ModelConfig model() {
        return TinyVit.config(ARCH);
    }

    @Test
    void learnsAnEasyTaskAndKeepsTheBestModel() throws Exception {
        List<Double> losses = new ArrayList<>();
        TrainingLoop.State state = new ClassifierTrainer(model(), CONFIG.withEpochs(12), new TrainingListener() {
            @Override
            public void epoch(int epoch, double trainLoss, double validationAccuracy, double seconds) {
                losses.add(trainLoss);
            }
        }).train(bands(150, 1), dir);
        assertEquals(12, state.epochsDone());
        assertTrue(losses.get(11) < losses.get(0), "training loss falls: " + losses);
        assertTrue(state.bestScore() >= 0.9, "an easy task is learned: " + state.bestScore());
        assertEquals(state.bestScore(), ((Number) org.vitbench.models.Checkpoints
                .readConfig(dir.resolve("config.json")).provenance().get("validationAccuracy")).doubleValue());
    }

    @Test
    void aResumedRunEndsWithTheSameWeightsAsAnUninterruptedOne() throws Exception {
        Path straight = dir.resolve("straight");
        Path resumed = dir.resolve("resumed");
        new ClassifierTrainer(model(), CONFIG, TrainingListener.NONE).train(bands(60, 2), straight);
        TrainingListener crashAfterFirstEpoch = new TrainingListener() {
            @Override
            public void epoch(int epoch, double trainLoss, double validationAccuracy, double seconds) {
                throw new IllegalStateException("simulated kill after epoch " + epoch);
            }
        };
        assertThrows(IllegalStateException.class,
                () -> new ClassifierTrainer(model(), CONFIG, crashAfterFirstEpoch).train(bands(60, 2), resumed));
        List<String> messages = new ArrayList<>();
        TrainingLoop.State state = new ClassifierTrainer(model(), CONFIG, new TrainingListener() {
            @Override
            public void message(String text) {
                messages.add(text);
            }
        }).train(bands(60, 2), resumed);
        assertEquals(List.of("resuming after epoch 1 of 3"), messages);
        assertEquals(3, state.epochsDone());
        Map<String, Tensor> a = Safetensors.read(straight.resolve("training/state.safetensors"));
        Map<String, Tensor> b = Safetensors.read(resumed.resolve("training/state.safetensors"));
        assertEquals(a.keySet(), b.keySet());
        for (String key : a.keySet()) {
            assertArrayEquals(a.get(key).values(), b.get(key).values(), 1e-6f, key);
        }
    }

    @Test
    void aDirectoryWithAnotherRunIsRefused() throws Exception {
        new ClassifierTrainer(model(), CONFIG.withEpochs(1), TrainingListener.NONE).train(bands(60, 2), dir);
        ConfigurationException e = assertThrows(ConfigurationException.class,
                () -> new ClassifierTrainer(model(), CONFIG.withEpochs(2).withSeed(9), TrainingListener.NONE)
                        .train(bands(60, 2), dir));
        assertTrue(e.getMessage().contains("another config"), e.getMessage());
    }

    @Test
    void cosineScheduleWarmsUpThenDecaysToTheMinimum() {
        CosineSchedule s = new CosineSchedule(1.0, 0.1, 10, 110);
        assertEquals(0.1, s.at(1), 1e-12);
        assertEquals(1.0, s.at(10), 1e-12);
        assertEquals(0.55, s.at(60), 1e-12);
        assertEquals(0.1, s.at(110), 1e-12);
    }
}
