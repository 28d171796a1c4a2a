package org.vitbench.models.training;

/** Receives progress of a training run. */
public interface TrainingListener {

    TrainingListener NONE = new TrainingListener() { };

    /** After each step: 1-based epoch, step within the epoch, steps per epoch, running mean loss. */
    default void step(int epoch, int step, int stepsPerEpoch, double loss) {
    }

    /** After each epoch with its validation accuracy (NaN without validation) and seconds taken. */
    default void epoch(int epoch, double trainLoss, double validationAccuracy, double seconds) {
    }

    /** A free-form message (resume, checkpoint written). */
    default void message(String text) {
    }
}
