package org.vitbench.models;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.vitbench.api.ConfigurationException;
import org.vitbench.api.ForwardTrace;
import org.vitbench.api.Removal;
import org.vitbench.api.TraceOptions;

class VisionTransformerTest {

    private static final long SEED = 7;
    private static VisionTransformer model;
    private static NDManager manager;

    @BeforeAll
    static void setUp() {
        model = TinyVit.create(SEED);
        manager = NDManager.newBaseManager();
    }

    @AfterAll
    static void tearDown() {
        manager.close();
        model.close();
    }

    @Test
    void forwardMatchesTheIndependentReference() {
        VitConfig c = TinyVit.CONFIG;
        Map<String, float[]> w = TinyVit.values(c, SEED, 0.5);
        NDArray images = TinyVit.images(manager, c, 3, 11);
        float[][] got = org.vitbench.api.Batches.rows(model.logits(images));
        float[] pixels = images.toFloatArray();
        int size = c.channels() * c.imageSize() * c.imageSize();
        for (int b = 0; b < 3; b++) {
            float[] image = java.util.Arrays.copyOfRange(pixels, b * size, (b + 1) * size);
            double[] expected = ReferenceVit.logits(c, w, model.config().mean(), model.config().std(), image, null);
            for (int k = 0; k < c.numClasses(); k++) {
                assertEquals(expected[k], got[b][k], 1e-4, "sample " + b + " class " + k);
            }
        }
    }

    @Test
    void attentionMaskingMatchesTheReferenceAndTokenDropping() {
        VitConfig c = TinyVit.CONFIG;
        Map<String, float[]> w = TinyVit.values(c, SEED, 0.5);
        int n = 12;
        NDArray images = TinyVit.images(manager, c, n, 5);
        SplittableRandom random = new SplittableRandom(3);
        float[] keep = new float[n * c.numPatches()];
        for (int i = 0; i < keep.length; i++) {
            keep[i] = random.nextBoolean() ? 1 : 0;
        }
        java.util.Arrays.fill(keep, 0, c.numPatches(), 0f); // row 0: the empty coalition
        java.util.Arrays.fill(keep, c.numPatches(), 2 * c.numPatches(), 1f); // row 1: everything
        NDArray keepArray = manager.create(keep, new Shape(n, c.numPatches()));
        // with gradient recording on, attention masking runs the full sequence with masked keys;
        // without, it runs as token dropping (the same function, less work)
        float[][] masked = RecordingGradients.during(
                () -> org.vitbench.api.Batches.rows(model.logits(images, keepArray, Removal.ATTENTION_MASK)));
        float[][] dropped = org.vitbench.api.Batches.rows(model.logits(images, keepArray, Removal.TOKEN_DROP));
        float[] pixels = images.toFloatArray();
        int size = c.imageSize() * c.imageSize();
        for (int b = 0; b < n; b++) {
            boolean[] kept = new boolean[c.numPatches()];
            for (int i = 0; i < kept.length; i++) {
                kept[i] = keep[b * c.numPatches() + i] != 0;
            }
            double[] expected = ReferenceVit.logits(c, w, model.config().mean(), model.config().std(),
                    java.util.Arrays.copyOfRange(pixels, b * size, (b + 1) * size), kept);
            for (int k = 0; k < c.numClasses(); k++) {
                assertEquals(expected[k], masked[b][k], 1e-4, "attention mask, sample " + b);
                assertEquals(masked[b][k], dropped[b][k], 1e-5, "token drop vs attention mask, sample " + b);
            }
        }
        float[][] full = org.vitbench.api.Batches.rows(model.logits(images));
        assertArrayEquals(full[1], masked[1], 1e-6f, "keeping every patch is the plain forward");
    }

    /**
     * Without gradient recording a forward frees every block's intermediates when the block is
     * done, so its manager ends with the inputs, the key bias and the outputs only; with recording
     * on (a graph may need them) they all stay. The logits are the same bits either way.
     */
    @Test
    void aForwardWithoutGradientsFreesEachBlocksActivations() {
        NDArray images = TinyVit.images(manager, TinyVit.CONFIG, 16, 2);
        float[] keep = new float[16 * TinyVit.CONFIG.numPatches()];
        for (int i = 0; i < keep.length; i++) {
            keep[i] = (i * 7) % 3 == 0 ? 0 : 1;
        }
        for (Removal removal : new Removal[] {null, Removal.ATTENTION_MASK, Removal.TOKEN_DROP}) {
            Left released = leftBehind(images, keep, removal);
            Left kept = RecordingGradients.during(() -> leftBehind(images, keep, removal));
            assertTrue(released.elements() * 4 < kept.elements(), removal + ": " + released.elements()
                    + " float elements left without gradients, " + kept.elements() + " with");
            assertArrayEquals(kept.logits(), released.logits(), removal == Removal.ATTENTION_MASK ? 1e-5f : 0f,
                    removal + ": the same logits either way");
        }
    }

    /**
     * The float elements a forward leaves in its manager, and its logits. Without gradients
     * attention masking runs as token dropping, so its logits agree to float rounding.
     */
    private record Left(long elements, float[] logits) {
    }

    private static Left leftBehind(NDArray images, float[] keep, Removal removal) {
        try (NDManager scope = manager.newSubManager()) {
            NDArray x = scope.create(images.toFloatArray(), images.getShape());
            NDArray k = scope.create(keep, new Shape(images.getShape().get(0), TinyVit.CONFIG.numPatches()));
            float[] logits = (removal == null ? model.logits(x) : model.logits(x, k, removal)).toFloatArray();
            long elements = 0;
            for (NDArray a : scope.getManagedArrays()) {
                elements += a.size();
            }
            return new Left(elements, logits);
        }
    }

    @Test
    void theEmptyCoalitionDoesNotDependOnTheImage() {
        NDArray images = TinyVit.images(manager, TinyVit.CONFIG, 4, 9);
        NDArray none = manager.zeros(new Shape(4, TinyVit.CONFIG.numPatches()));
        float[][] out = org.vitbench.api.Batches.rows(model.logits(images, none, Removal.ATTENTION_MASK));
        for (int b = 1; b < 4; b++) {
            assertArrayEquals(out[0], out[b], 1e-6f);
        }
        float[][] plain = org.vitbench.api.Batches.rows(model.logits(images));
        assertTrue(Math.abs(plain[0][0] - plain[1][0]) > 1e-3, "different images give different logits");
    }

    @Test
    void pixelRemovalWithEveryPatchKeptIsThePlainForward() {
        NDArray images = TinyVit.images(manager, TinyVit.CONFIG, 2, 4);
        NDArray all = manager.ones(new Shape(2, TinyVit.CONFIG.numPatches()));
        float[][] plain = org.vitbench.api.Batches.rows(model.logits(images));
        for (Removal.PixelBaseline b : Removal.PixelBaseline.values()) {
            float[][] kept = org.vitbench.api.Batches.rows(model.logits(images, all, Removal.pixel(b)));
            assertArrayEquals(plain[0], kept[0], 1e-6f, b.name());
        }
        NDArray none = manager.zeros(new Shape(2, TinyVit.CONFIG.numPatches()));
        float[][] zero = org.vitbench.api.Batches.rows(model.logits(images, none, Removal.pixel(Removal.PixelBaseline.ZERO)));
        float[][] black = org.vitbench.api.Batches.rows(model.logits(manager.zeros(images.getShape())));
        assertArrayEquals(black[0], zero[0], 1e-6f, "removing every patch with ZERO is a black image");
    }

    @Test
    void propagationSwitchesLeaveForwardValuesUnchanged() {
        NDArray images = TinyVit.images(manager, TinyVit.CONFIG, 2, 1);
        float[] plain = model.logits(images).toFloatArray();
        TraceOptions all = TraceOptions.NONE.withAttention(true).withTokens(true).withDetachSoftmax(true)
                .withDetachLayerNormStd(true).withDetachLayerNormMean(true).withGeluIdentity(true);
        ForwardTrace trace = model.trace(images, all);
        assertArrayEquals(plain, trace.logits().toFloatArray(), 1e-5f);
        assertEquals(TinyVit.CONFIG.depth(), trace.attention().size());
        assertEquals(TinyVit.CONFIG.depth() + 1, trace.tokens().size());
        assertEquals(new Shape(2, 2, 10, 10), trace.attention().get(0).getShape());
        float[] rowSums = trace.attention().get(1).sum(new int[] {-1}).toFloatArray();
        for (float s : rowSums) {
            assertEquals(1f, s, 1e-5f);
        }
        ForwardTrace split = model.trace(images, TraceOptions.NONE.withAttentionUniformSplit(true));
        assertArrayEquals(plain, split.logits().toFloatArray(), 1e-5f);
    }

    @Test
    void wrongImageShapeNamesTheExpectedShape() {
        NDArray wrong = manager.zeros(new Shape(1, 3, 12, 12));
        ConfigurationException e = assertThrows(ConfigurationException.class, () -> model.logits(wrong));
        assertTrue(e.getMessage().contains("[B, 1, 12, 12]"), e.getMessage());
    }
}
