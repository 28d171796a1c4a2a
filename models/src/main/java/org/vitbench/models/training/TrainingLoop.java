package org.vitbench.models.training;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDScope;
import ai.djl.ndarray.types.Shape;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.vitbench.api.ConfigurationException;
import org.vitbench.api.GraphConstants;
import org.vitbench.models.Checkpoints;
import org.vitbench.models.checkpoint.Safetensors;
import org.vitbench.models.checkpoint.Tensor;

/**
 * The epoch loop shared by every trainer (classifier, surrogate, explainer): a seeded split into
 * training and validation indices, seeded shuffles, AdamW with a cosine schedule and warm-up,
 * optional clipping of the global gradient norm, validation after every epoch, the best model
 * kept, and the training state (weights, optimiser moments, history) written atomically after
 * every epoch under {@code <out>/training/}, so a rerun with the same config resumes after the
 * last completed epoch.
 */
public final class TrainingLoop {

    private static final String STATE_DIR = "training";
    private static final String STATE_WEIGHTS = "state.safetensors";
    private static final String STATE_JSON = "state.json";

    /** What a trainer contributes to the loop. */
    public interface Task {

        /** The trainable arrays by key; the loop turns their gradients on and updates them in place. */
        Map<String, NDArray> parameters();

        /** Whether AdamW's decoupled weight decay applies (timm: matrices only, not embeddings). */
        default boolean decays(String key, NDArray weight) {
            return weight.getShape().dimension() > 1 && !key.equals("pos_embed") && !key.equals("cls_token");
        }

        /**
         * Computes the loss on the training samples {@code batch} and runs its backward pass
         * (inside {@link org.vitbench.api.Gradients#compute}).
         *
         * @return the loss
         */
        double step(int[] batch, SplittableRandom random);

        /** Scores the current weights on the validation samples. */
        double validate(int[] validation);

        /** Writes the current weights as the best model so far, with {@code facts} about the run. */
        void saveBest(Path out, Map<String, Object> facts) throws IOException;
    }

    /**
     * How the loop judges and reports validation.
     *
     * @param score the validation score's name, as stored in the history ("validationAccuracy")
     * @param higherIsBetter whether a larger score is a better model
     * @param maxGradientNorm clip the global gradient norm to this value; 0 turns clipping off
     */
    public record Settings(String score, boolean higherIsBetter, double maxGradientNorm) {
    }

    /**
     * The persisted progress of a run.
     *
     * @param training the hyper-parameters
     * @param setup what else must match for a resume (model, teacher, data), as plain JSON values
     * @param epochsDone completed epochs
     * @param steps optimiser steps so far
     * @param bestScore validation score of the best epoch (NaN before the first)
     * @param bestEpoch the best epoch (0 before the first)
     * @param history one row per epoch: train loss, validation score, seconds
     */
    public record State(TrainingConfig training, Map<String, Object> setup, int epochsDone, long steps,
            double bestScore, int bestEpoch, List<Map<String, Object>> history) {
    }

    private final TrainingConfig config;
    private final Settings settings;
    private final Map<String, Object> setup;
    private final TrainingListener listener;

    public TrainingLoop(TrainingConfig config, Settings settings, Map<String, Object> setup,
            TrainingListener listener) {
        this.config = config;
        this.settings = settings;
        this.setup = normalise(setup);
        this.listener = listener;
    }

    /**
     * Trains {@code task} on {@code n} samples, holding out the last {@code validationSize} of a
     * seeded permutation (at most a fifth), and resumes from {@code out} when it holds a run with
     * the same config.
     */
    public State run(int n, Task task, Path out) throws IOException {
        int[] order = permutation(n, new SplittableRandom(config.seed() ^ 0x5EED5EEDL));
        int validation = Math.min(config.validationSize(), n / 5);
        if (validation < config.validationSize()) {
            // at most a fifth is held out, so that most of a small dataset still trains
            System.err.printf(java.util.Locale.ROOT, "vitbench: warning: --validation %d is more than a fifth of the "
                    + "%d training images; holding out %d%n", config.validationSize(), n, validation);
        }
        int[] trainIdx = Arrays.copyOfRange(order, 0, n - validation);
        int[] valIdx = Arrays.copyOfRange(order, n - validation, n);
        Files.createDirectories(out.resolve(STATE_DIR));
        State state = readState(out);
        Map<String, NDArray> parameters = task.parameters();
        try (NDManager optimiserManager = NDManager.newBaseManager()) {
            AdamW optimiser = AdamW.withDefaults(optimiserManager);
            if (state == null) {
                state = new State(config, setup, 0, 0, Double.NaN, 0, new ArrayList<>());
            } else {
                restore(out, parameters, optimiser, optimiserManager, state.steps());
                listener.message("resuming after epoch " + state.epochsDone() + " of " + config.epochs());
            }
            parameters.values().forEach(w -> w.setRequiresGradient(true));
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
                    int[] batch = Arrays.copyOfRange(shuffled, from, Math.min(shuffled.length, from + config.batchSize()));
                    lossSum += task.step(batch, random);
                    update(task, parameters, optimiser, schedule.at(optimiser.steps() + 1));
                    listener.step(epoch, step + 1, stepsPerEpoch, lossSum / (step + 1));
                }
                double score = valIdx.length == 0 ? Double.NaN : task.validate(valIdx);
                double seconds = (System.nanoTime() - start) / 1e9;
                List<Map<String, Object>> history = new ArrayList<>(state.history());
                Map<String, Object> row = new LinkedHashMap<>();
                row.put("epoch", epoch);
                row.put("trainLoss", lossSum / stepsPerEpoch);
                row.put(settings.score(), score);
                row.put("seconds", seconds);
                history.add(row);
                boolean best = state.bestEpoch() == 0 || better(score, state.bestScore());
                state = new State(config, setup, epoch, optimiser.steps(), best ? score : state.bestScore(),
                        best ? epoch : state.bestEpoch(), history);
                if (best) {
                    Map<String, Object> facts = new LinkedHashMap<>();
                    facts.put("trainingConfig", config);
                    facts.put("bestEpoch", epoch);
                    facts.put(settings.score(), score);
                    facts.put("validationSize", valIdx.length);
                    facts.put("history", history);
                    task.saveBest(out, facts);
                }
                writeState(out, state, parameters, optimiser);
                listener.epoch(epoch, lossSum / stepsPerEpoch, score, seconds);
            }
            return state;
        }
    }

    private boolean better(double score, double best) {
        if (Double.isNaN(best)) {
            return true;
        }
        return settings.higherIsBetter() ? score > best : score < best;
    }

    private void update(Task task, Map<String, NDArray> parameters, AdamW optimiser, double lr) {
        // the optimiser's and the clipping's temporaries (and the gradient handles) die with the scope
        try (NDScope scope = new NDScope()) {
            updateInScope(task, parameters, optimiser, lr);
        }
    }

    private void updateInScope(Task task, Map<String, NDArray> parameters, AdamW optimiser, double lr) {
        double scale = 1;
        if (settings.maxGradientNorm() > 0) {
            double squares = 0;
            for (NDArray w : parameters.values()) {
                squares += w.getGradient().square().sum().getFloat();
            }
            double norm = Math.sqrt(squares);
            scale = norm > settings.maxGradientNorm() ? settings.maxGradientNorm() / (norm + 1e-6) : 1;
        }
        optimiser.beginStep();
        for (Map.Entry<String, NDArray> e : parameters.entrySet()) {
            NDArray w = e.getValue();
            NDArray grad = w.getGradient();
            if (scale != 1) {
                grad.muli(GraphConstants.scalar(grad, scale));
            }
            optimiser.update(e.getKey(), w, grad, lr, task.decays(e.getKey(), w) ? config.weightDecay() : 0);
            grad.muli(GraphConstants.scalar(grad, 0));
        }
    }

    private static void restore(Path out, Map<String, NDArray> parameters, AdamW optimiser, NDManager manager,
            long steps) {
        Map<String, NDArray> moments = new LinkedHashMap<>();
        Safetensors.read(out.resolve(STATE_DIR).resolve(STATE_WEIGHTS)).forEach((k, t) -> {
            if (k.startsWith("m.") || k.startsWith("v.")) {
                moments.put(k, manager.create(t.values(), new Shape(t.shape())));
            } else if (k.startsWith("w.")) {
                NDArray w = parameters.get(k.substring(2));
                if (w == null || !w.getShape().equals(new Shape(t.shape()))) {
                    throw new ConfigurationException("the training state in " + out + " does not fit the model ("
                            + k.substring(2) + "); use a new output directory to start afresh");
                }
                w.set(t.values());
            }
        });
        optimiser.restore(moments, steps);
    }

    private State readState(Path out) {
        Path json = out.resolve(STATE_DIR).resolve(STATE_JSON);
        if (!Files.isRegularFile(json)) {
            return null;
        }
        try {
            State state = Checkpoints.json().readValue(json.toFile(), State.class);
            if (!state.training().equals(config) || !normalise(state.setup()).equals(setup)) {
                throw new ConfigurationException("the output directory " + out + " holds a training run with "
                        + "another config (" + state.training() + ", " + state.setup() + "); use a new output "
                        + "directory to start afresh");
            }
            return state;
        } catch (IOException e) {
            throw new ConfigurationException("cannot read the training state " + json + ": " + e.getMessage(), e);
        }
    }

    /** The setup as plain JSON values, so that a value and its read-back form compare equal. */
    private static Map<String, Object> normalise(Map<String, Object> setup) {
        return Checkpoints.json().convertValue(setup, Checkpoints.json().getTypeFactory()
                .constructMapType(LinkedHashMap.class, String.class, Object.class));
    }

    private static void writeState(Path out, State state, Map<String, NDArray> parameters, AdamW optimiser)
            throws IOException {
        Map<String, NDArray> arrays = new LinkedHashMap<>();
        parameters.forEach((k, a) -> arrays.put("w." + k, a));
        arrays.putAll(optimiser.state());
        Path dir = out.resolve(STATE_DIR);
        Safetensors.write(dir.resolve(STATE_WEIGHTS), Checkpoints.toTensors(arrays), Map.of());
        Path tmp = dir.resolve(STATE_JSON + ".tmp");
        try {
            Checkpoints.json().writeValue(tmp.toFile(), state);
            Files.move(tmp, dir.resolve(STATE_JSON), StandardCopyOption.ATOMIC_MOVE,
                    StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the training state to " + dir, e);
        }
    }

    /** A seeded permutation of 0..n-1. */
    public static int[] permutation(int n, SplittableRandom random) {
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
