package org.vitbench.models;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.vitbench.api.ConfigurationException;
import org.vitbench.models.checkpoint.Safetensors;
import org.vitbench.models.checkpoint.Tensor;

class CheckpointsTest {

    @TempDir
    Path dir;

    @Test
    void saveAndLoadGiveTheSameLogits() throws Exception {
        try (VisionTransformer model = TinyVit.create(3); NDManager m = NDManager.newBaseManager()) {
            Checkpoints.save(dir, model.config(), model.weights());
            try (VisionTransformer loaded = Checkpoints.load(dir)) {
                NDArray images = TinyVit.images(m, TinyVit.CONFIG, 2, 1);
                assertArrayEquals(model.logits(images).toFloatArray(), loaded.logits(images).toFloatArray(), 0f);
                assertEquals(model.config(), loaded.config().withProvenance(model.config().provenance()));
            }
        }
    }

    @Test
    void aTimmLayoutFileLoadsUnchanged() throws Exception {
        // Written by src/test/resources/fixtures/make_timm_fixture.py with the standard library only.
        Path fixture = Path.of(getClass().getResource("/fixtures/tiny_timm_vit.safetensors").toURI());
        VitConfig arch = VitConfig.of(8, 4, 1, 8, 1, 2, 2.0, 3);
        Map<String, Tensor> tensors = Safetensors.read(fixture);
        try (VisionTransformer model = Checkpoints.fromTensors(TinyVit.config(arch), tensors);
                NDManager m = NDManager.newBaseManager()) {
            NDArray images = TinyVit.images(m, arch, 1, 2);
            Map<String, float[]> values = new LinkedHashMap<>();
            tensors.forEach((k, t) -> values.put(k, t.values()));
            double[] expected = ReferenceVit.logits(arch, values, model.config().mean(), model.config().std(),
                    images.toFloatArray(), null);
            float[] got = model.logits(images).toFloatArray();
            for (int k = 0; k < 3; k++) {
                assertEquals(expected[k], got[k], 1e-4);
            }
        }
    }

    @Test
    void aMissingKeyIsNamed() throws Exception {
        Map<String, Tensor> tensors = tensors();
        tensors.remove("blocks.1.attn.proj.bias");
        ConfigurationException e = assertThrows(CheckpointMismatchException.class,
                () -> Checkpoints.fromTensors(TinyVit.config(TinyVit.CONFIG), tensors));
        assertTrue(e.getMessage().contains("missing parameter 'blocks.1.attn.proj.bias'"), e.getMessage());
    }

    @Test
    void anUnknownKeyIsNamed() throws Exception {
        Map<String, Tensor> tensors = tensors();
        tensors.put("blocks.0.ls1.gamma", Tensor.of(new long[] {16}, new float[16]));
        ConfigurationException e = assertThrows(CheckpointMismatchException.class,
                () -> Checkpoints.fromTensors(TinyVit.config(TinyVit.CONFIG), tensors));
        assertTrue(e.getMessage().contains("unknown parameter 'blocks.0.ls1.gamma'"), e.getMessage());
    }

    @Test
    void aMisShapedKeyIsNamedWithBothShapes() throws Exception {
        Map<String, Tensor> tensors = tensors();
        tensors.put("head.weight", Tensor.of(new long[] {4, 16}, new float[64]));
        ConfigurationException e = assertThrows(CheckpointMismatchException.class,
                () -> Checkpoints.fromTensors(TinyVit.config(TinyVit.CONFIG), tensors));
        assertTrue(e.getMessage().contains("'head.weight'") && e.getMessage().contains("(4, 16)")
                && e.getMessage().contains("(3, 16)"), e.getMessage());
    }

    @Test
    void aDirectoryWithoutConfigSaysWhatIsMissing() throws Exception {
        try (VisionTransformer model = TinyVit.create(3)) {
            Checkpoints.save(dir, model.config(), model.weights());
        }
        Files.delete(dir.resolve(Checkpoints.CONFIG));
        ConfigurationException e = assertThrows(ConfigurationException.class, () -> Checkpoints.load(dir));
        assertTrue(e.getMessage().contains("config.json"), e.getMessage());
    }

    private static Map<String, Tensor> tensors() {
        try (VisionTransformer model = TinyVit.create(3)) {
            return new LinkedHashMap<>(Checkpoints.toTensors(model.weights()));
        }
    }
}
