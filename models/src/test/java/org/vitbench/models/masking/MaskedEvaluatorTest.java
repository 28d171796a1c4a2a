package org.vitbench.models.masking;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.vitbench.api.Batches;
import org.vitbench.api.ModelInfo;
import org.vitbench.api.Preprocessing;
import org.vitbench.api.Progress;
import org.vitbench.api.Removal;
import org.vitbench.models.RecordingGradients;
import org.vitbench.models.TinyVit;
import org.vitbench.models.VisionTransformer;
import org.vitbench.models.masking.MaskedEvaluator.Output;

class MaskedEvaluatorTest {

    private static VisionTransformer model;
    private static NDManager manager;
    private static NDArray image;

    @BeforeAll
    static void setUp() {
        model = TinyVit.create(7);
        manager = NDManager.newBaseManager();
        image = TinyVit.images(manager, TinyVit.CONFIG, 1, 11); // [1, 1, 12, 12]
    }

    @AfterAll
    static void tearDown() {
        manager.close();
        model.close();
    }

    private static boolean[][] randomMasks(int m, long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        boolean[][] keep = new boolean[m][9];
        for (boolean[] row : keep) {
            for (int i = 0; i < row.length; i++) {
                row[i] = random.nextBoolean();
            }
        }
        return keep;
    }

    /** Softmax in double of the model's float logits for one mask, evaluated directly. */
    private static double[] directProbabilities(boolean[] keep) {
        try (NDManager scope = manager.newSubManager()) {
            float[] mask = new float[keep.length];
            for (int i = 0; i < keep.length; i++) {
                mask[i] = keep[i] ? 1 : 0;
            }
            NDArray logits = model.logits(scope.create(image.toFloatArray(), image.getShape()),
                    scope.create(mask, new Shape(1, keep.length)), Removal.ATTENTION_MASK);
            return softmax(Batches.rows(logits)[0]);
        }
    }

    private static double[] softmax(float[] logits) {
        double[] p = new double[logits.length];
        double sum = 0;
        for (int i = 0; i < p.length; i++) {
            p[i] = Math.exp(logits[i]);
            sum += p[i];
        }
        for (int i = 0; i < p.length; i++) {
            p[i] /= sum;
        }
        return p;
    }

    @Test
    void exactShapleyOfTheTinyVitIsEfficientForEveryClass() {
        MaskedEvaluator evaluator = new MaskedEvaluator(Removal.ATTENTION_MASK, 64);
        double[][] phi = ExactShapley.of(evaluator, model, image, Output.PROBABILITIES);
        double[] full = directProbabilities(new boolean[] {true, true, true, true, true, true, true, true, true});
        double[] empty = directProbabilities(new boolean[9]);
        assertEquals(3, phi.length);
        double spread = 0;
        for (int k = 0; k < 3; k++) {
            assertEquals(9, phi[k].length);
            double sum = 0;
            for (double p : phi[k]) {
                sum += p;
                spread = Math.max(spread, Math.abs(p));
            }
            assertEquals(full[k] - empty[k], sum, 1e-5, "class " + k);
        }
        assertTrue(spread > 1e-3, "the test game must not be trivial, max |phi| = " + spread);
    }

    @Test
    void allOnesMaskEqualsTheUnmaskedSoftmax() {
        boolean[][] keep = new boolean[1][9];
        java.util.Arrays.fill(keep[0], true);
        double[] got = new MaskedEvaluator(Removal.ATTENTION_MASK, 4)
                .evaluate(model, image, keep, Output.PROBABILITIES)[0];
        double[] expected;
        try (NDManager scope = manager.newSubManager()) {
            expected = softmax(Batches.rows(model.logits(scope.create(image.toFloatArray(), image.getShape())))[0]);
        }
        assertArrayEquals(expected, got, 1e-6);
        double[] target = new MaskedEvaluator(Removal.ATTENTION_MASK, 4)
                .evaluate(model, image, keep, Output.TARGET_PROBABILITY, 2, (d, t) -> { })[0];
        assertArrayEquals(new double[] {expected[2]}, target, 1e-6);
    }

    @Test
    void resultsDoNotDependOnBatchSize() {
        boolean[][] keep = randomMasks(16, 5);
        for (Removal removal : List.of(Removal.ATTENTION_MASK, Removal.TOKEN_DROP)) {
            // one-mask forwards are slow on the engine, so batch size 1 runs once, for logits
            double[][] logits = new MaskedEvaluator(removal, 1).evaluate(model, image, keep, Output.LOGITS);
            double[][] probabilities = new double[keep.length][];
            for (int m = 0; m < keep.length; m++) {
                probabilities[m] = logits[m].clone();
                MaskedEvaluator.softmaxInPlace(probabilities[m]);
            }
            for (Output output : List.of(Output.LOGITS, Output.PROBABILITIES)) {
                double[][] reference = output == Output.LOGITS ? logits : probabilities;
                for (int batch : new int[] {7, 64}) {
                    double[][] got = new MaskedEvaluator(removal, batch).evaluate(model, image, keep, output);
                    for (int m = 0; m < keep.length; m++) {
                        for (int k = 0; k < got[m].length; k++) {
                            // float32 GEMM takes another kernel path for one row than for several:
                            // logits differ by up to 10 ulps (1.2e-6 at |logit| = 1.77 measured), so
                            // logits get 2e-6 relative; probabilities the absolute 1e-6 asked for
                            double tolerance = output == Output.LOGITS
                                    ? 2e-6 * Math.max(1, Math.abs(reference[m][k])) : 1e-6;
                            assertEquals(reference[m][k], got[m][k], tolerance,
                                    removal.id() + " " + output + " batch " + batch + " mask " + m + " class " + k);
                        }
                    }
                }
            }
        }
    }

    @Test
    void tokenDropReturnsRowsInTheCallersOrder() {
        // token dropping evaluates masks sorted by kept count; for a ViT it equals attention masking
        boolean[][] keep = randomMasks(30, 9);
        double[][] drop = new MaskedEvaluator(Removal.TOKEN_DROP, 8).evaluate(model, image, keep, Output.LOGITS);
        double[][] mask = new MaskedEvaluator(Removal.ATTENTION_MASK, 8).evaluate(model, image, keep, Output.LOGITS);
        for (int m = 0; m < keep.length; m++) {
            assertArrayEquals(mask[m], drop[m], 1e-4, "mask " + m);
        }
    }

    @Test
    void evaluateLeavesNoArraysBehind() {
        int before = manager.getManagedArrays().size();
        int modelBefore = model.manager().getManagedArrays().size();
        for (Removal removal : List.of(Removal.ATTENTION_MASK, Removal.TOKEN_DROP, Removal.pixel(Removal.PixelBaseline.MEAN))) {
            new MaskedEvaluator(removal, 7).evaluate(model, image, randomMasks(20, 1), Output.PROBABILITIES);
        }
        assertEquals(before, manager.getManagedArrays().size(), "image manager");
        assertEquals(modelBefore, model.manager().getManagedArrays().size(), "model manager");
    }

    @Test
    void progressIsReportedPerChunk() {
        List<long[]> calls = new ArrayList<>();
        new MaskedEvaluator(Removal.ATTENTION_MASK, 7).evaluate(model, image, randomMasks(20, 2),
                Output.LOGITS, 0, (done, total) -> calls.add(new long[] {done, total}));
        assertEquals(3, calls.size());
        assertArrayEquals(new long[] {7, 20}, calls.get(0));
        assertArrayEquals(new long[] {14, 20}, calls.get(1));
        assertArrayEquals(new long[] {20, 20}, calls.get(2));
    }

    @Test
    void noMasksGiveAnEmptyResult() {
        assertEquals(0, new MaskedEvaluator(Removal.ATTENTION_MASK, 7)
                .evaluate(model, image, new boolean[0][], Output.LOGITS).length);
    }

    @Test
    void badInputsAreRejected() {
        MaskedEvaluator evaluator = new MaskedEvaluator(Removal.ATTENTION_MASK, 4);
        IllegalArgumentException row = assertThrows(IllegalArgumentException.class,
                () -> evaluator.evaluate(model, image, new boolean[2][8], Output.LOGITS));
        assertTrue(row.getMessage().contains("8") && row.getMessage().contains("9"), row.getMessage());
        IllegalArgumentException target = assertThrows(IllegalArgumentException.class,
                () -> evaluator.evaluate(model, image, new boolean[1][9], Output.TARGET_PROBABILITY, 3, (d, t) -> { }));
        assertTrue(target.getMessage().contains("3"), target.getMessage());
        try (NDManager scope = manager.newSubManager()) {
            NDArray two = TinyVit.images(scope, TinyVit.CONFIG, 2, 1);
            assertThrows(IllegalArgumentException.class,
                    () -> evaluator.evaluate(model, two, new boolean[1][9], Output.LOGITS));
        }
        assertThrows(IllegalArgumentException.class, () -> new MaskedEvaluator(Removal.ATTENTION_MASK, 0));
    }

    /** The model's softmax on {@code x * m + (1 - m) * x0}, blended here in Java from the pixel arrays. */
    private static double[] blendedDirectly(float[] mask, float[] baseline) {
        float[] x = image.toFloatArray();
        float[] blended = new float[x.length];
        for (int i = 0; i < x.length; i++) {
            blended[i] = x[i] * mask[i] + (1 - mask[i]) * baseline[i];
        }
        try (NDManager scope = manager.newSubManager()) {
            return softmax(Batches.rows(model.logits(scope.create(blended, image.getShape())))[0]);
        }
    }

    @Test
    void blendedMasksMixTheImageWithItsBaseline() {
        int pixels = 12 * 12;
        SplittableRandom random = new SplittableRandom(4);
        float[][] masks = new float[5][pixels];
        java.util.Arrays.fill(masks[0], 1f); // the image itself
        // masks[1] all 0: the baseline alone
        for (int m = 2; m < masks.length; m++) {
            for (int i = 0; i < pixels; i++) {
                masks[m][i] = (float) random.nextDouble();
            }
        }
        float mean = model.info().preprocessing().mean()[0];
        float[] meanImage = new float[pixels];
        java.util.Arrays.fill(meanImage, mean);
        double[][] got = new MaskedEvaluator(Removal.ATTENTION_MASK, 2).evaluateBlended(model, image, masks,
                Removal.PixelBaseline.MEAN, Output.PROBABILITIES, 0, Progress.NONE);
        for (int m = 0; m < masks.length; m++) {
            assertArrayEquals(blendedDirectly(masks[m], meanImage), got[m], 1e-5, "mask " + m);
        }
        double[][] zero = new MaskedEvaluator(Removal.ATTENTION_MASK, 3).evaluateBlended(model, image, masks,
                Removal.PixelBaseline.ZERO, Output.PROBABILITIES, 0, Progress.NONE);
        assertArrayEquals(blendedDirectly(masks[3], new float[pixels]), zero[3], 1e-5);
    }

    @Test
    void blendingLeavesNoArraysBehindAndRejectsBadWeights() {
        int before = manager.getManagedArrays().size();
        float[][] masks = new float[9][144];
        new MaskedEvaluator(Removal.ATTENTION_MASK, 4).evaluateBlended(model, image, masks,
                Removal.PixelBaseline.BLUR, Output.LOGITS, 0, Progress.NONE);
        assertEquals(before, manager.getManagedArrays().size(), "image manager");
        MaskedEvaluator evaluator = new MaskedEvaluator(Removal.ATTENTION_MASK, 4);
        float[][] outside = new float[1][144];
        outside[0][7] = 1.5f;
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> evaluator.evaluateBlended(
                model, image, outside, Removal.PixelBaseline.ZERO, Output.LOGITS, 0, Progress.NONE));
        assertTrue(e.getMessage().contains("1.5"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> evaluator.evaluateBlended(
                model, image, new float[1][100], Removal.PixelBaseline.ZERO, Output.LOGITS, 0, Progress.NONE));
    }

    @Test
    void theGameOfAnImageIsTheEvaluatorOnItsCoalitions() {
        MaskedEvaluator evaluator = new MaskedEvaluator(Removal.TOKEN_DROP, 5);
        CoalitionGame game = evaluator.game(model, image, Output.PROBABILITIES, 0, Progress.NONE);
        assertEquals(9, game.players());
        assertEquals(3, game.outputs());
        boolean[][] keep = randomMasks(12, 6);
        double[][] expected = evaluator.evaluate(model, image, keep, Output.PROBABILITIES);
        double[][] got = game.values(keep);
        for (int m = 0; m < keep.length; m++) {
            assertArrayEquals(expected[m], got[m], 0.0, "coalition " + m);
        }
        assertEquals(1, evaluator.game(model, image, Output.TARGET_PROBABILITY, 2, Progress.NONE).outputs());
    }

    /**
     * Float elements of every array a forward of 16 masked copies leaves in its manager: with
     * gradient recording on, a forward keeps its intermediates until the manager closes, so this
     * counts the activations computed, a deterministic proxy for memory and work (no timing).
     */
    private static long activationElements(Removal removal, int kept) {
        return RecordingGradients.during(() -> recordedElements(removal, kept));
    }

    private static long recordedElements(Removal removal, int kept) {
        try (NDManager scope = manager.newSubManager()) {
            NDArray images = scope.create(image.toFloatArray(), image.getShape()).repeat(0, 16);
            float[] mask = new float[16 * 9];
            for (int r = 0; r < 16; r++) {
                for (int i = 0; i < kept; i++) {
                    mask[r * 9 + (i + r) % 9] = 1f; // kept patches at varying positions
                }
            }
            model.logits(images, scope.create(mask, new Shape(16, 9)), removal);
            long elements = 0;
            for (NDArray a : scope.getManagedArrays()) {
                elements += a.size();
            }
            return elements;
        }
    }

    /**
     * The cost of token dropping falls with the kept count, because each batch runs a sequence of
     * 1 + k tokens, while attention masking always runs all N. The throughput this buys is measured
     * by the JMH benchmark {@code MaskedEvaluationBenchmark} (benchmarks module), not here.
     */
    @Test
    void tokenDroppingWorksInProportionToTheKeptTokens() {
        long[] drop = new long[10];
        long[] mask = new long[10];
        for (int kept : new int[] {1, 3, 5, 9}) {
            drop[kept] = activationElements(Removal.TOKEN_DROP, kept);
            mask[kept] = activationElements(Removal.ATTENTION_MASK, kept);
        }
        assertTrue(drop[1] < drop[3] && drop[3] < drop[5] && drop[5] < drop[9],
                "token dropping: " + drop[1] + ", " + drop[3] + ", " + drop[5] + ", " + drop[9]);
        assertEquals(mask[1], mask[9], "attention masking runs the full sequence whatever is kept");
        assertTrue(drop[1] * 3 < mask[1], "1 of 9 patches kept: " + drop[1] + " vs " + mask[1] + " elements");
    }

    private static ModelInfo info(int imageSize, int patchSize, int depth, int heads, int dim) {
        return new ModelInfo("m", 3, imageSize, patchSize, depth, heads, dim, List.of("a", "b"),
                new Preprocessing(new float[] {0.5f, 0.5f, 0.5f}, new float[] {0.5f, 0.5f, 0.5f}, "bilinear"));
    }

    @Test
    void batchSizeForMatchesTheDocumentedEstimateForVitB16() {
        ModelInfo vitB = info(224, 16, 12, 12, 768);
        // per block 20 * 197 * 768 + 3 * 12 * 197^2 = 4,423,044 floats; 12 blocks plus
        // 3 * 3 * 224^2 input floats = 53,528,112 floats = 214,112,448 bytes per copy
        long perCopy = 214_112_448L;
        assertEquals(perCopy, MaskedEvaluator.bytesPerCopy(vitB));
        assertEquals(10, MaskedEvaluator.batchSizeFor(vitB, 10 * perCopy));
        assertEquals(9, MaskedEvaluator.batchSizeFor(vitB, 10 * perCopy - 1));
    }

    @Test
    void batchSizeForIsMonotoneAndBounded() {
        ModelInfo vitB = info(224, 16, 12, 12, 768);
        int previous = 0;
        for (long budget = 1; budget > 0 && budget <= (1L << 52); budget *= 2) {
            int b = MaskedEvaluator.batchSizeFor(vitB, budget);
            assertTrue(b >= 1 && b <= 4096, "batch " + b + " for budget " + budget);
            assertTrue(b >= previous, "budget " + budget + " gave " + b + " after " + previous);
            previous = b;
        }
        assertEquals(1, MaskedEvaluator.batchSizeFor(vitB, 1));
        assertEquals(4096, MaskedEvaluator.batchSizeFor(vitB, Long.MAX_VALUE));
        long budget = 1L << 33;
        int base = MaskedEvaluator.batchSizeFor(vitB, budget);
        for (Map.Entry<String, ModelInfo> larger : Map.of(
                "depth", info(224, 16, 24, 12, 768),
                "heads", info(224, 16, 12, 16, 768),
                "dim", info(224, 16, 12, 12, 1024),
                "tokens", info(224, 8, 12, 12, 768),
                "image", info(384, 16, 12, 12, 768)).entrySet()) {
            int b = MaskedEvaluator.batchSizeFor(larger.getValue(), budget);
            assertTrue(b < base, "larger " + larger.getKey() + " gave " + b + ", base " + base);
        }
        assertThrows(IllegalArgumentException.class, () -> MaskedEvaluator.batchSizeFor(vitB, 0));
    }
}
