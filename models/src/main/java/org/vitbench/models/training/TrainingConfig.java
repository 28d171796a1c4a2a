package org.vitbench.models.training;

/**
 * Hyper-parameters of a classifier training run. Defaults are those of the embedded
 * Fashion-MNIST model.
 *
 * @param epochs passes over the training split
 * @param batchSize images per step
 * @param learningRate peak AdamW learning rate
 * @param minLearningRate final learning rate of the cosine schedule
 * @param weightDecay decoupled weight decay on matrices (not on biases, norms, embeddings)
 * @param warmupEpochs epochs of linear warm-up
 * @param validationSize images of the training split held out for model selection
 * @param augment random translation by up to 2 pixels (zero padding), seeded
 * @param seed seed of the initial weights, the split, the shuffles and the augmentation
 */
public record TrainingConfig(int epochs, int batchSize, double learningRate, double minLearningRate,
        double weightDecay, double warmupEpochs, int validationSize, boolean augment, long seed) {

    public TrainingConfig {
        // one message per field, naming its option: the record's toString would show unset fields here
        check(epochs > 0, "epochs must be at least 1, got " + epochs + " (--epochs)");
        check(batchSize > 0, "batch size must be at least 1, got " + batchSize + " (--batch-size)");
        check(learningRate > 0 && Double.isFinite(learningRate), "learning rate must be a positive number, got "
                + learningRate + " (--lr)");
        check(minLearningRate >= 0 && Double.isFinite(minLearningRate), "minimum learning rate must be >= 0, got "
                + minLearningRate);
        check(weightDecay >= 0 && Double.isFinite(weightDecay), "weight decay must be >= 0, got " + weightDecay
                + " (--weight-decay)");
        check(warmupEpochs >= 0 && warmupEpochs < epochs, "warm-up of " + warmupEpochs + " epochs must be >= 0 and "
                + "shorter than the " + epochs + " training epochs; lower --warmup-epochs or raise --epochs");
        check(validationSize >= 0, "validation size must be >= 0, got " + validationSize + " (--validation)");
    }

    private static void check(boolean ok, String message) {
        if (!ok) {
            throw new org.vitbench.api.ConfigurationException("invalid training config: " + message);
        }
    }

    public static TrainingConfig defaults() {
        return new TrainingConfig(12, 128, 2e-3, 1e-5, 0.05, 1, 5000, true, 0);
    }

    public TrainingConfig withEpochs(int v) {
        return new TrainingConfig(v, batchSize, learningRate, minLearningRate, weightDecay, warmupEpochs,
                validationSize, augment, seed);
    }

    public TrainingConfig withBatchSize(int v) {
        return new TrainingConfig(epochs, v, learningRate, minLearningRate, weightDecay, warmupEpochs,
                validationSize, augment, seed);
    }

    public TrainingConfig withLearningRate(double v) {
        return new TrainingConfig(epochs, batchSize, v, minLearningRate, weightDecay, warmupEpochs,
                validationSize, augment, seed);
    }

    public TrainingConfig withValidationSize(int v) {
        return new TrainingConfig(epochs, batchSize, learningRate, minLearningRate, weightDecay, warmupEpochs,
                v, augment, seed);
    }

    public TrainingConfig withWarmupEpochs(double v) {
        return new TrainingConfig(epochs, batchSize, learningRate, minLearningRate, weightDecay, v,
                validationSize, augment, seed);
    }

    public TrainingConfig withAugment(boolean v) {
        return new TrainingConfig(epochs, batchSize, learningRate, minLearningRate, weightDecay, warmupEpochs,
                validationSize, v, seed);
    }

    public TrainingConfig withSeed(long v) {
        return new TrainingConfig(epochs, batchSize, learningRate, minLearningRate, weightDecay, warmupEpochs,
                validationSize, augment, v);
    }
}
