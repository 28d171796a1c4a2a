package org.vitbench.models.vitshapley;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.vitbench.api.Dataset;
import org.vitbench.api.Image;
import org.vitbench.api.Sample;
import org.vitbench.models.Initialization;
import org.vitbench.models.TinyVit;
import org.vitbench.models.VisionTransformer;
import org.vitbench.models.VitConfig;
import org.vitbench.models.training.TrainingConfig;
import org.vitbench.models.training.TrainingListener;
import org.vitbench.models.training.TrainingLoop;

class ExplainerTrainerTest {

    /** 12 x 12 grey images, 3 x 3 patches, D = 16, 1 block, 2 heads, 3 classes. */
    static final VitConfig ARCH = VitConfig.of(12, 4, 1, 16, 1, 2, 2.0, 3);
    /** Class weights of the additive game. */
    static final float[] WEIGHTS = {0.6f, -0.4f, 0.2f};

    @TempDir
    Path dir;

    /** Images whose patches each have one random grey level (plus a little noise). */
    static Dataset patchLevels(int n, long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        List<Sample> samples = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            float[] p = new float[144];
            double[] level = new double[9];
            for (int j = 0; j < 9; j++) {
                level[j] = random.nextDouble();
            }
            for (int j = 0; j < p.length; j++) {
                int patch = (j / 12) / 4 * 3 + (j % 12) / 4;
                p[j] = (float) (level[patch] + 0.02 * (random.nextDouble() - 0.5));
            }
            samples.add(new Sample("levels/" + i, -1, new Image(1, 12, 12, p)));
        }
        return new Dataset() {
            @Override
            public String name() {
                return "levels";
            }

            @Override
            public List<String> classNames() {
                return List.of("a", "b", "c");
            }

            @Override
            public int size() {
                return samples.size();
            }

            @Override
            public Sample get(int index) {
                return samples.get(index);
            }
        };
    }

    /** m_i(x): the mean pixel of patch i. */
    static float[] patchMeans(float[] image) {
        float[] m = new float[9];
        for (int j = 0; j < image.length; j++) {
            m[(j / 12) / 4 * 3 + (j % 12) / 4] += image[j] / 16f;
        }
        return m;
    }

    /**
     * v_c(S) = w_c sum_{i in S} m_i(x): additive, so its Shapley values are phi_ic = w_c m_i(x),
     * v(empty) = 0 and v(1) = w_c sum_i m_i(x).
     */
    static final ExplainerTrainer.Game ADDITIVE = new ExplainerTrainer.Game() {
        @Override
        public float[] empty() {
            return new float[3];
        }

        @Override
        public float[][] grand(float[][] images) {
            float[][] out = new float[images.length][3];
            for (int i = 0; i < images.length; i++) {
                float sum = 0;
                for (float v : patchMeans(images[i])) {
                    sum += v;
                }
                for (int c = 0; c < 3; c++) {
                    out[i][c] = WEIGHTS[c] * sum;
                }
            }
            return out;
        }

        @Override
        public float[][] values(float[][] images, int[] idx, float[][][] masks) {
            float[][] out = new float[idx.length][];
            for (int i = 0; i < idx.length; i++) {
                float[] m = patchMeans(images[idx[i]]);
                out[i] = new float[masks[i].length * 3];
                for (int j = 0; j < masks[i].length; j++) {
                    float sum = 0;
                    for (int p = 0; p < 9; p++) {
                        sum += masks[i][j][p] * m[p];
                    }
                    for (int c = 0; c < 3; c++) {
                        out[i][j * 3 + c] = WEIGHTS[c] * sum;
                    }
                }
            }
            return out;
        }
    };

    static VisionTransformer backbone(long seed) {
        NDManager manager = NDManager.newBaseManager();
        return new VisionTransformer(TinyVit.config(ARCH), manager, Initialization.initialise(ARCH, manager, seed));
    }

    @Test
    void aBrieflyTrainedExplainerRecoversTheShapleyValuesOfAnAdditiveGame() throws Exception {
        Dataset data = patchLevels(640, 3);
        TrainingConfig config = new TrainingConfig(12, 32, 3e-3, 1e-5, 1e-5, 0.5, 128, false, 7);
        TrainingLoop.State state;
        try (VisionTransformer surrogate = backbone(11)) {
            state = new ExplainerTrainer(surrogate, ADDITIVE, "checkpoint:path=unused", config, 8, 2, 1.0,
                    TrainingListener.NONE).train(data, dir, Map.of());
        }
        Dataset test = patchLevels(64, 99);
        double squared = 0;
        double total = 0;
        try (ShapleyExplainerModel explainer = ShapleyExplainerModel.load(dir); NDManager m = NDManager.newBaseManager()) {
            float[][] images = new float[test.size()][];
            for (int i = 0; i < images.length; i++) {
                images[i] = test.get(i).image().pixels();
            }
            float[][] grand = ADDITIVE.grand(images);
            float[] flatImages = new float[images.length * 144];
            float[] flatGrand = new float[images.length * 3];
            for (int i = 0; i < images.length; i++) {
                System.arraycopy(images[i], 0, flatImages, i * 144, 144);
                System.arraycopy(grand[i], 0, flatGrand, i * 3, 3);
            }
            NDArray phi = explainer.values(m.create(flatImages, new Shape(images.length, 1, 12, 12)),
                    m.create(flatGrand, new Shape(images.length, 3)), m.zeros(new Shape(3)));
            float[] values = phi.toFloatArray(); // [B, P, K]
            for (int i = 0; i < images.length; i++) {
                float[] means = patchMeans(images[i]);
                for (int p = 0; p < 9; p++) {
                    for (int c = 0; c < 3; c++) {
                        double truth = WEIGHTS[c] * means[p];
                        double d = values[(i * 9 + p) * 3 + c] - truth;
                        squared += d * d;
                        total += truth * truth;
                    }
                }
            }
        }
        double relative = Math.sqrt(squared / total);
        // The game is exactly representable (patch i's token carries m_i), so a working loss, sampler and
        // normalisation leave only optimisation error (0.007 at this seed); 5 % leaves room for other
        // platforms' rounding, while a broken loss or normalisation is off by about 100 %.
        assertTrue(relative < 0.05, "relative L2 error " + relative);
    }
}
