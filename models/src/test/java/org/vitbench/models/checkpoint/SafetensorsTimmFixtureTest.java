package org.vitbench.models.checkpoint;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Compatibility with files vitbench did not write: {@code fixtures/tiny_timm_vit.safetensors},
 * written by {@code fixtures/make_timm_fixture.py} (Python standard library, laid out as the
 * reference safetensors writer does), with the state-dict keys of a tiny timm ViT.
 */
class SafetensorsTimmFixtureTest {

    /** timm's keys for img 8, patch 4, 1 channel, dim 8, depth 1, heads 2, mlp ratio 2, 3 classes. */
    private static final Map<String, long[]> SHAPES = new LinkedHashMap<>();

    static {
        SHAPES.put("blocks.0.attn.proj.bias", new long[] {8});
        SHAPES.put("blocks.0.attn.proj.weight", new long[] {8, 8});
        SHAPES.put("blocks.0.attn.qkv.bias", new long[] {24});
        SHAPES.put("blocks.0.attn.qkv.weight", new long[] {24, 8});
        SHAPES.put("blocks.0.mlp.fc1.bias", new long[] {16});
        SHAPES.put("blocks.0.mlp.fc1.weight", new long[] {16, 8});
        SHAPES.put("blocks.0.mlp.fc2.bias", new long[] {8});
        SHAPES.put("blocks.0.mlp.fc2.weight", new long[] {8, 16});
        SHAPES.put("blocks.0.norm1.bias", new long[] {8});
        SHAPES.put("blocks.0.norm1.weight", new long[] {8});
        SHAPES.put("blocks.0.norm2.bias", new long[] {8});
        SHAPES.put("blocks.0.norm2.weight", new long[] {8});
        SHAPES.put("cls_token", new long[] {1, 1, 8});
        SHAPES.put("head.bias", new long[] {3});
        SHAPES.put("head.weight", new long[] {3, 8});
        SHAPES.put("norm.bias", new long[] {8});
        SHAPES.put("norm.weight", new long[] {8});
        SHAPES.put("patch_embed.proj.bias", new long[] {8});
        SHAPES.put("patch_embed.proj.weight", new long[] {8, 1, 4, 4});
        SHAPES.put("pos_embed", new long[] {1, 5, 8});
    }

    @TempDir
    Path dir;

    private static Path fixture() throws URISyntaxException {
        return Path.of(SafetensorsTimmFixtureTest.class.getResource("/fixtures/tiny_timm_vit.safetensors").toURI());
    }

    @Test
    void loadsEveryTimmKeyInSortedOrderWithItsShape() throws URISyntaxException {
        Map<String, Tensor> tensors = Safetensors.read(fixture());
        // the reference writer sorts one-dtype files by name, as SHAPES is listed
        assertEquals(List.copyOf(SHAPES.keySet()), List.copyOf(tensors.keySet()));
        SHAPES.forEach((name, shape) -> {
            assertEquals("F32", tensors.get(name).dtype(), name);
            assertArrayEquals(shape, tensors.get(name).shape(), name);
        });
        assertEquals(Map.of("format", "pt"), Safetensors.metadata(fixture()));
    }

    @Test
    void valuesMatchTheFormulaTheFixtureWasWrittenWith() throws URISyntaxException {
        Map<String, Tensor> tensors = Safetensors.read(fixture());
        int k = 0;
        for (String name : SHAPES.keySet()) {
            float[] values = tensors.get(name).values();
            for (int i = 0; i < values.length; i++) {
                float expected = value(k, i);
                // Python's sin is the C library's, Java's may differ by one double ulp, which can
                // move the float32 rounding by one float ulp; anything else is a reading error.
                assertEquals(expected, values[i], Math.ulp(expected), name + "[" + i + "]");
            }
            k++;
        }
        assertEquals(0.0f, tensors.get("blocks.0.attn.proj.bias").values()[0], 0.0f);
        assertEquals(0.84147096f, tensors.get("blocks.0.attn.proj.bias").values()[1], 0.0f);
    }

    @Test
    void writerReproducesTheFixtureByteForByte() throws IOException, URISyntaxException {
        Map<String, Tensor> tensors = Safetensors.read(fixture());
        Path copy = dir.resolve("copy.safetensors");
        Safetensors.write(copy, tensors, Safetensors.metadata(fixture()));
        assertArrayEquals(Files.readAllBytes(fixture()), Files.readAllBytes(copy));
    }

    /** Element {@code i} of the {@code k}-th key in sorted order, as make_timm_fixture.py computes it. */
    private static float value(int k, int i) {
        return (float) Math.sin(k * 0.1 + i);
    }
}
