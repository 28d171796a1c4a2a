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
        if (epochs <= 0 || batchSize <= 0 || !(learningRate > 0) || minLearningRate < 0 || weightDecay < 0
                || warmupEpochs < 0 || warmupEpochs >= epochs || validationSize < 0) {
            throw new IllegalArgumentException("invalid training config " + this);
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
