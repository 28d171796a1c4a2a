package org.vitbench.models.published;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.vitbench.api.Parameters;
import org.vitbench.api.Removal;
import org.vitbench.api.VitModel;
import org.vitbench.models.CheckpointModelProvider;

/**
 * Checkpoints in the layouts users download (timm hub: plain ViT, DeiT distilled, registers with
 * average pooling and layer scale; Hugging Face ViTForImageClassification), ViT-Ti/16 at 224 with
 * random weights, load unchanged through {@code checkpoint:path=DIR} and give PyTorch's logits on
 * the same input tensor to 1e-4, with the same top-1 (reference: make_published_fixtures.py).
 */
class PublishedCheckpointParityTest {

    private static final double TOLERANCE = 1e-4;

    @TempDir
    Path tmp;

    @ParameterizedTest
    @ValueSource(strings = {"timm-vit-tiny", "timm-deit-tiny-distilled", "timm-reg4-gap-layerscale", "hf-vit-tiny"})
    void logitsEqualPyTorchs(String layout) {
        Path dir = PublishedCheckpoints.write(layout, tmp.resolve(layout));
        float[][] expected = PublishedCheckpoints.referenceLogits(layout);
        try (VitModel model = new CheckpointModelProvider().load(
                Parameters.of("checkpoint", Map.of("path", dir.toString())));
                NDManager m = model.manager().newSubManager()) {
            assertEquals(224, model.info().imageSize());
            assertEquals(196, model.info().numPatches());
            assertEquals(expected[0].length, model.info().numClasses());
            NDArray images = m.create(PublishedCheckpoints.input(layout), new Shape(2, 3, 224, 224));
            float[] logits = model.logits(images).toFloatArray();
            int k = expected[0].length;
            for (int b = 0; b < 2; b++) {
                int top = 0;
                int topExpected = 0;
                for (int c = 0; c < k; c++) {
                    float got = logits[b * k + c];
                    assertEquals(expected[b][c], got, TOLERANCE, layout + ": image " + b + ", class " + c);
                    top = got > logits[b * k + top] ? c : top;
                    topExpected = expected[b][c] > expected[b][topExpected] ? c : topExpected;
                }
                assertEquals(topExpected, top, layout + ": top-1 of image " + b);
            }
            // every patch kept: masked evaluation is the plain forward
            NDArray all = m.ones(new Shape(2, 196));
            float[] masked = model.logits(images, all, Removal.ATTENTION_MASK).toFloatArray();
            for (int i = 0; i < logits.length; i++) {
                assertEquals(logits[i], masked[i], 1e-5, layout + ": attention masking with every patch kept");
            }
        }
    }

    /**
     * Prefix tokens (class, distillation, registers) are never removed, and average pooling reads
     * the kept patch tokens only, so attention masking and token dropping give the same logits.
     */
    @ParameterizedTest
    @ValueSource(strings = {"timm-vit-tiny", "timm-deit-tiny-distilled", "timm-reg4-gap-layerscale", "hf-vit-tiny"})
    void attentionMaskingEqualsTokenDropping(String layout) {
        Path dir = PublishedCheckpoints.write(layout, tmp.resolve(layout));
        try (VitModel model = new CheckpointModelProvider().load(
                Parameters.of("checkpoint", Map.of("path", dir.toString())));
                NDManager m = model.manager().newSubManager()) {
            float[] one = java.util.Arrays.copyOf(PublishedCheckpoints.input(layout), 3 * 224 * 224);
            // 97, 98 and 99 kept run as one packed batch padded to 99 tokens (TokenPacking)
            int[] kept = {0, 1, 97, 98, 99, 196};
            int rows = kept.length;
            float[] pixels = new float[rows * one.length];
            float[] keep = new float[rows * 196];
            java.util.SplittableRandom random = new java.util.SplittableRandom(5);
            for (int r = 0; r < rows; r++) {
                System.arraycopy(one, 0, pixels, r * one.length, one.length);
                for (int i = 0; i < 196; i++) {
                    keep[r * 196 + i] = i < kept[r] ? 1 : 0;
                }
                for (int i = 195; i > 0; i--) { // shuffle which patches are kept
                    int j = random.nextInt(i + 1);
                    float t = keep[r * 196 + i];
                    keep[r * 196 + i] = keep[r * 196 + j];
                    keep[r * 196 + j] = t;
                }
            }
            NDArray images = m.create(pixels, new Shape(rows, 3, 224, 224));
            NDArray mask = m.create(keep, new Shape(rows, 196));
            // with gradient recording on: the full sequence with masked keys
            float[] masked = org.vitbench.models.RecordingGradients.during(
                    () -> model.logits(images, mask, Removal.ATTENTION_MASK).toFloatArray());
            float[] dropped = model.logits(images, mask, Removal.TOKEN_DROP).toFloatArray();
            int k = model.info().numClasses();
            for (int i = 0; i < masked.length; i++) {
                assertTrue(Float.isFinite(masked[i]), layout + ": finite with " + kept[i / k] + " patches kept");
                assertEquals(masked[i], dropped[i], 1e-5 * Math.max(1, Math.abs(masked[i])),
                        layout + ": " + kept[i / k] + " patches kept, class " + i % k);
            }
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"timm-reg4-gap-layerscale", "hf-vit-tiny"})
    void labelNamesComeFromTheCheckpoint(String layout) {
        Path dir = PublishedCheckpoints.write(layout, tmp.resolve(layout));
        try (VitModel model = new CheckpointModelProvider().load(
                Parameters.of("checkpoint", Map.of("path", dir.toString())))) {
            assertEquals("tench", model.info().classNames().get(0));
            assertEquals("ostrich", model.info().classNames().get(9));
            assertTrue(model.info().preprocessing().interpolation().matches("bicubic|bilinear"));
        }
    }
}
