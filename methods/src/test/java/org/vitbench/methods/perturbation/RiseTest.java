package org.vitbench.methods.perturbation;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDManager;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.vitbench.api.ConfigurationException;
import org.vitbench.api.Context;
import org.vitbench.api.Heatmaps;
import org.vitbench.api.Image;
import org.vitbench.api.ModelInfo;
import org.vitbench.api.Parameters;
import org.vitbench.api.Sample;
import org.vitbench.api.contract.FakeVitModel;

class RiseTest {

    private static Rise rise(Map<String, String> values) {
        return Rise.create(Parameters.of(Rise.ID, values));
    }

    /** Explains one all-ones image, all classes; {@code [K][P]}. */
    private static float[][] explain(FakeVitModel model, Rise method) {
        int s = model.info().imageSize();
        float[] ones = new float[model.info().channels() * s * s];
        Arrays.fill(ones, 1f);
        Sample sample = new Sample("ones", -1, new Image(model.info().channels(), s, s, ones));
        try (NDManager manager = model.manager().newSubManager()) {
            Heatmaps maps = method.explain(new Context(model, 7L, manager), List.of(sample), new int[] {0});
            return maps.perClass()[0];
        }
    }

    private static int argMax(float[] values) {
        int best = 0;
        for (int i = 1; i < values.length; i++) {
            best = values[i] > values[best] ? i : best;
        }
        return best;
    }

    /** Hand-computed: u = (x + 0.5) * 2 / 4 - 0.5 = -0.25 (clamped), 0.25, 0.75, 1.25 (clamped). */
    @Test
    void bilinearUpsamplingUsesHalfPixelCentresAndClampsAtTheEdges() {
        double[] up = new Bilinear(2, 4).resize(new double[] {0, 1, 2, 3});
        double[] expected = {
            0.0, 0.25, 0.75, 1.0,
            0.5, 0.75, 1.25, 1.5,
            1.5, 1.75, 2.25, 2.5,
            2.0, 2.25, 2.75, 3.0};
        assertArrayEquals(expected, up, 1e-12);
        // 2 -> 3: u = -1/6 (clamped), 1/2, 7/6 (clamped): the middle sample is the midpoint.
        assertArrayEquals(new double[] {0, 0.5, 1, 1, 1.5, 2, 2, 2.5, 3},
                new Bilinear(2, 3).resize(new double[] {0, 1, 2, 3}), 1e-12);
        // 1 -> anything is constant.
        assertArrayEquals(new double[] {5, 5, 5, 5}, new Bilinear(1, 2).resize(new double[] {5}), 0);
    }

    @Test
    void aWindowIsTheCropOfTheFullResize() {
        double[] cells = {0.3, 1, 0, 0.7, 0.2, 1, 1, 0, 0.5};
        Bilinear upsample = new Bilinear(3, 8);
        double[] full = upsample.resize(cells);
        double[] crop = upsample.window(cells, 1, 2, 5);
        for (int y = 0; y < 5; y++) {
            for (int x = 0; x < 5; x++) {
                assertEquals(full[(y + 1) * 8 + x + 2], crop[y * 5 + x], 1e-15, "(" + y + ", " + x + ")");
            }
        }
        assertThrows(IllegalArgumentException.class, () -> upsample.window(cells, 4, 0, 5));
    }

    /**
     * Token mode on a 6 x 6 grid with 3 x 3 cells: the logit is 3 when token 7 is kept, so its
     * saliency is 3 E[z_7] / p = 3 (sampling sd 3 * 0.5 / (0.5 * sqrt(2000)) = 0.067, tolerance
     * 4.5 sd) and the maximum; a far token, nearly independent of token 7, gets about 3 p = 1.5.
     */
    @Test
    void aScoreThatReadsOneTokenPeaksAtThatToken() {
        ModelInfo info = FakeVitModel.info(6, 2, 1, 1, 2);
        try (FakeVitModel model = FakeVitModel.of(info, keep -> new float[] {3 * keep[7], 0f})) {
            float[][] maps = explain(model, rise(Map.of("mode", "token", "cells", "3", "masks", "2000",
                    "output", "logit")));
            assertEquals(7, argMax(maps[0]));
            assertEquals(3.0, maps[0][7], 0.3);
            assertTrue(maps[0][35] < 2.2, "far token " + maps[0][35]);
            assertArrayEquals(new float[36], maps[1], "a constant zero logit has zero saliency");
        }
    }

    /**
     * With cells = the patch grid (ViT Shapley's masks) tokens are independent Bernoulli(p): token
     * 4 gets 3 and every other token 3 p = 1.5 (sd 3 * sqrt(0.25 * 0.75) / (0.5 * sqrt(4000)) =
     * 0.041, tolerance 5 sd). Smoothing would raise the neighbours above 1.5.
     */
    @Test
    void atThePatchGridTheTokenMasksAreIndependentBernoulli() {
        ModelInfo info = FakeVitModel.info(3, 4, 1, 1, 2);
        try (FakeVitModel model = FakeVitModel.of(info, keep -> new float[] {3 * keep[4], 0f})) {
            float[][] maps = explain(model, rise(Map.of("mode", "token", "cells", "0", "masks", "4000",
                    "output", "logit")));
            for (int i = 0; i < 9; i++) {
                assertEquals(i == 4 ? 3.0 : 1.5, maps[0][i], i == 4 ? 0.12 : 0.2, "token " + i);
            }
        }
    }

    /**
     * Pixel mode: the logit is 3 x the mean of the blended pixels of patch 4 (the centre of a 3 x 3
     * grid), the image is all ones and the mean baseline is 0, so the logit reads the mask there.
     * Masks are correlated with themselves most, so the centre patch peaks.
     */
    @Test
    void aScoreThatReadsOneRegionPeaksThere() {
        ModelInfo info = FakeVitModel.info(3, 4, 1, 1, 2);
        try (FakeVitModel model = new FakeVitModel(info, (image, keep) -> {
            double sum = 0;
            for (int y = 4; y < 8; y++) {
                for (int x = 4; x < 8; x++) {
                    sum += image[y * 12 + x];
                }
            }
            return new float[] {(float) (3 * sum / 16), 0f};
        }, null)) {
            float[][] maps = explain(model, rise(Map.of("cells", "3", "masks", "2000", "output", "logit")));
            assertEquals(4, argMax(maps[0]));
            for (int corner : new int[] {0, 2, 6, 8}) {
                assertTrue(maps[0][corner] < maps[0][4] - 0.2, "corner " + corner + ": " + maps[0][corner]
                        + ", centre " + maps[0][4]);
            }
        }
    }

    /**
     * A model with constant probabilities q gets q E[m] / p = q everywhere: the patch means of
     * masks have sd at most 0.5, so the relative error is at most 0.5 / (p sqrt(4000)) = 0.016;
     * the tolerance is 4 of those. Forgetting the 1 / p would be off by a factor of 2.
     */
    @ParameterizedTest
    @ValueSource(strings = {"pixel", "token"})
    void aConstantModelGetsItsProbabilityEverywhere(String mode) {
        ModelInfo info = FakeVitModel.info(3, 4, 1, 1, 2);
        double q = 0.75; // softmax of (0, ln 3)
        try (FakeVitModel model = FakeVitModel.of(info, keep -> new float[] {0f, (float) Math.log(3)})) {
            float[][] maps = explain(model, rise(Map.of("mode", mode, "cells", "2", "masks", "4000")));
            for (int i = 0; i < 9; i++) {
                assertEquals(q, maps[1][i], 4 * 0.016 * q, "class 1, patch " + i);
                assertEquals(1 - q, maps[0][i], 4 * 0.016 * (1 - q), "class 0, patch " + i);
            }
        }
    }

    @Test
    void presetsResolveAndExplicitValuesWin() {
        Map<String, String> petsiuk = rise(Map.of("preset", "petsiuk2018")).parameters().asMap();
        assertEquals("4000", petsiuk.get("masks"));
        assertEquals("7", petsiuk.get("cells"));
        assertEquals("pixel", petsiuk.get("mode"));
        assertEquals("mean", petsiuk.get("baseline"));
        Map<String, String> vitShapley = rise(Map.of("preset", "vit-shapley")).parameters().asMap();
        assertEquals(Map.of("mode", "token", "masks", "2000", "cells", "0", "p", "0.5", "removal", "pixel-mean",
                "output", "probability", "batchSize", "0"), vitShapley);
        assertEquals("64", rise(Map.of("preset", "vit-shapley", "masks", "64")).parameters().asMap().get("masks"));
        assertFalse(rise(Map.of("preset", "vit-shapley")).parameters().has("preset"));
    }

    @Test
    void defaultsAreComplete() {
        assertEquals(Map.of("mode", "pixel", "masks", "1000", "cells", "7", "p", "0.5", "baseline", "mean",
                "output", "probability", "batchSize", "0"), rise(Map.of()).parameters().asMap());
    }

    @Test
    void badParametersAreNamed() {
        ConfigurationException removal = assertThrows(ConfigurationException.class,
                () -> rise(Map.of("removal", "token-drop")));
        assertTrue(removal.getMessage().contains("removal") && removal.getMessage().contains("mode=token"),
                removal.getMessage());
        ConfigurationException baseline = assertThrows(ConfigurationException.class,
                () -> rise(Map.of("mode", "token", "baseline", "zero")));
        assertTrue(baseline.getMessage().contains("baseline") && baseline.getMessage().contains("mode=pixel"),
                baseline.getMessage());
        ConfigurationException p = assertThrows(ConfigurationException.class, () -> rise(Map.of("p", "0")));
        assertTrue(p.getMessage().contains("'p'"), p.getMessage());
        ConfigurationException key = assertThrows(ConfigurationException.class, () -> rise(Map.of("s", "7")));
        assertTrue(key.getMessage().contains("'s'"), key.getMessage());
        ConfigurationException preset = assertThrows(ConfigurationException.class,
                () -> rise(Map.of("preset", "xplique")));
        assertTrue(preset.getMessage().contains("petsiuk2018"), preset.getMessage());
        Map<String, String> tooFine = new HashMap<>(Map.of("mode", "token", "cells", "4"));
        try (FakeVitModel model = FakeVitModel.of(FakeVitModel.info(3, 4, 1, 1, 2), keep -> new float[2])) {
            ConfigurationException cells = assertThrows(ConfigurationException.class,
                    () -> explain(model, rise(tooFine)));
            assertTrue(cells.getMessage().contains("cells 4"), cells.getMessage());
        }
    }
}
