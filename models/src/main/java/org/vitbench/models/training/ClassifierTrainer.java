package org.vitbench.models.training;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDScope;
import ai.djl.ndarray.types.Shape;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
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
import org.vitbench.models.checkpoint.Safetensors;
import org.vitbench.models.checkpoint.Tensor;

/**
 * Trains a ViT classifier with cross-entropy, AdamW and a cosine schedule with warm-up. Seeded:
 * the same config and data give the same weights. After every epoch the training state (weights,
 * optimiser moments, history) is written atomically under {@code <out>/training/}; a rerun with
 * the same config resumes after the last completed epoch. The best model by validation accuracy
 * is kept as {@code <out>/model.safetensors} with {@code <out>/config.json}.
 */
public final class ClassifierTrainer {

    private static final String STATE_DIR = "training";
    private static final String STATE_WEIGHTS = "state.safetensors";
    private static final String STATE_JSON = "state.json";

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

    /** The persisted progress of a run. */
    public record State(TrainingConfig training, ModelConfig model, int epochsDone, long steps,
            double bestAccuracy, int bestEpoch, List<Map<String, Object>> history) {
    }

    /**
     * Trains on {@code train} (its last {@code validationSize} samples of a seeded permutation are
     * held out) and writes the best model to {@code out}.
     *
     * @return the final state
     */
    public State train(Dataset train, Path out) throws IOException {
        checkData(train);
        int n = train.size();
        int[] order = permutation(n, new SplittableRandom(config.seed() ^ 0x5EED5EEDL));
        int validation = Math.min(config.validationSize(), n / 5);
        int[] trainIdx = java.util.Arrays.copyOfRange(order, 0, n - validation);
        int[] valIdx = java.util.Arrays.copyOfRange(order, n - validation, n);
        float[][] images = new float[n][];
        int[] labels = new int[n];
        for (int i = 0; i < n; i++) {
            Sample s = train.get(i);
            images[i] = s.image().pixels();
            labels[i] = s.label();
        }
        Files.createDirectories(out.resolve(STATE_DIR));
        State state = readState(out);
        ModelConfig startConfig = modelConfig;
        try (VisionTransformer model = state == null ? fresh() : resumeModel(out);
                NDManager optimiserManager = NDManager.newBaseManager()) {
            AdamW optimiser = AdamW.withDefaults(optimiserManager);
            if (state == null) {
                state = new State(config, startConfig, 0, 0, -1, 0, new ArrayList<>());
            } else {
                Map<String, NDArray> moments = new LinkedHashMap<>();
                Safetensors.read(out.resolve(STATE_DIR).resolve(STATE_WEIGHTS)).forEach((k, t) -> {
                    if (k.startsWith("m.") || k.startsWith("v.")) {
                        moments.put(k, optimiserManager.create(t.values(), new Shape(t.shape())));
                    }
                });
                optimiser.restore(moments, state.steps());
                listener.message("resuming after epoch " + state.epochsDone() + " of " + config.epochs());
            }
            model.weights().values().forEach(w -> w.setRequiresGradient(true));
            int stepsPerEpoch = (trainIdx.length + config.batchSize() - 1) / config.batchSize();
            CosineSchedule schedule = new CosineSchedule(config.learningRate(), config.minLearningRate(),
                    Math.round(config.warmupEpochs() * stepsPerEpoch), (long) config.epochs() * stepsPerEpoch);
            for (int epoch = state.epochsDone() + 1; epoch <= config.epochs(); epoch++) {
                long start = System.nanoTime();
                SplittableRandom random = new SplittableRandom(config.seed() * 1_000_003L + epoch);
                int[] shuffled = trainIdx.clone();
                shuffle(shuffled, random);
                double lossSum = 0;
                for (int step = 0; step < stepsPerEpoch; step++) {
                    int from = step * config.batchSize();
                    int to = Math.min(shuffled.length, from + config.batchSize());
                    double lr = schedule.at(optimiser.steps() + 1);
                    lossSum += step(model, optimiser, images, labels, shuffled, from, to, lr, random);
                    listener.step(epoch, step + 1, stepsPerEpoch, lossSum / (step + 1));
                }
                double accuracy = valIdx.length == 0 ? Double.NaN
                        : Evaluation.accuracy(model, new Subset(train, valIdx), 500, Progress.NONE).accuracy();
                double seconds = (System.nanoTime() - start) / 1e9;
                List<Map<String, Object>> history = new ArrayList<>(state.history());
                Map<String, Object> row = new LinkedHashMap<>();
                row.put("epoch", epoch);
                row.put("trainLoss", lossSum / stepsPerEpoch);
                row.put("validationAccuracy", accuracy);
                row.put("seconds", seconds);
                history.add(row);
                boolean best = accuracy > state.bestAccuracy();
                state = new State(config, startConfig, epoch, optimiser.steps(),
                        best ? accuracy : state.bestAccuracy(), best ? epoch : state.bestEpoch(), history);
                if (best) {
                    Map<String, Object> provenance = new LinkedHashMap<>(modelConfig.provenance());
                    provenance.put("trainingConfig", config);
                    provenance.put("bestEpoch", epoch);
                    provenance.put("validationAccuracy", accuracy);
                    provenance.put("validationSize", valIdx.length);
                    Checkpoints.save(out, modelConfig.withProvenance(provenance), model.weights());
                }
                writeState(out, state, model, optimiser);
                listener.epoch(epoch, lossSum / stepsPerEpoch, accuracy, seconds);
            }
            return state;
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

    private VisionTransformer resumeModel(Path out) {
        Map<String, Tensor> all = Safetensors.read(out.resolve(STATE_DIR).resolve(STATE_WEIGHTS));
        Map<String, Tensor> weights = new LinkedHashMap<>();
        all.forEach((k, t) -> {
            if (k.startsWith("w.")) {
                weights.put(k.substring(2), t);
            }
        });
        return Checkpoints.fromTensors(modelConfig, weights);
    }

    private double step(VisionTransformer model, AdamW optimiser, float[][] images, int[] labels, int[] idx,
            int from, int to, double lr, SplittableRandom random) {
        int c = modelConfig.architecture().channels();
        int s = modelConfig.architecture().imageSize();
        int k = modelConfig.architecture().numClasses();
        float[] batch = new float[(to - from) * c * s * s];
        int[] y = new int[to - from];
        for (int i = from; i < to; i++) {
            float[] image = images[idx[i]];
            if (config.augment()) {
                translate(image, batch, (i - from) * image.length, c, s, random.nextInt(5) - 2, random.nextInt(5) - 2);
            } else {
                System.arraycopy(image, 0, batch, (i - from) * image.length, image.length);
            }
            y[i - from] = labels[idx[i]];
        }
        try (NDScope scope = new NDScope(); NDManager m = model.manager().newSubManager()) {
            NDArray x = m.create(batch, new Shape(to - from, c, s, s));
            float[] hot = new float[y.length * k];
            for (int i = 0; i < y.length; i++) {
                hot[i * k + y[i]] = 1f;
            }
            NDArray onehot = m.create(hot, new Shape(y.length, k));
            double loss = Gradients.compute(collector -> {
                NDArray logits = model.logits(x);
                NDArray l = logits.logSoftmax(1).mul(onehot).sum(new int[] {1}).neg().mean();
                collector.backward(l);
                return (double) l.getFloat();
            });
            optimiser.beginStep();
            for (Map.Entry<String, NDArray> e : model.weights().entrySet()) {
                NDArray w = e.getValue();
                NDArray grad = w.getGradient();
                // timm's convention: no decay on 1-d parameters (biases, norms) nor on embeddings.
                boolean decay = w.getShape().dimension() > 1 && !e.getKey().equals("pos_embed")
                        && !e.getKey().equals("cls_token");
                optimiser.update(e.getKey(), w, grad, lr, decay ? config.weightDecay() : 0);
                grad.muli(0);
            }
            return loss;
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

    private State readState(Path out) {
        Path json = out.resolve(STATE_DIR).resolve(STATE_JSON);
        if (!Files.isRegularFile(json)) {
            return null;
        }
        try {
            State state = Checkpoints.json().readValue(json.toFile(), State.class);
            if (!state.training().equals(config) || !state.model().architecture().equals(modelConfig.architecture())) {
                throw new ConfigurationException("the output directory " + out + " holds a training run with "
                        + "another config (" + state.training() + "); use a new output directory to start afresh");
            }
            return state;
        } catch (IOException e) {
            throw new ConfigurationException("cannot read the training state " + json + ": " + e.getMessage(), e);
        }
    }

    private void writeState(Path out, State state, VisionTransformer model, AdamW optimiser) throws IOException {
        Map<String, NDArray> arrays = new LinkedHashMap<>();
        model.weights().forEach((k, a) -> arrays.put("w." + k, a));
        arrays.putAll(optimiser.state());
        Path dir = out.resolve(STATE_DIR);
        Safetensors.write(dir.resolve(STATE_WEIGHTS), Checkpoints.toTensors(arrays), Map.of());
        Path tmp = dir.resolve(STATE_JSON + ".tmp");
        try {
            Checkpoints.json().writeValue(tmp.toFile(), state);
            Files.move(tmp, dir.resolve(STATE_JSON), java.nio.file.StandardCopyOption.ATOMIC_MOVE,
                    java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the training state to " + dir, e);
        }
    }

    static int[] permutation(int n, SplittableRandom random) {
        int[] p = new int[n];
        for (int i = 0; i < n; i++) {
            p[i] = i;
        }
        shuffle(p, random);
        return p;
    }

    private static void shuffle(int[] a, SplittableRandom random) {
        for (int i = a.length - 1; i > 0; i--) {
            int j = random.nextInt(i + 1);
            int t = a[i];
            a[i] = a[j];
            a[j] = t;
        }
    }
}
