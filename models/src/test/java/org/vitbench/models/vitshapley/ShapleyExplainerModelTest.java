package org.vitbench.models.vitshapley;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.vitbench.api.ConfigurationException;
import org.vitbench.models.TinyVit;
import org.vitbench.models.VisionTransformer;

class ShapleyExplainerModelTest {

    @TempDir
    Path dir;

    static ExplainerSpec spec(VisionTransformer surrogate) {
        return new ExplainerSpec(ExplainerSpec.FORMAT, "checkpoint:path=somewhere", surrogate.fingerprint(),
                "tiny-vit", "0123456789abcdef", 4, Map.of("seed", 1));
    }

    static float[] random(int n, long seed, double scale) {
        SplittableRandom r = new SplittableRandom(seed);
        float[] v = new float[n];
        for (int i = 0; i < n; i++) {
            v[i] = (float) (scale * (r.nextDouble() * 2 - 1));
        }
        return v;
    }

    @Test
    void efficiencyHoldsForEveryImageAndClass() {
        try (VisionTransformer surrogate = TinyVit.create(13);
                ShapleyExplainerModel explainer = ShapleyExplainerModel.initialise(surrogate, spec(surrogate), 5);
                NDManager m = NDManager.newBaseManager()) {
            int b = 4;
            NDArray images = m.create(random(b * 144, 1, 0.5), new Shape(b, 1, 12, 12)).add(0.5f);
            float[] grand = random(b * 3, 2, 1);
            float[] empty = random(3, 3, 1);
            float[] phi = explainer.values(images, m.create(grand, new Shape(b, 3)), m.create(empty)).toFloatArray();
            float[] raw = explainer.raw(images).toFloatArray();
            for (int i = 0; i < b; i++) {
                for (int c = 0; c < 3; c++) {
                    double sum = 0;
                    double rawSum = 0;
                    for (int p = 0; p < 9; p++) {
                        sum += phi[(i * 9 + p) * 3 + c];
                        rawSum += raw[(i * 9 + p) * 3 + c];
                    }
                    assertEquals(grand[i * 3 + c] - empty[c], sum, 1e-5, "image " + i + ", class " + c);
                    assertTrue(Math.abs(rawSum - sum) > 1e-3, "the raw values alone do not satisfy efficiency");
                }
            }
            for (float v : raw) {
                assertTrue(Math.abs(v) <= 1, "tanh bounds the raw values");
            }
        }
    }

    @Test
    void savedAndLoadedExplainersComputeTheSameValues() throws Exception {
        try (VisionTransformer surrogate = TinyVit.create(13);
                ShapleyExplainerModel explainer = ShapleyExplainerModel.initialise(surrogate, spec(surrogate), 5);
                NDManager m = NDManager.newBaseManager()) {
            explainer.save(dir, explainer.spec());
            NDArray images = m.create(random(2 * 144, 4, 0.5), new Shape(2, 1, 12, 12)).add(0.5f);
            try (ShapleyExplainerModel loaded = ShapleyExplainerModel.load(dir)) {
                assertEquals(explainer.spec(), loaded.spec());
                assertArrayEquals(explainer.raw(images).toFloatArray(), loaded.raw(images).toFloatArray());
            }
        }
    }

    @Test
    void theBackboneStartsAsTheSurrogateAndTheHeadIsNotTrained() {
        try (VisionTransformer surrogate = TinyVit.create(13);
                ShapleyExplainerModel explainer = ShapleyExplainerModel.initialise(surrogate, spec(surrogate), 5)) {
            Map<String, NDArray> trainable = explainer.trainable();
            assertArrayEquals(surrogate.weights().get("blocks.1.attn.qkv.weight").toFloatArray(),
                    trainable.get("blocks.1.attn.qkv.weight").toFloatArray());
            assertTrue(trainable.keySet().stream().noneMatch(k -> k.startsWith("head.")));
            assertTrue(trainable.containsKey("explainer.block.attn.qkv.weight"));
            assertTrue(trainable.keySet().stream().noneMatch(k -> k.startsWith("explainer.block.norm1")),
                    "the extra block has no first LayerNorm");
            assertEquals(new Shape(3, 64), trainable.get("explainer.head.fc3.weight").getShape(),
                    "head D -> 4D -> 4D -> K");
        }
    }

    @Test
    void aDirectoryWithoutAnExplainerGivesAClearError() throws Exception {
        Files.createDirectories(dir.resolve("empty"));
        ConfigurationException e = assertThrows(ConfigurationException.class,
                () -> ShapleyExplainerModel.load(dir.resolve("empty")));
        assertTrue(e.getMessage().contains("vitbench train explainer"), e.getMessage());
    }

    @Test
    void aForeignFormatIsRefused() throws Exception {
        try (VisionTransformer surrogate = TinyVit.create(13);
                ShapleyExplainerModel explainer = ShapleyExplainerModel.initialise(surrogate, spec(surrogate), 5)) {
            ExplainerSpec s = explainer.spec();
            explainer.save(dir, new ExplainerSpec("something/else", s.surrogate(), s.surrogateFingerprint(),
                    s.classifier(), s.classifierFingerprint(), s.headRatio(), s.provenance()));
        }
        ConfigurationException e = assertThrows(ConfigurationException.class, () -> ShapleyExplainerModel.load(dir));
        assertTrue(e.getMessage().contains("something/else"), e.getMessage());
    }
}
