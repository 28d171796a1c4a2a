package org.vitbench.methods.cam;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.vitbench.api.Batches;
import org.vitbench.api.ConfigurationException;
import org.vitbench.api.Context;
import org.vitbench.api.Heatmaps;
import org.vitbench.api.Parameters;
import org.vitbench.api.Sample;
import org.vitbench.api.TraceOptions;
import org.vitbench.api.contract.FakeVitModel;
import org.vitbench.models.ParameterKeys;
import org.vitbench.models.TinyVit;
import org.vitbench.models.VisionTransformer;
import org.vitbench.models.VitConfig;

/**
 * CDAM against the scaling identity: with {@code u} the last block's LayerNorm-1 output and
 * {@code s} a score that depends on the image only through {@code u},
 * {@code sum_t <u_t, ds/du_t> = d/de s(u (1 + e)) at e = 0}. Scaling {@code u} by {@code 1 + e}
 * is done exactly by scaling that LayerNorm's weight and bias, in a second model; the derivative is
 * a central difference. CDAM's map is the patch part of the left side; the CLS term comes from
 * {@link Cdam#tokenRelevance}.
 */
class CdamTest {

    private static final VitConfig CONFIG = TinyVit.CONFIG;
    private static final long SEED = 13;
    /** Central-difference step on the scale of u. */
    private static final double EPS = 5e-3;
    /**
     * float32 logits (~1e-7 rounding) differenced over 2 EPS give ~2e-5 noise, and the O(EPS^2)
     * truncation is ~1e-5 for this smooth model: 1e-3 relative (at least 1e-3 absolute) leaves room
     * without hiding a wrong token, layer or target (those change the sum by O(1)).
     */
    private static final double TOL = 1e-3;

    @TempDir
    Path temp;

    @Test
    void tokenSumIsTheDotProductOfTokenAndGradient() {
        float[] u = {9f, 1f, 2f, -1f};
        float[] g = {9f, 0.5f, -1f, 3f};
        assertEquals(0.5 - 2 - 3, Cdam.tokenSum(u, g, 1, 3), 0.0, "exact in float for these values");
    }

    @Test
    void classModeSumsToTheDirectionalDerivativeOfTheTargetLogit() {
        Map<String, float[]> values = TinyVit.values(CONFIG, SEED, 0.5);
        try (VisionTransformer model = build(values, 1.0);
                VisionTransformer plus = build(values, 1 + EPS);
                VisionTransformer minus = build(values, 1 - EPS);
                NDManager m = NDManager.newBaseManager()) {
            List<Sample> samples = FakeVitModel.randomSamples(model.info(), 2, 21L);
            int[] targets = {2, 0};
            float[][] relevance = new Cdam().tokenRelevance(new Context(model, 1L, m), samples, targets);
            Heatmaps maps = explain(new Cdam(), model, samples, targets);
            NDArray images = Batches.images(m, samples, model.info());
            float[] up = plus.logits(images).toFloatArray();
            float[] down = minus.logits(images).toFloatArray();
            int k = CONFIG.numClasses();
            for (int b = 0; b < samples.size(); b++) {
                double fd = (up[b * k + targets[b]] - down[b * k + targets[b]]) / (2 * EPS);
                double patches = sum(maps.target()[b]);
                assertEquals(fd, relevance[b][0] + patches, TOL * Math.max(1, Math.abs(fd)), "sample " + b);
                assertEquals(patches, sum(relevance[b]) - relevance[b][0], 1e-5, "the map is the patch part");
                assertTrue(Math.abs(patches) > 10 * TOL * Math.max(1, Math.abs(fd)),
                        "patch tokens carry a visible share, so a wrong patch map would fail: " + patches);
            }
        }
    }

    @Test
    void conceptModeSumsToTheDirectionalDerivativeOfTheConceptScore() throws IOException {
        for (int i = 0; i < 2; i++) {
            writeGreyPng(temp.resolve("c" + i + ".png"), CONFIG.imageSize(), 40 + i);
        }
        Map<String, float[]> values = TinyVit.values(CONFIG, SEED, 0.5);
        try (VisionTransformer model = build(values, 1.0);
                VisionTransformer plus = build(values, 1 + EPS);
                VisionTransformer minus = build(values, 1 - EPS);
                NDManager m = NDManager.newBaseManager()) {
            // The concept vector, independently: mean final CLS embedding of the known pixels.
            double[] concept = new double[CONFIG.dim()];
            for (int i = 0; i < 2; i++) {
                float[] pixels = greyPixels(CONFIG.imageSize(), 40 + i);
                NDArray image = m.create(pixels, new Shape(1, 1, CONFIG.imageSize(), CONFIG.imageSize()));
                double[] e = clsEmbedding(model, values, image)[0];
                for (int j = 0; j < e.length; j++) {
                    concept[j] += e[j] / 2;
                }
            }
            List<Sample> samples = FakeVitModel.randomSamples(model.info(), 2, 22L);
            Cdam cdam = Cdam.concept(temp);
            float[][] relevance = cdam.tokenRelevance(new Context(model, 1L, m), samples, new int[] {0, 1});
            NDArray images = Batches.images(m, samples, model.info());
            double[][] up = clsEmbedding(plus, values, images);
            double[][] down = clsEmbedding(minus, values, images);
            for (int b = 0; b < samples.size(); b++) {
                double fd = (dot(up[b], concept) - dot(down[b], concept)) / (2 * EPS);
                double total = sum(relevance[b]);
                assertEquals(fd, total, TOL * Math.max(1, Math.abs(fd)), "sample " + b);
            }
            assertEquals(explain(cdam, model, samples, new int[] {0, 1}),
                    explain(cdam, model, samples, new int[] {2, 2}), "concept mode ignores the target class");
        }
    }

    @Test
    void conceptModeFailsOnAMissingEmptyOrUnreadableDirectory() throws IOException {
        Path missing = temp.resolve("no-such-dir");
        ConfigurationException e = assertThrows(ConfigurationException.class, () -> Cdam.concept(missing));
        assertTrue(e.getMessage().contains(missing.toAbsolutePath().toString()) && e.getMessage().contains("concepts="),
                e.getMessage());
        Path empty = Files.createDirectory(temp.resolve("empty"));
        e = assertThrows(ConfigurationException.class, () -> Cdam.concept(empty));
        assertTrue(e.getMessage().contains("no .png"), e.getMessage());
        Path broken = Files.createDirectory(temp.resolve("broken"));
        Files.writeString(broken.resolve("cat.png"), "not a png");
        e = assertThrows(ConfigurationException.class, () -> Cdam.concept(broken));
        assertTrue(e.getMessage().contains("cat.png") && e.getMessage().contains(broken.toAbsolutePath().toString()),
                e.getMessage());
    }

    @Test
    void parametersAreResolvedAndValidated() throws IOException {
        assertEquals(Map.of("mode", "class"), new Cdam().parameters().asMap());
        writeGreyPng(temp.resolve("a.png"), 5, 1);
        Cdam concept = Cdam.create(Parameters.of(Cdam.ID, Map.of("mode", "concept", "concepts", temp.toString())));
        assertEquals(Map.of("mode", "concept", "concepts", temp.toString()), concept.parameters().asMap());
        assertThrows(ConfigurationException.class,
                () -> Cdam.create(Parameters.of(Cdam.ID, Map.of("concepts", temp.toString()))));
        assertThrows(ConfigurationException.class, () -> Cdam.create(Parameters.of(Cdam.ID, Map.of("mode", "concept"))));
        assertThrows(ConfigurationException.class, () -> Cdam.create(Parameters.of(Cdam.ID, Map.of("mode", "token"))));
    }

    @Test
    void conceptImagesAreResizedToTheModelInput() throws IOException {
        // A 5x5 PNG on the 12x12 model: resizing happens, and the map is still finite.
        writeGreyPng(temp.resolve("small.png"), 5, 3);
        try (VisionTransformer model = TinyVit.create(SEED)) {
            List<Sample> samples = FakeVitModel.randomSamples(model.info(), 1, 2L);
            Heatmaps maps = explain(Cdam.concept(temp), model, samples, new int[] {0});
            assertEquals(null, maps.firstNonFinite());
        }
        float[] constant = ConceptImages.resize(new float[] {0.5f, 0.5f, 0.5f, 0.5f}, 2, 2, 3);
        for (float v : constant) {
            assertEquals(0.5f, v, 1e-7f, "bilinear resizing keeps a constant plane");
        }
        // Half-pixel centres: upsampling [0, 1] (1x2) to 4 wide gives 0, 0.25, 0.75, 1 per row.
        float[] ramp = ConceptImages.resize(new float[] {0f, 1f, 0f, 1f}, 2, 2, 4);
        assertEquals(0f, ramp[0], 1e-7f);
        assertEquals(0.25f, ramp[1], 1e-7f);
        assertEquals(0.75f, ramp[2], 1e-7f);
        assertEquals(1f, ramp[3], 1e-7f);
    }

    private static Heatmaps explain(Cdam method, VisionTransformer model, List<Sample> samples, int[] targets) {
        try (NDManager m = model.manager().newSubManager()) {
            return method.explain(new Context(model, 1L, m), samples, targets);
        }
    }

    /** The tiny ViT with the last block's LayerNorm-1 weight and bias scaled, i.e. u -> u * scale. */
    private static VisionTransformer build(Map<String, float[]> values, double scale) {
        NDManager manager = NDManager.newBaseManager();
        Map<String, long[]> shapes = ParameterKeys.of(CONFIG);
        Map<String, NDArray> weights = new LinkedHashMap<>();
        String last = "blocks." + (CONFIG.depth() - 1) + ".norm1.";
        values.forEach((key, v) -> {
            float[] w = v.clone();
            if (key.equals(last + "weight") || key.equals(last + "bias")) {
                for (int i = 0; i < w.length; i++) {
                    w[i] = (float) (w[i] * scale);
                }
            }
            weights.put(key, manager.create(w, new Shape(shapes.get(key))));
        });
        return new VisionTransformer(TinyVit.config(CONFIG), manager, weights);
    }

    /** {@code LN_final(z_L)[CLS]} per image in double, from the traced last-block output. */
    private static double[][] clsEmbedding(VisionTransformer model, Map<String, float[]> values, NDArray images) {
        List<NDArray> tokens = model.trace(images, TraceOptions.NONE.withTokens(true)).tokens();
        NDArray last = tokens.get(tokens.size() - 1); // [B, N, D]
        int b = (int) last.getShape().get(0);
        int n = CONFIG.numTokens();
        int d = CONFIG.dim();
        float[] z = last.toFloatArray();
        float[] gamma = values.get("norm.weight");
        float[] beta = values.get("norm.bias");
        double[][] out = new double[b][d];
        for (int s = 0; s < b; s++) {
            int off = s * n * d; // token 0 of sample s
            double mu = 0;
            for (int e = 0; e < d; e++) {
                mu += z[off + e] / (double) d;
            }
            double var = 0;
            for (int e = 0; e < d; e++) {
                var += (z[off + e] - mu) * (z[off + e] - mu) / d;
            }
            for (int e = 0; e < d; e++) {
                out[s][e] = (z[off + e] - mu) / Math.sqrt(var + CONFIG.layerNormEps()) * gamma[e] + beta[e];
            }
        }
        return out;
    }

    /** The pixels of {@link #writeGreyPng} in [0, 1]. */
    static float[] greyPixels(int size, long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        float[] pixels = new float[size * size];
        for (int i = 0; i < pixels.length; i++) {
            pixels[i] = random.nextInt(256) / 255f;
        }
        return pixels;
    }

    /** Writes a seeded random 8-bit grey PNG of {@code size x size}. */
    static Path writeGreyPng(Path file, int size, long seed) throws IOException {
        float[] pixels = greyPixels(size, seed);
        BufferedImage image = new BufferedImage(size, size, BufferedImage.TYPE_BYTE_GRAY);
        for (int y = 0; y < size; y++) {
            for (int x = 0; x < size; x++) {
                image.getRaster().setSample(x, y, 0, Math.round(pixels[y * size + x] * 255));
            }
        }
        if (!ImageIO.write(image, "png", file.toFile())) {
            throw new IOException("no PNG writer");
        }
        return file;
    }

    private static double sum(float[] values) {
        double s = 0;
        for (float v : values) {
            s += v;
        }
        return s;
    }

    private static double dot(double[] a, double[] b) {
        double s = 0;
        for (int i = 0; i < a.length; i++) {
            s += a[i] * b[i];
        }
        return s;
    }
}
