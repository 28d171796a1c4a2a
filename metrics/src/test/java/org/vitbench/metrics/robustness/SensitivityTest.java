package org.vitbench.metrics.robustness;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDManager;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.vitbench.api.Context;
import org.vitbench.api.Heatmaps;
import org.vitbench.api.Image;
import org.vitbench.api.Metric;
import org.vitbench.api.ModelInfo;
import org.vitbench.api.Parameters;
import org.vitbench.api.Preprocessing;
import org.vitbench.api.Sample;
import org.vitbench.api.contract.FakeVitModel;

/** Max- and avg-sensitivity against {@code sensitivity_reference.py}, their presets and their seeding. */
class SensitivityTest {

    /** Three channels, 8 x 8 pixels, 4 x 4 patches, the reference script's normalisation. */
    private static final ModelInfo RGB8 = new ModelInfo("fake-vit", 3, 8, 4, 1, 1, 8, List.of("c0", "c1"),
            new Preprocessing(new float[] {0.4f, 0.5f, 0.3f}, new float[] {0.2f, 0.25f, 0.3f}, "bilinear"));

    @Test
    void matchesQuantusWithTheScriptsNoise() throws IOException {
        String text;
        try (InputStream in = getClass().getResourceAsStream("/robustness/sensitivity_reference.txt")) {
            text = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
        Map<String, Sensitivity> metrics = Map.of("sensitivity", (Sensitivity) new MaxSensitivity(),
                "lipschitz", (Sensitivity) new LocalLipschitz());
        SquaredPatchSums explainer = new SquaredPatchSums();
        Map<String, Integer> cases = new java.util.TreeMap<>();
        for (String line : text.split("\n")) {
            if (line.isBlank() || line.startsWith("#")) {
                continue;
            }
            String[] parts = line.split("\\|");
            String kind = parts[0].strip();
            float[] image = floats(parts[1]);
            float[][] noise = Arrays.stream(parts[2].strip().split(";")).map(SensitivityTest::floats)
                    .toArray(float[][]::new);
            double[] expected = doubles(parts[3]);
            String where = kind + " case " + cases.getOrDefault(kind, 0);
            try (FakeVitModel model = new FakeVitModel(RGB8, (pixels, keep) -> new float[2], null);
                    NDManager manager = model.manager().newSubManager()) {
                Context context = new Context(model, 1L, manager);
                Sample sample = new Sample("s", -1, new Image(3, 8, 8, image));
                float[] original = explainer.explain(context, List.of(sample), new int[] {0}).target()[0];
                Context.Explained explained = new Context.Explained(explainer, model);
                java.util.Iterator<float[]> rows = Arrays.asList(noise).iterator();
                double[] values = metrics.get(kind).changes(context, explained, sample, 0, original, noise.length,
                        rows::next, 2);
                for (int j = 0; j < expected.length; j++) {
                    assertEquals(expected[j], values[j], 1e-4 * expected[j], where + ", copy " + j);
                }
                assertEquals(Double.parseDouble(parts[4].strip()), Sensitivity.score(values, Sensitivity.Aggregate.MAX),
                        1e-4 * expected[0], "max, " + where);
                assertEquals(Double.parseDouble(parts[5].strip()),
                        Sensitivity.score(values, Sensitivity.Aggregate.MEAN), 1e-4 * expected[0], "mean, " + where);
            }
            cases.merge(kind, 1, Integer::sum);
        }
        assertEquals(Map.of("lipschitz", 4, "sensitivity", 4), cases);
    }

    @Test
    void theLipschitzNoiseIsGaussianWithTheGivenStd() {
        float[][] noise = rows(Sensitivity.noise(5L, Sensitivity.Kind.LIPSCHITZ, 0.1, 400), 50);
        double sum = 0;
        double squares = 0;
        for (float[] row : noise) {
            for (float u : row) {
                sum += u;
                squares += u * u;
            }
        }
        int n = 50 * 400;
        assertEquals(0, sum / n, 0.005, "mean 0: 5 standard errors are 0.0035");
        assertEquals(0.1, Math.sqrt(squares / n), 0.002, "std 0.1");
        float[][] uniform = rows(Sensitivity.noise(5L, Sensitivity.Kind.SENSITIVITY, 0.2, 400), 50);
        assertTrue(Arrays.stream(uniform).allMatch(r -> {
            for (float u : r) {
                if (Math.abs(u) > 0.2f) {
                    return false;
                }
            }
            return true;
        }), "uniform noise stays in [-radius, radius]");
    }

    @Test
    void theNoiseIsOnTheNormalisedInput() {
        Sample sample = new Sample("s", 3, new Image(3, 8, 8, new float[192]), null);
        float[] noise = new float[192];
        Arrays.fill(noise, 0.1f);
        float[] px = Sensitivity.perturbed(sample, noise, RGB8, "s#copy").image().pixels();
        assertEquals(0.1f * 0.2f, px[0], 1e-9, "channel 0: noise times std 0.2");
        assertEquals(0.1f * 0.25f, px[64], 1e-9);
        assertEquals(0.1f * 0.3f, px[191], 1e-9);
        assertEquals(0f, sample.image().pixels()[0], "the sample is not changed");
    }

    @Test
    void anAllZeroMapDividesByOneAsCaptumDoes() {
        assertEquals(5, Sensitivity.relativeChange(new float[] {0, 0}, new float[] {3, 4}), 1e-12);
        assertEquals(0.5, Sensitivity.relativeChange(new float[] {3, 4}, new float[] {3, 6.5f}), 1e-7);
        assertEquals(3, Sensitivity.score(new double[] {1, 3, 2}, Sensitivity.Aggregate.MAX));
        assertEquals(2, Sensitivity.score(new double[] {1, 3, 2}, Sensitivity.Aggregate.MEAN));
    }

    @Test
    void presetsCarryTheReferencesDefaultsIntoTheSpec() {
        Metric quantus = new MaxSensitivity();
        Metric captum = MaxSensitivity.DECLARATION.create(Parameters.of(MaxSensitivity.ID, Map.of("preset", "captum")));
        assertEquals("quantus", quantus.spec().preset());
        assertEquals(Map.of("radius", "0.2", "samples", "200"), quantus.spec().parameters());
        assertEquals(Map.of("radius", "0.02", "samples", "10"), captum.spec().parameters());
        assertNotEquals(new MaxSensitivity().spec().hash(), new AvgSensitivity().spec().hash());
        assertTrue(quantus.info().requirements().contains(org.vitbench.api.Requirement.REEXPLAINS),
                "it explains again, so it stays out of the default run");
        Metric lipschitz = new LocalLipschitz();
        assertEquals(Map.of("samples", "200", "std", "0.1"), lipschitz.spec().parameters());
        assertEquals(List.of("quantus"), lipschitz.info().presets());
        assertTrue(lipschitz.info().requirements().contains(org.vitbench.api.Requirement.REEXPLAINS));
    }

    @Test
    void everyCopyIsExplainedAsASampleOfItsOwnAndTheNoiseFollowsTheRunSeed() {
        SquaredPatchSums explainer = new SquaredPatchSums();
        Metric metric = AvgSensitivity.DECLARATION.create(Parameters.of(AvgSensitivity.ID,
                Map.of("samples", "5", "batchSize", "2")));
        try (FakeVitModel model = new FakeVitModel(RGB8, (pixels, keep) -> new float[2], null);
                NDManager manager = model.manager().newSubManager()) {
            List<Sample> batch = FakeVitModel.randomSamples(RGB8, 2, 4L);
            Heatmaps maps = explainer.explain(new Context(model, 1L, manager), batch, new int[] {0, 1});
            explainer.ids.clear();
            double[] a = metric.evaluate(new Context(model, 1L, manager).withExplained(explainer, model), batch,
                    new int[] {0, 1}, maps).scores();
            assertEquals(10, explainer.ids.size(), "5 copies per sample");
            assertEquals(10, explainer.ids.stream().distinct().count(), "each copy has its own id: " + explainer.ids);
            assertTrue(explainer.ids.contains(batch.get(0).id() + "#avg-sensitivity-4"), explainer.ids.toString());
            double[] again = metric.evaluate(new Context(model, 1L, manager).withExplained(explainer, model), batch,
                    new int[] {0, 1}, maps).scores();
            double[] otherSeed = metric.evaluate(new Context(model, 2L, manager).withExplained(explainer, model), batch,
                    new int[] {0, 1}, maps).scores();
            assertEquals(Arrays.toString(a), Arrays.toString(again));
            assertNotEquals(a[0], otherSeed[0]);
            assertTrue(a[0] > 0 && a[1] > 0);
        }
    }

    private static float[][] rows(java.util.function.Supplier<float[]> noise, int n) {
        float[][] out = new float[n][];
        for (int j = 0; j < n; j++) {
            out[j] = noise.get();
        }
        return out;
    }

    private static float[] floats(String csv) {
        String[] parts = csv.strip().split(",");
        float[] out = new float[parts.length];
        for (int i = 0; i < parts.length; i++) {
            out[i] = Float.parseFloat(parts[i]);
        }
        return out;
    }

    private static double[] doubles(String csv) {
        return Arrays.stream(csv.strip().split(",")).mapToDouble(Double::parseDouble).toArray();
    }
}
