package org.vitbench.metrics.localisation;

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
import org.junit.jupiter.api.Test;
import org.vitbench.api.ConfigurationException;
import org.vitbench.api.Context;
import org.vitbench.api.Direction;
import org.vitbench.api.Heatmaps;
import org.vitbench.api.ModelInfo;
import org.vitbench.api.Parameters;
import org.vitbench.api.Requirement;
import org.vitbench.api.Sample;
import org.vitbench.api.contract.FakeVitModel;

/** Localisation AUC on hand-built maps and against the reference values of {@code auc_reference.py}. */
class LocalisationAucTest {

    private static final double EXACT = 1e-12;

    private static final ModelInfo GRID2 = FakeVitModel.info(2, 2, 1, 1, 2);

    @Test
    void theObjectRankedAboveTheRestScoresOneAndTiesCountHalf() {
        float[] mask = {1, 1, 0, 0};
        assertEquals(1, LocalisationAuc.auc(new float[] {3f, 2f, 1f, 0f}, mask), EXACT);
        assertEquals(0, LocalisationAuc.auc(new float[] {0f, 1f, 2f, 3f}, mask), EXACT);
        assertEquals(0.5, LocalisationAuc.auc(new float[] {1f, 1f, 1f, 1f}, mask), EXACT, "all tied");
        // object 2 and 0 against background 1 and 0: pairs (2,1) 1, (2,0) 1, (0,1) 0, (0,0) 1/2
        assertEquals(2.5 / 4, LocalisationAuc.auc(new float[] {2f, 0f, 1f, 0f}, mask), EXACT);
        assertEquals(0.5, LocalisationAuc.auc(new float[] {-0f, 0f, 0f, -0f}, mask), EXACT, "-0 and 0 tie");
        // signed, as Quantus: a strongly negative object pixel ranks below the background
        assertEquals(0.5, LocalisationAuc.auc(new float[] {5f, -5f, 1f, 1f}, mask), EXACT);
    }

    @Test
    void edgeCases() {
        assertTrue(Double.isNaN(LocalisationAuc.auc(new float[] {1f, 2f, 3f, 4f}, new float[4])), "empty mask");
        assertTrue(Double.isNaN(LocalisationAuc.auc(new float[] {1f, 2f, 3f, 4f}, new float[] {1, 1, 1, 1})),
                "a mask over every pixel leaves no background");
        assertEquals(1, LocalisationAuc.auc(new float[] {1f, 0f, 0f, 0f}, new float[] {0.2f, 0, 0, 0}), EXACT,
                "soft mask values count as object");
        assertThrows(IllegalArgumentException.class, () -> LocalisationAuc.auc(new float[3], new float[4]));
    }

    @Test
    void matchesTheRocCurveAreaOfTheReferenceScript() throws IOException {
        String text;
        try (InputStream in = LocalisationAucTest.class.getResourceAsStream("/localisation/auc_reference.txt")) {
            text = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
        int cases = 0;
        for (String line : text.split("\n")) {
            if (line.isBlank() || line.startsWith("#")) {
                continue;
            }
            String[] parts = line.split("\\|");
            float[] map = floats(parts[0]);
            float[] mask = floats(parts[1]);
            assertEquals(Double.parseDouble(parts[2].strip()), LocalisationAuc.auc(map, mask), EXACT, line);
            cases++;
        }
        assertEquals(8, cases);
    }

    @Test
    void evaluateScoresTheTargetMapAtPixelResolution() {
        // patch values 1, 3, 0, -2 on a 4 x 4 image; object: pixel 2 (patch 1, value 3) and 8 (patch 2, value 0)
        float[] mask = new float[16];
        mask[2] = 1f;
        mask[8] = 1f;
        // background: 4 pixels of 1, 3 of 3, 3 of 0, 4 of -2 (14 in all); the object's 3 beats 4 + 3 + 4 and
        // ties 3: 11 + 3 / 2 = 12.5; its 0 beats 4 and ties 3: 4 + 3 / 2 = 5.5; (12.5 + 5.5) / (2 x 14)
        try (FakeVitModel model = FakeVitModel.of(GRID2, keep -> new float[] {0f, 0f});
                NDManager manager = model.manager().newSubManager()) {
            List<Sample> plain = FakeVitModel.randomSamples(GRID2, 1, 1L);
            Context context = new Context(model, 1L, manager);
            Heatmaps maps = Heatmaps.of(2, new float[][] {{1f, 3f, 0f, -2f}});
            assertArrayEquals(new double[] {18.0 / 28}, new LocalisationAuc().evaluate(context,
                    List.of(MaskedSamples.withMask(plain.get(0), mask)), new int[1], maps).scores(), EXACT);
            assertEquals(0, model.evaluations());
            ConfigurationException e = assertThrows(ConfigurationException.class,
                    () -> new LocalisationAuc().evaluate(context, plain, new int[1], maps));
            assertTrue(e.getMessage().contains("sample s0 has no ground-truth mask")
                    && e.getMessage().contains("auc"), e.getMessage());
        }
    }

    @Test
    void infoAndParameters() {
        assertEquals(Direction.HIGHER_IS_BETTER, new LocalisationAuc().info().direction());
        assertEquals(java.util.Set.of(Requirement.GROUND_TRUTH_MASK), new LocalisationAuc().info().requirements());
        assertEquals("auc@quantus{}v1", new LocalisationAuc().spec().canonical());
        ConfigurationException e = assertThrows(ConfigurationException.class,
                () -> LocalisationAuc.create(Parameters.of(LocalisationAuc.ID, Map.of("abs", "true"))));
        assertTrue(e.getMessage().contains("abs"), e.getMessage());
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
