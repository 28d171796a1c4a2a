package org.vitbench.runner.cli;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import org.vitbench.api.ConfigurationException;
import org.vitbench.api.Dataset;
import org.vitbench.api.Registry;
import org.vitbench.api.Sample;
import org.vitbench.api.VitModel;
import org.vitbench.models.Checkpoints;
import org.vitbench.models.ModelConfig;
import org.vitbench.models.VisionTransformer;
import org.vitbench.models.VitConfig;
import org.vitbench.models.checkpoint.Safetensors;
import org.vitbench.models.checkpoint.Tensor;
import org.vitbench.models.training.ClassifierTrainer;
import org.vitbench.models.training.TrainingConfig;
import org.vitbench.models.training.TrainingListener;
import org.vitbench.models.training.TrainingLoop;
import org.vitbench.models.vitshapley.ExplainerTrainer;
import org.vitbench.models.vitshapley.SurrogateTrainer;
import org.vitbench.runner.run.PluginSpec;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

/**
 * {@code vitbench train classifier|surrogate|explainer}: trains a ViT classifier from scratch, and
 * ViT Shapley's surrogate and explainer for a classifier.
 */
@Command(name = "train", mixinStandardHelpOptions = true,
        description = "Train vitbench's models.",
        subcommands = {TrainCommand.Classifier.class, TrainCommand.Surrogate.class, TrainCommand.Explainer.class})
public final class TrainCommand {

    @ParentCommand
    Main main;

    /** {@code vitbench train classifier}. */
    @Command(name = "classifier", mixinStandardHelpOptions = true,
            description = "Train a ViT classifier (AdamW, cosine schedule with warm-up, seeded, resumable).%n"
                    + "A rerun with the same options resumes after the last completed epoch.")
    static final class Classifier implements Callable<Integer> {

        @ParentCommand
        TrainCommand parent;

        @Option(names = "--dataset", defaultValue = "fashion-mnist:split=train",
                description = "Training data as id[:key=value,...] (default: ${DEFAULT-VALUE}).")
        String dataset;

        @Option(names = "--out", required = true, description = "Output directory (model, config, training state).")
        Path out;

        @Option(names = "--name", defaultValue = "vit-fashion-mnist", description = "Model name (default: ${DEFAULT-VALUE}).")
        String name;

        @Option(names = "--patch", defaultValue = "4", description = "Patch size (default: ${DEFAULT-VALUE}).")
        int patch;

        @Option(names = "--dim", defaultValue = "64", description = "Embedding dimension (default: ${DEFAULT-VALUE}).")
        int dim;

        @Option(names = "--depth", defaultValue = "6", description = "Transformer blocks (default: ${DEFAULT-VALUE}).")
        int depth;

        @Option(names = "--heads", defaultValue = "4", description = "Attention heads (default: ${DEFAULT-VALUE}).")
        int heads;

        @Option(names = "--mlp-ratio", defaultValue = "2", description = "MLP width / dim (default: ${DEFAULT-VALUE}).")
        double mlpRatio;

        @Option(names = "--epochs", defaultValue = "15", description = "Epochs (default: ${DEFAULT-VALUE}).")
        int epochs;

        @Option(names = "--batch-size", defaultValue = "128", description = "Batch size (default: ${DEFAULT-VALUE}).")
        int batchSize;

        @Option(names = "--lr", defaultValue = "2e-3", description = "Peak learning rate (default: ${DEFAULT-VALUE}).")
        double lr;

        @Option(names = "--weight-decay", defaultValue = "0.05", description = "AdamW weight decay (default: ${DEFAULT-VALUE}).")
        double weightDecay;

        @Option(names = "--warmup-epochs", defaultValue = "1", description = "Warm-up epochs (default: ${DEFAULT-VALUE}).")
        double warmup;

        @Option(names = "--validation", defaultValue = "5000",
                description = "Training images held out for model selection (default: ${DEFAULT-VALUE}).")
        int validation;

        @Option(names = "--no-augment", description = "Turn off random 2-pixel translations.")
        boolean noAugment;

        @Option(names = "--seed", defaultValue = "0", description = "Seed (default: ${DEFAULT-VALUE}).")
        long seed;

        @Option(names = "--init-from", description = "Start from this model directory (same architecture)"
                + " instead of random weights: a second training stage.")
        Path initFrom;

        @Override
        public Integer call() throws Exception {
            // the options first, before the data is read
            TrainingConfig training = new TrainingConfig(epochs, batchSize, lr, 1e-5, weightDecay, warmup,
                    validation, !noAugment, seed);
            Registry registry = parent.main.registry();
            Dataset data = PluginSpec.parse(dataset).openDataset(registry, null);
            Sample first = data.get(0);
            VitConfig arch;
            try {
                arch = VitConfig.of(first.image().height(), patch, first.image().channels(), dim, depth, heads,
                        mlpRatio, data.classNames().size());
            } catch (IllegalArgumentException e) {
                throw new ConfigurationException(e.getMessage() + " (from --patch, --dim, --depth, --heads and "
                        + "--mlp-ratio for the " + first.image().height() + " px images of " + data.name() + ")");
            }
            float[][] meanStd = channelStatistics(data);
            Map<String, Object> provenance = new LinkedHashMap<>();
            Map<String, Tensor> initial = null;
            if (initFrom != null) {
                ModelConfig previous = Checkpoints.readConfig(initFrom.resolve(Checkpoints.CONFIG));
                if (!previous.architecture().equals(arch)) {
                    throw new ConfigurationException("--init-from " + initFrom + " holds " + previous.architecture()
                            + " but the options describe " + arch + "; pass the same architecture options");
                }
                meanStd = new float[][] {previous.mean(), previous.std()};
                initial = Safetensors.read(initFrom.resolve(Checkpoints.WEIGHTS));
                provenance.put("previousStage", previous.provenance());
            }
            provenance.put("command", "vitbench train classifier " + String.join(" ", commandArgs()));
            provenance.put("dataset", data.name());
            provenance.put("seed", seed);
            provenance.put("normalisation", "per-channel mean and std of the training split");
            ModelConfig config = new ModelConfig(name, arch, meanStd[0], meanStd[1], "bilinear", data.classNames(),
                    provenance);
            System.out.printf("training %s on %s (%d images): %s%n", name, data.name(), data.size(), arch);
            long start = System.nanoTime();
            TrainingLoop.State state = new ClassifierTrainer(config, training, new ConsoleListener("validation accuracy"), initial)
                    .train(data, out);
            System.out.printf("best validation accuracy %.4f at epoch %d; %s written to %s (%s)%n",
                    state.bestScore(), state.bestEpoch(), name, out.toAbsolutePath(),
                    Duration.ofNanos(System.nanoTime() - start).withNanos(0));
            return ExitCode.OK.code();
        }

        private List<String> commandArgs() {
            List<String> args = new ArrayList<>();
            args.add("--dataset " + dataset);
            args.add("--out " + out);
            args.add("--name " + name);
            args.add("--patch " + patch);
            args.add("--dim " + dim);
            args.add("--depth " + depth);
            args.add("--heads " + heads);
            args.add("--mlp-ratio " + mlpRatio);
            args.add("--epochs " + epochs);
            args.add("--batch-size " + batchSize);
            args.add("--lr " + lr);
            args.add("--weight-decay " + weightDecay);
            args.add("--warmup-epochs " + warmup);
            args.add("--validation " + validation);
            if (noAugment) {
                args.add("--no-augment");
            }
            args.add("--seed " + seed);
            if (initFrom != null) {
                args.add("--init-from " + initFrom);
            }
            return args;
        }

        /** Per-channel mean and std over the whole training split, in [0, 1] pixel space. */
        private static float[][] channelStatistics(Dataset data) {
            int c = data.get(0).image().channels();
            double[] sum = new double[c];
            double[] sumSq = new double[c];
            long perChannel = 0;
            for (int i = 0; i < data.size(); i++) {
                float[] p = data.get(i).image().pixels();
                int plane = p.length / c;
                for (int ch = 0; ch < c; ch++) {
                    for (int j = ch * plane; j < (ch + 1) * plane; j++) {
                        sum[ch] += p[j];
                        sumSq[ch] += (double) p[j] * p[j];
                    }
                }
                perChannel += plane;
            }
            float[][] out = new float[2][c];
            for (int ch = 0; ch < c; ch++) {
                double mean = sum[ch] / perChannel;
                out[0][ch] = (float) mean;
                out[1][ch] = (float) Math.sqrt(sumSq[ch] / perChannel - mean * mean);
            }
            return out;
        }
    }

    /** Options shared by the ViT Shapley trainers. */
    static class ShapleyOptions {

        @Option(names = "--dataset", defaultValue = "fashion-mnist:split=train",
                description = "Training data as id[:key=value,...] (default: ${DEFAULT-VALUE}).")
        String dataset;

        @Option(names = "--out", required = true, description = "Output directory (model, config, training state).")
        Path out;

        @Option(names = "--batch-size", defaultValue = "128", description = "Images per step (default: ${DEFAULT-VALUE}).")
        int batchSize;

        @Option(names = "--weight-decay", defaultValue = "1e-5",
                description = "AdamW weight decay (default: ${DEFAULT-VALUE}, as the reference).")
        double weightDecay;

        @Option(names = "--warmup-epochs", defaultValue = "0.25", description = "Warm-up epochs (default: ${DEFAULT-VALUE}).")
        double warmup;

        @Option(names = "--clip", defaultValue = "1.0",
                description = "Clip the global gradient norm (default: ${DEFAULT-VALUE}, as the reference; 0 = off).")
        double clip;

        @Option(names = "--seed", defaultValue = "0", description = "Seed (default: ${DEFAULT-VALUE}).")
        long seed;

        /** The training data, prepared for {@code model} (an image folder takes its size and preprocessing). */
        Dataset open(Registry registry, org.vitbench.api.ModelInfo model) {
            return PluginSpec.parse(dataset).openDataset(registry, model);
        }

        static VisionTransformer vit(Registry registry, String spec, String option) {
            VitModel model = PluginSpec.parse(spec).loadModel(registry);
            if (model instanceof VisionTransformer vit) {
                return vit;
            }
            model.close();
            throw new ConfigurationException(option + " " + spec + " is not one of vitbench's ViTs; ViT Shapley "
                    + "trains on the models 'embedded' and 'checkpoint'");
        }

        List<String> args() {
            return new ArrayList<>(List.of("--dataset " + dataset, "--out " + out, "--batch-size " + batchSize,
                    "--weight-decay " + weightDecay, "--warmup-epochs " + warmup, "--clip " + clip, "--seed " + seed));
        }

        /** The hyper-parameters: no augmentation (full-image outputs are computed once). */
        TrainingConfig training(int epochs, double lr, int validation) {
            return new TrainingConfig(epochs, batchSize, lr, 1e-6, weightDecay, warmup, validation, false, seed);
        }

        /** The command line with {@code extra} options, the data and the seed, for the checkpoint's provenance. */
        Map<String, Object> provenance(String command, List<String> extra, Dataset data) {
            List<String> all = args();
            all.addAll(extra);
            Map<String, Object> provenance = new LinkedHashMap<>();
            provenance.put("command", "vitbench train " + command + " " + String.join(" ", all));
            provenance.put("dataset", data.name());
            provenance.put("seed", seed);
            return provenance;
        }

        /** The closing line: best score, epoch, where, how long. */
        void finished(TrainingLoop.State state, String score, String what, long start) {
            System.out.printf("best validation %s %.5f at epoch %d; %s written to %s (%s)%n", score, state.bestScore(),
                    state.bestEpoch(), what, out.toAbsolutePath(), Duration.ofNanos(System.nanoTime() - start).withNanos(0));
        }
    }

    /** {@code vitbench train surrogate}. */
    @Command(name = "surrogate", mixinStandardHelpOptions = true,
            description = "Fine-tune a copy of a classifier into ViT Shapley's surrogate: on images with a random "
                    + "subset of patches held out by attention masking (kept count uniform on 0..P), it learns to "
                    + "match the classifier's prediction on the full image (KL divergence). Seeded and resumable; "
                    + "the checkpoint with the lowest validation KL is kept.")
    static final class Surrogate extends ShapleyOptions implements Callable<Integer> {

        @ParentCommand
        TrainCommand parent;

        @Option(names = "--from", defaultValue = "embedded",
                description = "The classifier as a model spec (default: ${DEFAULT-VALUE}); e.g. checkpoint:path=runs/my-vit.")
        String from;

        @Option(names = "--epochs", defaultValue = "8", description = "Epochs (default: ${DEFAULT-VALUE}, as the "
                + "embedded surrogate; the reference fine-tunes 50 epochs at lr 1e-5).")
        int epochs;

        @Option(names = "--lr", defaultValue = "3e-4", description = "Peak learning rate (default: ${DEFAULT-VALUE}).")
        double lr;

        @Option(names = "--validation", defaultValue = "5000",
                description = "Training images held out for model selection (default: ${DEFAULT-VALUE}).")
        int validation;

        @Override
        public Integer call() throws Exception {
            Registry registry = parent.main.registry();
            TrainingConfig training = training(epochs, lr, validation);
            try (VisionTransformer classifier = vit(registry, from, "--from")) {
                Dataset data = open(registry, classifier.info());
                Map<String, Object> provenance = provenance("surrogate", List.of("--from " + from, "--epochs "
                        + epochs, "--lr " + lr, "--validation " + validation), data);
                System.out.printf("training a surrogate of %s on %s (%d images)%n", classifier.config().name(),
                        data.name(), data.size());
                long start = System.nanoTime();
                TrainingLoop.State state = new SurrogateTrainer(classifier, training, clip,
                        new ConsoleListener("validation KL")).train(data, out, provenance);
                finished(state, "KL", "surrogate", start);
            }
            return ExitCode.OK.code();
        }
    }

    /** {@code vitbench train explainer}. */
    @Command(name = "explainer", mixinStandardHelpOptions = true,
            description = "Train ViT Shapley's explainer against a surrogate: a ViT initialised from the surrogate "
                    + "with one extra block and a per-token MLP head, learning the surrogate's Shapley values for "
                    + "every patch and class with FastSHAP's loss (coalitions from the Shapley kernel, paired with "
                    + "their complements). Seeded and resumable; the checkpoint with the lowest validation loss is "
                    + "kept. The explainer is the method vit-shapley:explainer=DIR.")
    static final class Explainer extends ShapleyOptions implements Callable<Integer> {

        @ParentCommand
        TrainCommand parent;

        @Option(names = "--surrogate", defaultValue = "embedded-surrogate",
                description = "The surrogate as a model spec (default: ${DEFAULT-VALUE}); e.g. "
                        + "checkpoint:path=runs/my-surrogate.")
        String surrogate;

        @Option(names = "--pairs", defaultValue = "16",
                description = "Complementary coalition pairs per image and step (default: ${DEFAULT-VALUE}, as the "
                        + "reference).")
        int pairs;

        @Option(names = "--validation-pairs", defaultValue = "4",
                description = "Pairs per held-out image for model selection (default: ${DEFAULT-VALUE}).")
        int validationPairs;

        @Option(names = "--epochs", defaultValue = "3", description = "Epochs (default: ${DEFAULT-VALUE}).")
        int epochs;

        @Option(names = "--lr", defaultValue = "3e-4",
                description = "Peak learning rate (default: ${DEFAULT-VALUE}; the reference uses 1e-4 over 100 epochs, "
                        + "about 30 times the steps of our 3).")
        double lr;

        @Option(names = "--validation", defaultValue = "1000",
                description = "Training images held out for model selection (default: ${DEFAULT-VALUE}).")
        int validation;

        @Override
        public Integer call() throws Exception {
            Registry registry = parent.main.registry();
            TrainingConfig training = training(epochs, lr, validation);
            try (VisionTransformer model = vit(registry, surrogate, "--surrogate")) {
                Dataset data = open(registry, model.info());
                Map<String, Object> provenance = provenance("explainer", List.of("--surrogate " + surrogate,
                        "--pairs " + pairs, "--validation-pairs " + validationPairs, "--epochs " + epochs, "--lr " + lr,
                        "--validation " + validation), data);
                System.out.printf("training a ViT Shapley explainer for %s on %s (%d images, %d pairs per image)%n",
                        model.config().name(), data.name(), data.size(), pairs);
                long start = System.nanoTime();
                TrainingLoop.State state = new ExplainerTrainer(model, ExplainerTrainer.of(model), surrogate,
                        training, pairs, validationPairs, clip, new ConsoleListener("validation loss"))
                        .train(data, out, provenance);
                finished(state, "loss", "explainer", start);
            }
            return ExitCode.OK.code();
        }
    }

    /** Progress on stderr (a line per ~5% of an epoch) and a summary line per epoch on stdout. */
    static final class ConsoleListener implements TrainingListener {

        private final String score;
        private long epochStart = System.nanoTime();

        ConsoleListener(String score) {
            this.score = score;
        }

        @Override
        public void step(int epoch, int step, int stepsPerEpoch, double loss) {
            if (step == 1) {
                epochStart = System.nanoTime();
            }
            if (step % Math.max(1, stepsPerEpoch / 20) == 0 || step == stepsPerEpoch) {
                if (step == 1) { // the clock starts when step 1 ends: the rate counts the steps after it
                    System.err.printf("epoch %d  %d/%d steps  loss %.4f%n", epoch, step, stepsPerEpoch, loss);
                    return;
                }
                double elapsed = (System.nanoTime() - epochStart) / 1e9;
                double rate = (step - 1) / elapsed;
                System.err.printf("epoch %d  %d/%d steps  loss %.4f  %.2f steps/s (%.2f s/step)  ETA %ds%n", epoch,
                        step, stepsPerEpoch, loss, rate, 1 / rate, Math.round((stepsPerEpoch - step) / rate));
            }
        }

        @Override
        public void epoch(int epoch, double trainLoss, double validation, double seconds) {
            System.out.printf("epoch %d: train loss %.4f, %s %.4f, %.0f s%n", epoch, trainLoss, score, validation,
                    seconds);
        }

        @Override
        public void message(String text) {
            System.out.println(text);
        }
    }
}
