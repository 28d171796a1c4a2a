package org.vitbench.models;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * Tiny ViTs with fixed, deliberately large random weights (uniform in [-scale, scale], LayerNorm
 * weights around 1) so that attention is far from uniform and every nonlinearity matters. Used
 * by tests of every module (published in the models test-jar).
 */
public final class TinyVit {

    /** 12 x 12 grey images, 4 x 4 patches (a 3 x 3 grid), D = 16, 2 blocks, 2 heads, 3 classes. */
    public static final VitConfig CONFIG = VitConfig.of(12, 4, 1, 16, 2, 2, 2.0, 3);

    private TinyVit() {
    }

    public static VisionTransformer create(long seed) {
        return create(CONFIG, seed, 0.5);
    }

    public static VisionTransformer create(VitConfig config, long seed, double scale) {
        NDManager manager = NDManager.newBaseManager();
        Map<String, float[]> values = values(config, seed, scale);
        Map<String, NDArray> weights = new LinkedHashMap<>();
        Map<String, long[]> shapes = ParameterKeys.of(config);
        values.forEach((k, v) -> weights.put(k, manager.create(v, new Shape(shapes.get(k)))));
        return new VisionTransformer(config(config), manager, weights);
    }

    public static ModelConfig config(VitConfig config) {
        List<String> names = new ArrayList<>();
        for (int i = 0; i < config.numClasses(); i++) {
            names.add("class-" + i);
        }
        float[] mean = new float[config.channels()];
        float[] std = new float[config.channels()];
        java.util.Arrays.fill(mean, 0.25f);
        java.util.Arrays.fill(std, 0.5f);
        return new ModelConfig("tiny-vit", config, mean, std, "bilinear", names, Map.of("source", "TinyVit"));
    }

    /** The weights as plain arrays, keyed by timm names. */
    public static Map<String, float[]> values(VitConfig config, long seed, double scale) {
        SplittableRandom random = new SplittableRandom(seed);
        Map<String, float[]> values = new LinkedHashMap<>();
        for (Map.Entry<String, long[]> e : ParameterKeys.of(config).entrySet()) {
            long size = 1;
            for (long d : e.getValue()) {
                size *= d;
            }
            float[] v = new float[(int) size];
            boolean normWeight = e.getKey().matches("(blocks\\.\\d+\\.norm[12]|norm)\\.weight");
            for (int i = 0; i < v.length; i++) {
                double u = (random.nextDouble() * 2 - 1) * scale;
                v[i] = (float) (normWeight ? 1 + u : u);
            }
            values.put(e.getKey(), v);
        }
        return values;
    }

    /** Seeded random images in [0, 1], {@code [n, C, S, S]}. */
    public static NDArray images(NDManager manager, VitConfig config, int n, long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        float[] data = new float[n * config.channels() * config.imageSize() * config.imageSize()];
        for (int i = 0; i < data.length; i++) {
            data[i] = (float) random.nextDouble();
        }
        return manager.create(data, new Shape(n, config.channels(), config.imageSize(), config.imageSize()));
    }
}
