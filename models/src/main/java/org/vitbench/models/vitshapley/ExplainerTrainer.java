package org.vitbench.models.vitshapley;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDScope;
import ai.djl.ndarray.types.Shape;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.SplittableRandom;
import org.apache.commons.rng.UniformRandomProvider;
import org.apache.commons.rng.simple.RandomSource;
import org.vitbench.api.ConfigurationException;
import org.vitbench.api.Dataset;
import org.vitbench.api.Gradients;
import org.vitbench.api.GraphConstants;
import org.vitbench.api.Progress;
import org.vitbench.api.Removal;
import org.vitbench.models.VisionTransformer;
import org.vitbench.models.masking.ShapleySampler;
import org.vitbench.models.training.TrainingConfig;
import org.vitbench.models.training.TrainingListener;
import org.vitbench.models.training.TrainingLoop;

/**
 * Trains ViT Shapley's explainer against a frozen surrogate with FastSHAP's weighted least squares
 * (brief, section 3.3): for each image, {@code pairs} coalitions drawn from the Shapley kernel
 * with exactly sampled sizes, each with its complement, and the loss
 * {@code P * mean_{B, M, K} (v(empty) + 1_S . phi(x) - v(S))^2} with {@code phi} after additive
 * efficient normalisation and {@code v} the surrogate's softmax output. The kernel enters through
 * the sampling distribution only, as in the reference.
 *
 * <p>The surrogate's outputs on the coalitions are computed by token dropping: for a ViT with a CLS
 * read-out it gives the same outputs as the attention masking the surrogate was trained with
 * (tested to 1e-5) at about half the cost for kernel-distributed sizes. Its full-image outputs
 * {@code v(1)} are computed once for all images, since the surrogate is frozen. Validation uses
 * coalitions fixed per image.
 */
public final class ExplainerTrainer {

    /**
     * The value function the explainer learns: the surrogate's softmax outputs on coalitions of
     * patches ({@link #of(VisionTransformer)}), or a game whose Shapley values are known (tests).
     */
    public interface Game {

        /** v(empty) per class, the same for every image. */
        float[] empty();

        /** v(1) per image and class, [n][K]. */
        float[][] grand(float[][] images);

        /** v(S) for each image's coalitions: {@code masks[i][j]} is image {@code idx[i]}'s j-th keep-mask; [B][M * K]. */
        float[][] values(float[][] images, int[] idx, float[][][] masks);
    }

    /** The history key of the validation score. */
    public static final String SCORE = "validationLoss";

    private final VisionTransformer surrogate;
    private final Game game;
    private final String surrogateSpec;
    private final TrainingConfig config;
    private final int pairs;
    private final int validationPairs;
    private final double maxGradientNorm;
    private final TrainingListener listener;

    /**
     * @param surrogate the frozen surrogate: the explainer's backbone starts from its weights
     * @param game the value function, normally {@link #of(VisionTransformer) of(surrogate)}
     * @param surrogateSpec how the registry loads that surrogate again ({@code embedded-surrogate},
     *     {@code checkpoint:path=...}); recorded in the explainer's spec
     * @param pairs complementary coalition pairs per image and step (the reference uses 16)
     * @param validationPairs pairs per held-out image for model selection
     * @param maxGradientNorm global gradient-norm clipping (the reference clips at 1.0); 0 turns it off
     */
    public ExplainerTrainer(VisionTransformer surrogate, Game game, String surrogateSpec, TrainingConfig config, int pairs,
            int validationPairs, double maxGradientNorm, TrainingListener listener) {
        if (pairs < 1 || validationPairs < 1) {
            throw new ConfigurationException("pairs per image must be at least 1, got " + pairs + " and "
                    + validationPairs);
        }
        if (config.augment()) {
            throw new ConfigurationException("explainer training precomputes the surrogate's full-image outputs "
                    + "and does not augment; turn augmentation off");
        }
        this.surrogate = surrogate;
        this.game = game;
        this.surrogateSpec = surrogateSpec;
        this.config = config;
        this.pairs = pairs;
        this.validationPairs = validationPairs;
        this.maxGradientNorm = maxGradientNorm;
        this.listener = listener;
    }

    /** Trains on {@code train} and writes the explainer with the lowest validation loss to {@code out}. */
    public TrainingLoop.State train(Dataset train, Path out, Map<String, Object> provenance) throws IOException {
        var arch = surrogate.config().architecture();
        if (train.classNames().size() != arch.numClasses()) {
            throw new ConfigurationException("dataset " + train.name() + " has " + train.classNames().size()
                    + " classes but surrogate " + surrogate.config().name() + " has " + arch.numClasses());
        }
        int n = train.size();
        float[][] images = Teacher.images(train);
        listener.message("computing the game's full-image values on " + n + " training images");
        float[][] grand = game.grand(images);
        float[] empty = game.empty();
        String classifierName = "unknown";
        String classifierFingerprint = "unknown";
        if (surrogate.config().provenance().get("classifier") instanceof Map<?, ?> c) {
            classifierName = String.valueOf(c.get("name"));
            classifierFingerprint = String.valueOf(c.get("fingerprint"));
        }
        ExplainerSpec spec = new ExplainerSpec(ExplainerSpec.FORMAT, surrogateSpec, surrogate.fingerprint(),
                classifierName, classifierFingerprint, 4, provenance);
        ShapleySampler sampler = new ShapleySampler(arch.numPatches());
        Map<Integer, float[][]> validationTargets = new LinkedHashMap<>();
        try (ShapleyExplainerModel explainer = ShapleyExplainerModel.initialise(surrogate, spec, config.seed())) {
            TrainingLoop.Task task = new TrainingLoop.Task() {
                @Override
                public Map<String, NDArray> parameters() {
                    return explainer.trainable();
                }

                @Override
                public double step(int[] batch, SplittableRandom random) {
                    UniformRandomProvider rng = RandomSource.XO_RO_SHI_RO_128_PP.create(random.nextLong());
                    float[][][] masks = new float[batch.length][][];
                    for (int i = 0; i < batch.length; i++) {
                        masks[i] = toFloat(sampler.samplePaired(pairs, rng));
                    }
                    float[][] targets = game.values(images, batch, masks);
                    return loss(explainer, images, grand, empty, batch, masks, targets, true);
                }

                @Override
                public double validate(int[] validation) {
                    double sum = 0;
                    int chunk = 250;
                    for (int from = 0; from < validation.length; from += chunk) {
                        int[] idx = Arrays.copyOfRange(validation, from, Math.min(validation.length, from + chunk));
                        float[][][] masks = new float[idx.length][][];
                        for (int i = 0; i < idx.length; i++) {
                            masks[i] = toFloat(sampler.samplePaired(validationPairs,
                                    RandomSource.XO_RO_SHI_RO_128_PP.create(0x7A11DL * 31 + idx[i])));
                        }
                        // the surrogate is frozen: its values on the fixed coalitions are computed once
                        float[][] targets = validationTargets.computeIfAbsent(from,
                                f -> game.values(images, idx, masks));
                        sum += loss(explainer, images, grand, empty, idx, masks, targets, false) * idx.length;
                    }
                    return sum / validation.length;
                }

                @Override
                public void saveBest(Path dir, Map<String, Object> facts) throws IOException {
                    Map<String, Object> all = new LinkedHashMap<>(spec.provenance());
                    all.put("pairsPerImage", pairs);
                    all.put("validationPairsPerImage", validationPairs);
                    all.putAll(facts);
                    explainer.save(dir, spec.withProvenance(all));
                }
            };
            Map<String, Object> setup = Map.of("role", "explainer", "surrogate", spec.surrogateFingerprint(),
                    "dataset", train.name(), "size", n, "pairs", pairs, "validationPairs", validationPairs,
                    "maxGradientNorm", maxGradientNorm);
            return new TrainingLoop(config, new TrainingLoop.Settings(SCORE, false, maxGradientNorm), setup, listener)
                    .run(n, task, out);
        }
    }

    /** The surrogate's softmax outputs as the game (ViT Shapley's value function). */
    public static Game of(VisionTransformer surrogate) {
        return new Game() {
            @Override
            public float[] empty() {
                var a = surrogate.config().architecture();
                try (NDManager m = surrogate.manager().newSubManager()) {
                    NDArray x = m.zeros(new Shape(1, a.channels(), a.imageSize(), a.imageSize()));
                    NDArray keep = m.zeros(new Shape(1, a.numPatches()));
                    return surrogate.logits(x, keep, Removal.ATTENTION_MASK).softmax(1).toFloatArray();
                }
            }

            @Override
            public float[][] grand(float[][] images) {
                return Teacher.probabilities(surrogate, images, Progress.NONE);
            }

            @Override
            public float[][] values(float[][] images, int[] idx, float[][][] masks) {
                return coalitionValues(surrogate, images, idx, masks);
            }
        };
    }

    /** The surrogate's softmax outputs on every image's coalitions: [B][M * K]. */
    private static float[][] coalitionValues(VisionTransformer surrogate, float[][] images, int[] idx,
            float[][][] masks) {
        var a = surrogate.config().architecture();
        int k = a.numClasses();
        int p = a.numPatches();
        int pixels = images[0].length;
        int rows = 0;
        for (float[][] m : masks) {
            rows += m.length;
        }
        float[] x = new float[rows * pixels];
        float[] keep = new float[rows * p];
        int r = 0;
        for (int i = 0; i < idx.length; i++) {
            for (float[] mask : masks[i]) {
                System.arraycopy(images[idx[i]], 0, x, r * pixels, pixels);
                System.arraycopy(mask, 0, keep, r * p, p);
                r++;
            }
        }
        float[] flat;
        try (NDManager m = surrogate.manager().newSubManager()) {
            NDArray logits = surrogate.logits(m.create(x, new Shape(rows, a.channels(), a.imageSize(), a.imageSize())),
                    m.create(keep, new Shape(rows, p)), Removal.TOKEN_DROP);
            flat = logits.softmax(1).toFloatArray();
        }
        float[][] out = new float[idx.length][];
        r = 0;
        for (int i = 0; i < idx.length; i++) {
            int mk = masks[i].length * k;
            out[i] = Arrays.copyOfRange(flat, r, r + mk);
            r += mk;
        }
        return out;
    }

    /**
     * {@code P * mean (v(empty) + masks . phi - v(S))^2} over images, coalitions and classes; with
     * {@code backward}, its gradients too.
     */
    static double loss(ShapleyExplainerModel explainer, float[][] images, float[][] grand, float[] empty, int[] idx,
            float[][][] masks, float[][] targets, boolean backward) {
        var a = explainer.config().architecture();
        int k = a.numClasses();
        int p = a.numPatches();
        int mPer = masks[0].length;
        int pixels = images[0].length;
        float[] x = new float[idx.length * pixels];
        float[] g = new float[idx.length * k];
        float[] keep = new float[idx.length * mPer * p];
        float[] v = new float[idx.length * mPer * k];
        for (int i = 0; i < idx.length; i++) {
            System.arraycopy(images[idx[i]], 0, x, i * pixels, pixels);
            System.arraycopy(grand[idx[i]], 0, g, i * k, k);
            for (int j = 0; j < mPer; j++) {
                System.arraycopy(masks[i][j], 0, keep, (i * mPer + j) * p, p);
            }
            System.arraycopy(targets[i], 0, v, i * mPer * k, mPer * k);
        }
        try (NDScope scope = new NDScope(); NDManager m = explainer.manager().newSubManager()) {
            NDArray xs = m.create(x, new Shape(idx.length, a.channels(), a.imageSize(), a.imageSize()));
            NDArray grandArr = m.create(g, new Shape(idx.length, k));
            NDArray emptyArr = m.create(empty, new Shape(k));
            NDArray keepArr = m.create(keep, new Shape(idx.length, mPer, p));
            NDArray vArr = m.create(v, new Shape(idx.length, mPer, k));
            if (!backward) {
                return lossOf(explainer.values(xs, grandArr, emptyArr), keepArr, vArr, emptyArr, p).getFloat();
            }
            return Gradients.compute(collector -> {
                NDArray loss = lossOf(explainer.values(xs, grandArr, emptyArr), keepArr, vArr, emptyArr, p);
                collector.backward(loss);
                return (double) loss.getFloat();
            });
        }
    }

    /** phi [B, P, K], keep [B, M, P], v [B, M, K] -> {@code P * mean((empty + keep phi - v)^2)}. */
    private static NDArray lossOf(NDArray phi, NDArray keep, NDArray v, NDArray empty, int p) {
        NDArray predicted = keep.matMul(phi).add(empty); // [B, M, P] x [B, P, K] -> [B, M, K]
        return GraphConstants.mul(predicted.sub(v).square().mean(), p);
    }

    private static float[][] toFloat(boolean[][] masks) {
        float[][] out = new float[masks.length][];
        for (int j = 0; j < masks.length; j++) {
            out[j] = new float[masks[j].length];
            for (int i = 0; i < masks[j].length; i++) {
                out[j][i] = masks[j][i] ? 1f : 0f;
            }
        }
        return out;
    }
}
