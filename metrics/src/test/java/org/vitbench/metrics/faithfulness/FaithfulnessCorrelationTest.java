package org.vitbench.metrics.faithfulness;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDManager;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.vitbench.api.ConfigurationException;
import org.vitbench.api.Context;
import org.vitbench.api.Heatmaps;
import org.vitbench.api.Image;
import org.vitbench.api.ModelInfo;
import org.vitbench.api.Parameters;
import org.vitbench.api.Preprocessing;
import org.vitbench.api.Sample;
import org.vitbench.api.contract.FakeVitModel;

/** Faithfulness correlation against {@code faithfulness_correlation_reference.py}, and its seeding and caching. */
class FaithfulnessCorrelationTest {

    /** Three channels, 8 x 8 pixels, 2 x 2 patches, 3 classes: the reference script's shapes. */
    private static final ModelInfo RGB8 = new ModelInfo("fake-vit", 3, 8, 2, 1, 1, 8, List.of("c0", "c1", "c2"),
            new Preprocessing(new float[] {0f, 0f, 0f}, new float[] {1f, 1f, 1f}, "bilinear"));

    @Test
    void matchesQuantusOnALinearModelWithTheScriptsSubsets() throws IOException {
        String text;
        try (InputStream in = getClass().getResourceAsStream("/faithfulness/faithfulness_correlation_reference.txt")) {
            text = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
        int cases = 0;
        for (String line : text.split("\n")) {
            if (line.isBlank() || line.startsWith("#")) {
                continue;
            }
            String[] parts = line.split("\\|");
            float[] image = floats(parts[0]);
            float[] map = floats(parts[1]);
            float[][] w = java.util.Arrays.stream(parts[2].strip().split(";")).map(FaithfulnessCorrelationTest::floats)
                    .toArray(float[][]::new);
            int target = Integer.parseInt(parts[3].strip());
            int[][] subsets = java.util.Arrays.stream(parts[4].strip().split(";"))
                    .map(g -> java.util.Arrays.stream(g.split(",")).mapToInt(Integer::parseInt).toArray())
                    .toArray(int[][]::new);
            double expected = Double.parseDouble(parts[5].strip());
            try (FakeVitModel model = new FakeVitModel(RGB8, (pixels, keep) -> linear(w, pixels), null);
                    NDManager manager = model.manager().newSubManager()) {
                Context context = new Context(model, 1L, manager);
                Sample sample = new Sample("s", -1, new Image(3, 8, 8, image));
                FaithfulnessCorrelation metric = FaithfulnessCorrelation.create(Parameters.of(FaithfulnessCorrelation.ID,
                        Map.of("runs", Integer.toString(subsets.length), "subsetSize", "10")));
                double[] deltas = metric.deltas(context, sample, target, subsets);
                assertEquals(expected, FaithfulnessCorrelation.correlation(map, subsets, deltas), 1e-4,
                        "reference case " + cases);
            }
            cases++;
        }
        assertEquals(6, cases);
    }

    @Test
    void everyMethodOfASampleSeesTheSameSubsetsAndTheModelRunsOncePerSample() {
        ModelInfo info = FakeVitModel.info(4, 2, 1, 1, 2);
        float[] w = new float[64];
        IntStream.range(0, 64).forEach(i -> w[i] = (i % 7) - 3f);
        java.util.concurrent.atomic.AtomicInteger images = new java.util.concurrent.atomic.AtomicInteger();
        try (FakeVitModel model = new FakeVitModel(info, (pixels, keep) -> {
            images.incrementAndGet();
            return linear(new float[][] {w, w}, pixels);
        }, null);
                NDManager manager = model.manager().newSubManager()) {
            Context context = new Context(model, 7L, manager);
            List<Sample> samples = FakeVitModel.randomSamples(info, 2, 5L);
            FaithfulnessCorrelation metric = FaithfulnessCorrelation.create(Parameters.of(FaithfulnessCorrelation.ID,
                    Map.of("runs", "20", "subsetSize", "8", "batchSize", "6")));
            float[] patchEffect = new float[16]; // the model's per-patch weight: a faithful map
            for (int p = 0; p < 64; p++) {
                patchEffect[(p / 8 / 2) * 4 + (p % 8) / 2] += w[p];
            }
            Heatmaps faithful = Heatmaps.of(4, new float[][] {patchEffect, patchEffect});
            double[] first = metric.evaluate(context, samples, new int[] {0, 1}, faithful).scores();
            long calls = images.get();
            assertEquals(2 * 21, calls, "runs + 1 images per sample");
            double[] again = metric.evaluate(context, samples, new int[] {0, 1}, faithful).scores();
            assertArrayEquals(first, again, 0.0);
            assertEquals(calls, images.get(), "the deltas are cached per sample");
            // a per-pixel effect map beats a constant one (undefined correlation, 0)
            for (double s : first) {
                assertTrue(s > 0.3, "faithful map scores " + s);
            }
            assertArrayEquals(new double[] {0, 0}, metric.evaluate(context, samples, new int[] {0, 1},
                    Heatmaps.of(4, new float[][] {new float[16], new float[16]})).scores(), 0.0);
            ConfigurationException e = assertThrows(ConfigurationException.class,
                    () -> new FaithfulnessCorrelation().evaluate(context, samples, new int[] {0, 1}, faithful));
            assertTrue(e.getMessage().contains("subsetSize=224 is not below the 64 pixels"), e.getMessage());
        }
    }

    @Test
    void specAndParameters() {
        assertEquals("faithfulness-correlation@quantus{baseline=black;runs=100;subsetSize=224;}v1",
                new FaithfulnessCorrelation().spec().canonical());
        assertEquals(new FaithfulnessCorrelation().spec(), FaithfulnessCorrelation.create(Parameters.of(
                FaithfulnessCorrelation.ID, Map.of("batchSize", "3"))).spec(), "batchSize is outside the spec");
        assertThrows(ConfigurationException.class, () -> FaithfulnessCorrelation.create(Parameters.of(
                FaithfulnessCorrelation.ID, Map.of("baseline", "random"))));
    }

    private static float[] linear(float[][] w, float[] pixels) {
        float[] out = new float[w.length];
        for (int k = 0; k < w.length; k++) {
            double sum = 0;
            for (int i = 0; i < pixels.length; i++) {
                sum += (double) w[k][i] * pixels[i];
            }
            out[k] = (float) sum;
        }
        return out;
    }

    private static float[] floats(String csv) {
        String[] items = csv.strip().split(",");
        float[] out = new float[items.length];
        for (int i = 0; i < items.length; i++) {
            out[i] = Float.parseFloat(items[i]);
        }
        return out;
    }
}
