package org.vitbench.models.vitshapley;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDScope;
import ai.djl.ndarray.types.Shape;
import java.io.IOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.SplittableRandom;
import org.vitbench.api.ConfigurationException;
import org.vitbench.api.Dataset;
import org.vitbench.api.Gradients;
import org.vitbench.api.Progress;
import org.vitbench.api.Removal;
import org.vitbench.models.Checkpoints;
import org.vitbench.models.ModelConfig;
import org.vitbench.models.VisionTransformer;
import org.vitbench.models.training.TrainingConfig;
import org.vitbench.models.training.TrainingListener;
import org.vitbench.models.training.TrainingLoop;

/**
 * Fine-tunes a copy of a classifier into ViT Shapley's surrogate: with a random subset of patches
 * held out by attention masking, the surrogate's prediction should match the classifier's on the
 * full image. Loss {@code KL(f(x) || g(x_S))} averaged over the batch (ViT Shapley brief, section
 * 2), one mask per image per step, the kept count uniform on {@code 0..P} and the subset uniform
 * given its size. The classifier's outputs are computed once for all training images (no
 * augmentation, so the teacher's output of an image never changes). Model selection by the KL on
 * held-out images with masks fixed per image.
 */
public final class SurrogateTrainer {

    /** The history key of the validation score. */
    public static final String SCORE = "validationKl";

    private final VisionTransformer classifier;
    private final TrainingConfig config;
    private final double maxGradientNorm;
    private final TrainingListener listener;

    /**
     * @param classifier the model to imitate; its weights are copied, never changed
     * @param maxGradientNorm global gradient-norm clipping (the reference clips at 1.0); 0 turns it off
     */
    public SurrogateTrainer(VisionTransformer classifier, TrainingConfig config, double maxGradientNorm,
            TrainingListener listener) {
        if (config.augment()) {
            throw new ConfigurationException("surrogate training precomputes the classifier's outputs and "
                    + "does not augment; turn augmentation off");
        }
        this.classifier = classifier;
        this.config = config;
        this.maxGradientNorm = maxGradientNorm;
        this.listener = listener;
    }

    /**
     * Trains on {@code train} and writes the best surrogate (lowest validation KL) to {@code out}
     * as a plain ViT checkpoint whose provenance names the classifier and its fingerprint.
     */
    public TrainingLoop.State train(Dataset train, Path out, Map<String, Object> provenance) throws IOException {
        ModelConfig base = classifier.config();
        if (train.classNames().size() != base.architecture().numClasses()) {
            throw new ConfigurationException("dataset " + train.name() + " has " + train.classNames().size()
                    + " classes but classifier " + base.name() + " has " + base.architecture().numClasses());
        }
        int n = train.size();
        float[][] images = Teacher.images(train);
        listener.message("computing the classifier's outputs on " + n + " training images");
        float[][] teacherLogProbs = Teacher.logProbabilities(classifier, images, Progress.NONE);
        String classifierFingerprint = classifier.fingerprint();
        Map<String, Object> facts = new LinkedHashMap<>(provenance);
        facts.put("role", "surrogate");
        facts.put("classifier", Map.of("name", base.name(), "fingerprint", classifierFingerprint));
        // the surrogate sees images prepared exactly as its classifier does (crop and resize included)
        ModelConfig surrogateConfig = new ModelConfig(base.name() + "-surrogate", base.architecture(), base.mean(),
                base.std(), base.interpolation(), base.classNames(), facts, base.cropPct(), base.resize());
        try (VisionTransformer surrogate = Checkpoints.fromTensors(surrogateConfig,
                Checkpoints.toTensors(classifier.weights()))) {
            int patches = base.architecture().numPatches();
            TrainingLoop.Task task = new TrainingLoop.Task() {
                @Override
                public Map<String, NDArray> parameters() {
                    return surrogate.weights();
                }

                @Override
                public double step(int[] batch, SplittableRandom random) {
                    float[][] keep = new float[batch.length][];
                    for (int i = 0; i < batch.length; i++) {
                        keep[i] = uniformSizeMask(patches, random);
                    }
                    return kl(surrogate, images, teacherLogProbs, batch, keep, true);
                }

                @Override
                public double validate(int[] validation) {
                    double sum = 0;
                    for (int from = 0; from < validation.length; from += 500) {
                        int[] chunk = java.util.Arrays.copyOfRange(validation, from,
                                Math.min(validation.length, from + 500));
                        float[][] keep = new float[chunk.length][];
                        for (int i = 0; i < chunk.length; i++) {
                            // the same mask for an image at every validation, as the reference caches them
                            keep[i] = uniformSizeMask(patches, new SplittableRandom(0x5A11L * 31 + chunk[i]));
                        }
                        sum += kl(surrogate, images, teacherLogProbs, chunk, keep, false) * chunk.length;
                    }
                    return sum / validation.length;
                }

                @Override
                public void saveBest(Path dir, Map<String, Object> more) throws IOException {
                    Map<String, Object> all = new LinkedHashMap<>(surrogateConfig.provenance());
                    all.putAll(more);
                    Checkpoints.save(dir, surrogateConfig.withProvenance(all), surrogate.weights());
                }
            };
            Map<String, Object> setup = Map.of("role", "surrogate", "classifier", classifierFingerprint,
                    "dataset", train.name(), "size", n, "maxGradientNorm", maxGradientNorm);
            return new TrainingLoop(config, new TrainingLoop.Settings(SCORE, false, maxGradientNorm), setup, listener)
                    .run(n, task, out);
        }
    }

    /** A keep-mask whose kept count is uniform on {@code 0..P}, uniform given the count. */
    static float[] uniformSizeMask(int patches, SplittableRandom random) {
        int kept = random.nextInt(patches + 1);
        int[] order = new int[patches];
        for (int i = 0; i < patches; i++) {
            order[i] = i;
        }
        float[] keep = new float[patches];
        for (int i = 0; i < kept; i++) { // partial Fisher-Yates: the first `kept` of a random order
            int j = i + random.nextInt(patches - i);
            int t = order[i];
            order[i] = order[j];
            order[j] = t;
            keep[order[i]] = 1f;
        }
        return keep;
    }

    /** Mean KL(teacher || surrogate on the masked images); with {@code backward}, its gradients too. */
    private static double kl(VisionTransformer surrogate, float[][] images, float[][] teacherLogProbs, int[] idx,
            float[][] keep, boolean backward) {
        var arch = surrogate.config().architecture();
        int k = arch.numClasses();
        int p = arch.numPatches();
        int pixels = images[0].length;
        float[] x = new float[idx.length * pixels];
        float[] logP = new float[idx.length * k];
        float[] mask = new float[idx.length * p];
        for (int i = 0; i < idx.length; i++) {
            System.arraycopy(images[idx[i]], 0, x, i * pixels, pixels);
            System.arraycopy(teacherLogProbs[idx[i]], 0, logP, i * k, k);
            System.arraycopy(keep[i], 0, mask, i * p, p);
        }
        try (NDScope scope = new NDScope(); NDManager m = surrogate.manager().newSubManager()) {
            NDArray images_ = m.create(x, new Shape(idx.length, arch.channels(), arch.imageSize(), arch.imageSize()));
            NDArray teacher = m.create(logP, new Shape(idx.length, k));
            NDArray keepArray = m.create(mask, new Shape(idx.length, p));
            if (!backward) {
                return klLoss(surrogate.logits(images_, keepArray, Removal.ATTENTION_MASK), teacher).getFloat();
            }
            return Gradients.compute(collector -> {
                NDArray loss = klLoss(surrogate.logits(images_, keepArray, Removal.ATTENTION_MASK), teacher);
                collector.backward(loss);
                return (double) loss.getFloat();
            });
        }
    }

    /** {@code mean_b sum_c p_bc (log p_bc - log q_bc)} with {@code q = softmax(logits)}. */
    private static NDArray klLoss(NDArray logits, NDArray teacherLogProbs) {
        NDArray logQ = logits.logSoftmax(1);
        return teacherLogProbs.exp().mul(teacherLogProbs.sub(logQ)).sum(new int[] {1}).mean();
    }
}
