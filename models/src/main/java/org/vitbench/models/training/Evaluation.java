package org.vitbench.models.training;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import java.util.ArrayList;
import java.util.List;
import org.vitbench.api.Batches;
import org.vitbench.api.Dataset;
import org.vitbench.api.Progress;
import org.vitbench.api.Sample;
import org.vitbench.api.VitModel;

/** Accuracy of a model on a dataset, batched, with a confusion matrix. */
public final class Evaluation {

    /**
     * Result of an evaluation.
     *
     * @param correct correctly classified samples
     * @param total samples evaluated
     * @param confusion {@code [true][predicted]} counts
     */
    public record Result(int correct, int total, int[][] confusion) {

        public double accuracy() {
            return total == 0 ? Double.NaN : (double) correct / total;
        }
    }

    private Evaluation() {
    }

    public static Result accuracy(VitModel model, Dataset dataset, int batchSize, Progress progress) {
        int k = model.info().numClasses();
        int[][] confusion = new int[k][k];
        int correct = 0;
        int n = dataset.size();
        for (int start = 0; start < n; start += batchSize) {
            List<Sample> batch = new ArrayList<>();
            for (int i = start; i < Math.min(n, start + batchSize); i++) {
                batch.add(dataset.get(i));
            }
            try (NDManager m = model.manager().newSubManager()) {
                NDArray logits = model.logits(Batches.images(m, batch, model.info()));
                long[] predicted = logits.argMax(1).toLongArray();
                for (int b = 0; b < batch.size(); b++) {
                    int label = batch.get(b).label();
                    confusion[label][(int) predicted[b]]++;
                    correct += label == predicted[b] ? 1 : 0;
                }
            }
            progress.update(Math.min(n, start + batchSize), n);
        }
        return new Result(correct, n, confusion);
    }
}
