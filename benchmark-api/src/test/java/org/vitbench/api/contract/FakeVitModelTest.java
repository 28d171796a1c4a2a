package org.vitbench.api.contract;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.vitbench.api.Batches;
import org.vitbench.api.ForwardTrace;
import org.vitbench.api.ModelInfo;
import org.vitbench.api.Removal;
import org.vitbench.api.Sample;
import org.vitbench.api.TraceOptions;

class FakeVitModelTest {

    private static final ModelInfo INFO = FakeVitModel.info(2, 2, 1, 1, 3);

    /** Logits (kept count, patch-0 kept, mean pixel of patch 3). */
    private static float[] logits(float[] image, float[] keep) {
        float kept = keep[0] + keep[1] + keep[2] + keep[3];
        return new float[] {kept, keep[0], FakeVitModel.patchMeans(INFO, image)[3]};
    }

    @Test
    void maskedLogitsFollowTheFunctionAndLiveOnTheInputManager() {
        try (FakeVitModel model = new FakeVitModel(INFO, FakeVitModelTest::logits, null);
                NDManager scope = model.manager().newSubManager()) {
            List<Sample> samples = FakeVitModel.randomSamples(INFO, 2, 7L);
            NDArray images = Batches.images(scope, samples, INFO);
            NDArray keep = scope.create(new float[] {1, 0, 1, 0, 0, 0, 0, 3}, new Shape(2, 4));
            NDArray out = model.logits(images, keep, Removal.TOKEN_DROP);
            assertSame(scope, out.getManager());
            float mean3 = FakeVitModel.patchMeans(INFO, samples.get(1).image().pixels())[3];
            assertArrayEquals(new float[] {2, 1, FakeVitModel.patchMeans(INFO, samples.get(0).image().pixels())[3],
                1, 0, mean3}, out.toFloatArray(), 0f);
            assertEquals(Removal.TOKEN_DROP, model.lastRemoval());
            assertEquals(2, model.evaluations());
            assertEquals(2, model.largestBatch());
            assertArrayEquals(new float[] {4, 1, mean3}, model.logits(images).get(1).toFloatArray(), 0f);
        }
    }

    @Test
    void patchMeansAverageEachPatch() {
        // 4x4 image, 2x2 patches: pixel value = patch index + 0.1 * (position in patch)
        float[] image = new float[16];
        for (int y = 0; y < 4; y++) {
            for (int x = 0; x < 4; x++) {
                image[y * 4 + x] = (y / 2) * 2 + x / 2 + 0.1f * ((y % 2) * 2 + x % 2);
            }
        }
        assertArrayEquals(new float[] {0.15f, 1.15f, 2.15f, 3.15f}, FakeVitModel.patchMeans(INFO, image), 1e-6f);
    }

    @Test
    void traceReturnsFixedAttentionPerImage() {
        float[][][][] attention = new float[1][1][5][5];
        for (int i = 0; i < 5; i++) {
            attention[0][0][i][(i + 1) % 5] = 1f;
        }
        try (FakeVitModel model = FakeVitModel.of(INFO, keep -> new float[3], attention);
                NDManager scope = model.manager().newSubManager()) {
            NDArray images = Batches.images(scope, FakeVitModel.randomSamples(INFO, 3, 1L), INFO);
            ForwardTrace trace = model.trace(images, TraceOptions.NONE.withAttention(true));
            assertEquals(1, trace.attention().size());
            NDArray a = trace.attention().get(0);
            assertEquals(new Shape(3, 1, 5, 5), a.getShape());
            assertSame(scope, a.getManager());
            assertEquals(1f, a.get("2, 0, 4, 0").getFloat(), 0f);
            assertEquals(new Shape(3, 3), trace.logits().getShape());
            assertThrows(UnsupportedOperationException.class,
                    () -> model.trace(images, TraceOptions.NONE.withTokens(true)));
        }
    }
}
