package org.vitbench.models.training;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDScope;
import ai.djl.ndarray.types.Shape;
import java.io.IOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.vitbench.api.ConfigurationException;
import org.vitbench.api.Dataset;
import org.vitbench.api.Gradients;
import org.vitbench.api.Progress;
import org.vitbench.api.Sample;
import org.vitbench.models.Checkpoints;
import org.vitbench.models.Initialization;
import org.vitbench.models.ModelConfig;
import org.vitbench.models.VisionTransformer;
import org.vitbench.models.checkpoint.Tensor;

/**
 * Trains a ViT classifier with cross-entropy, AdamW and a cosine schedule with warm-up. Seeded:
 * the same config and data give the same weights. The epochs, checkpoints and resume are
 * {@link TrainingLoop}'s; the best model by validation accuracy is kept as
 * {@code <out>/model.safetensors} with {@code <out>/config.json}.
 */
public final class ClassifierTrainer {

    private final ModelConfig modelConfig;
    private final TrainingConfig config;
    private final TrainingListener listener;
    private final Map<String, Tensor> initialWeights;

    /** Trains from seeded random weights (timm's initialisation). */
    public ClassifierTrainer(ModelConfig modelConfig, TrainingConfig config, TrainingListener listener) {
        this(modelConfig, config, listener, null);
    }

    /**
     * Trains from {@code initialWeights} (a second stage, e.g. a fine-tuning with a lower rate),
     * or from seeded random weights when it is {@code null}.
     */
    public ClassifierTrainer(ModelConfig modelConfig, TrainingConfig config, TrainingListener listener,
            Map<String, Tensor> initialWeights) {
        this.modelConfig = modelConfig;
        this.config = config;
        this.listener = listener;
        this.initialWeights = initialWeights;
    }

    /**
     * Trains on {@code train} (its last {@code validationSize} samples of a seeded permutation are
     * held out) and writes the best model by validation accuracy to {@code out}.
     *
     * @return the final state
     */
    public TrainingLoop.State train(Dataset train, Path out) throws IOException {
        checkData(train);
        int n = train.size();
        float[][] images = new float[n][];
        int[] labels = new int[n];
        for (int i = 0; i < n; i++) {
            Sample s = train.get(i);
            images[i] = s.image().pixels();
            labels[i] = s.label();
        }
        try (VisionTransformer model = fresh()) {
            TrainingLoop.Task task = new TrainingLoop.Task() {
                @Override
                public Map<String, NDArray> parameters() {
                    return model.weights();
                }

                @Override
                public double step(int[] batch, SplittableRandom random) {
                    return ClassifierTrainer.this.step(model, images, labels, batch, random);
                }

                @Override
                public double validate(int[] validation) {
                    return Evaluation.accuracy(model, new Subset(train, validation), 500, Progress.NONE).accuracy();
                }

                @Override
                public void saveBest(Path dir, Map<String, Object> facts) throws IOException {
                    Map<String, Object> provenance = new LinkedHashMap<>(modelConfig.provenance());
                    provenance.putAll(facts);
                    Checkpoints.save(dir, modelConfig.withProvenance(provenance), model.weights());
                }
            };
            return new TrainingLoop(config, new TrainingLoop.Settings("validationAccuracy", true, 0),
                    Map.of("architecture", modelConfig.architecture()), listener).run(n, task, out);
        }
    }

    private VisionTransformer fresh() {
        if (initialWeights != null) {
            return Checkpoints.fromTensors(modelConfig, initialWeights);
        }
        NDManager manager = NDManager.newBaseManager();
        return new VisionTransformer(modelConfig, manager,
                Initialization.initialise(modelConfig.architecture(), manager, config.seed()));
    }

    private double step(VisionTransformer model, float[][] images, int[] labels, int[] idx,
            SplittableRandom random) {
        int c = modelConfig.architecture().channels();
        int s = modelConfig.architecture().imageSize();
        int k = modelConfig.architecture().numClasses();
        float[] batch = new float[idx.length * c * s * s];
        int[] y = new int[idx.length];
        for (int i = 0; i < idx.length; i++) {
            float[] image = images[idx[i]];
            if (config.augment()) {
                translate(image, batch, i * image.length, c, s, random.nextInt(5) - 2, random.nextInt(5) - 2);
            } else {
                System.arraycopy(image, 0, batch, i * image.length, image.length);
            }
            y[i] = labels[idx[i]];
        }
        try (NDScope scope = new NDScope(); NDManager m = model.manager().newSubManager()) {
            NDArray x = m.create(batch, new Shape(idx.length, c, s, s));
            float[] hot = new float[y.length * k];
            for (int i = 0; i < y.length; i++) {
                hot[i * k + y[i]] = 1f;
            }
            NDArray onehot = m.create(hot, new Shape(y.length, k));
            return Gradients.compute(collector -> {
                NDArray logits = model.logits(x);
                NDArray l = logits.logSoftmax(1).mul(onehot).sum(new int[] {1}).neg().mean();
                collector.backward(l);
                return (double) l.getFloat();
            });
        }
    }

    /** The samples of {@code base} at {@code indices}, in that order (the validation split). */
    private record Subset(Dataset base, int[] indices) implements Dataset {

        @Override
        public String name() {
            return base.name() + "/validation";
        }

        @Override
        public List<String> classNames() {
            return base.classNames();
        }

        @Override
        public int size() {
            return indices.length;
        }

        @Override
        public Sample get(int index) {
            return base.get(indices[index]);
        }
    }

    /** Copies {@code image} shifted by (dx, dy) into {@code out} at {@code offset}, zero-filling. */
    static void translate(float[] image, float[] out, int offset, int channels, int size, int dx, int dy) {
        for (int ch = 0; ch < channels; ch++) {
            for (int y = 0; y < size; y++) {
                int sy = y - dy;
                for (int x = 0; x < size; x++) {
                    int sx = x - dx;
                    out[offset + (ch * size + y) * size + x] = sy >= 0 && sy < size && sx >= 0 && sx < size
                            ? image[(ch * size + sy) * size + sx] : 0f;
                }
            }
        }
    }

    private void checkData(Dataset train) {
        if (train.size() == 0) {
            throw new ConfigurationException("training dataset " + train.name() + " is empty");
        }
        if (train.classNames().size() != modelConfig.architecture().numClasses()) {
            throw new ConfigurationException("dataset " + train.name() + " has " + train.classNames().size()
                    + " classes but the model is configured for " + modelConfig.architecture().numClasses());
        }
    }
}
