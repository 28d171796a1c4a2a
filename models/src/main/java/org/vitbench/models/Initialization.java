package org.vitbench.models;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * Seeded initial weights as timm's {@code init_weights('')}: truncated normal (std 0.02, cut at
 * two std) for linear and patch weights and the position embedding, a 1e-6 normal for the CLS
 * token, zero biases, LayerNorm weight 1 and bias 0.
 */
public final class Initialization {

    private Initialization() {
    }

    /** Fresh weights for {@code config}, a pure function of {@code seed}. */
    public static Map<String, NDArray> initialise(VitConfig config, NDManager manager, long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        Map<String, NDArray> weights = new LinkedHashMap<>();
        for (Map.Entry<String, long[]> e : ParameterKeys.of(config).entrySet()) {
            String key = e.getKey();
            Shape shape = new Shape(e.getValue());
            float[] values = new float[Math.toIntExact(shape.size())];
            if (key.endsWith("norm1.weight") || key.endsWith("norm2.weight") || key.equals("norm.weight")) {
                java.util.Arrays.fill(values, 1f);
            } else if (key.equals("cls_token")) {
                fillNormal(values, random, 1e-6, Double.POSITIVE_INFINITY);
            } else if (key.endsWith(".weight") && !key.contains("norm") || key.equals("pos_embed")) {
                fillNormal(values, random, 0.02, 2.0);
            }
            weights.put(key, manager.create(values, shape));
        }
        return weights;
    }

    /**
     * A seeded truncated normal array (cut at two std), as timm initialises linear weights; used
     * for layers added to a ViT, such as a ViT Shapley explainer's block and head.
     */
    public static NDArray truncatedNormal(NDManager manager, Shape shape, double std, SplittableRandom random) {
        float[] values = new float[Math.toIntExact(shape.size())];
        fillNormal(values, random, std, 2.0);
        return manager.create(values, shape);
    }

    private static void fillNormal(float[] values, SplittableRandom random, double std, double cut) {
        for (int i = 0; i < values.length; i++) {
            double z;
            do {
                z = gaussian(random);
            } while (Math.abs(z) > cut);
            values[i] = (float) (z * std);
        }
    }

    /** Box-Muller, so that the draw sequence is fixed by the seed alone. */
    private static double gaussian(SplittableRandom random) {
        double u1 = random.nextDouble();
        double u2 = random.nextDouble();
        return Math.sqrt(-2 * Math.log1p(-u1)) * Math.cos(2 * Math.PI * u2);
    }
}
