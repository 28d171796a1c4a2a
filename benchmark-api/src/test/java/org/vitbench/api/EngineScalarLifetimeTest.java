package org.vitbench.api;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import java.util.function.Function;
import org.junit.jupiter.api.Test;
import org.vitbench.api.contract.GcStress;

/**
 * Pins the engine behaviour behind {@link GraphConstants}: on DJL 0.35.1 with PyTorch 2.7.1, the
 * gradient of {@code 0.5 * x} computed with {@code x.mul(0.5)} is wrong when a garbage collection
 * runs between forward and backward, because the scalar's JVM buffer is freed while PyTorch's graph
 * still reads it. If an engine upgrade fixes this, the first test fails: say so in the Javadoc of
 * {@link GraphConstants} and keep the rule (other engines may behave the same).
 */
class EngineScalarLifetimeTest {

    private static final int TRIES = 10;

    @Test
    void aRawJavaScalarInTheGraphIsReadAfterItWasFreed() {
        int wrong = countWrong(x -> x.mul(0.5));
        assertTrue(wrong >= TRIES / 2, "x.mul(0.5) gave the right gradient after a garbage collection in "
                + (TRIES - wrong) + " of " + TRIES + " tries: the engine now keeps Java scalars alive for the "
                + "backward pass; update GraphConstants' Javadoc and this test");
    }

    @Test
    void anEngineOwnedConstantSurvivesTheCollection() {
        assertEquals(0, countWrong(x -> GraphConstants.mul(x, 0.5)), "GraphConstants.mul");
        assertEquals(0, countWrong(x -> GraphConstants.div(x, 2.0)), "GraphConstants.div");
    }

    @Test
    void everyHelperHasTheGradientOfItsFormula() {
        float[] x = {-2f, 0.5f, 3f};
        assertArrayEquals(new float[] {0.5f, 0.5f, 0.5f}, gradient(x, v -> GraphConstants.mul(v, 0.5)), 0f);
        assertArrayEquals(new float[] {0.25f, 0.25f, 0.25f}, gradient(x, v -> GraphConstants.div(v, 4)), 0f);
        assertArrayEquals(new float[] {-4f, 1f, 6f}, gradient(x, v -> GraphConstants.pow(v, 2)), 1e-6f);
        assertArrayEquals(new float[] {0f, 1f, 1f}, gradient(x, v -> GraphConstants.maximum(v, 0)), 0f);
        assertArrayEquals(new float[] {1f, 1f, 0f}, gradient(x, v -> GraphConstants.minimum(v, 1)), 0f);
        assertArrayEquals(new float[] {0f, 1f, 0f}, gradient(x, v -> GraphConstants.clip(v, -1, 1)), 0f);
        assertArrayEquals(new float[] {0.25f, 0.25f, 0.25f}, gradient(x, v -> GraphConstants.scaleGradient(v, 0.25)),
                0f);
        try (NDManager m = NDManager.newBaseManager()) {
            NDArray v = m.create(x);
            assertArrayEquals(x, GraphConstants.scaleGradient(v, 0.25).toFloatArray(), 1e-7f,
                    "scaleGradient leaves the forward value");
            assertEquals(0, GraphConstants.scalar(v, 3).getShape().dimension(), "a 0-d array");
        }
    }

    /** Tries the gradient of {@code sum(f(x))} at x = (1, 2, 3) under a forced collection; counts wrong ones. */
    private static int countWrong(Function<NDArray, NDArray> f) {
        int wrong = 0;
        for (int t = 0; t < TRIES; t++) {
            float[] g = Gradients.withBeforeBackward(new GcStress(), () -> gradient(new float[] {1, 2, 3}, f));
            wrong += g[0] == 0.5f && g[1] == 0.5f && g[2] == 0.5f ? 0 : 1;
        }
        return wrong;
    }

    private static float[] gradient(float[] values, Function<NDArray, NDArray> f) {
        try (NDManager m = NDManager.newBaseManager()) {
            NDArray x = m.create(values);
            x.setRequiresGradient(true);
            return Gradients.compute(collector -> {
                collector.backward(f.apply(x).sum());
                return x.getGradient().toFloatArray();
            });
        }
    }
}
