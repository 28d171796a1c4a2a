package org.vitbench.runner.cli;

import java.util.Locale;
import java.util.concurrent.Callable;
import org.vitbench.api.Dataset;
import org.vitbench.api.Registry;
import org.vitbench.api.VitModel;
import org.vitbench.models.training.Evaluation;
import org.vitbench.runner.run.PluginSpec;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

/** {@code vitbench evaluate}: the accuracy of a model on a dataset, with per-class accuracy. */
@Command(name = "evaluate", mixinStandardHelpOptions = true,
        description = "Measure a model's accuracy on a dataset (default: the embedded model on the full"
                + " Fashion-MNIST test set).")
public final class EvaluateCommand implements Callable<Integer> {

    @ParentCommand
    Main main;

    @Mixin
    ModelOption model;

    @Option(names = "--dataset", defaultValue = "fashion-mnist:split=test",
            description = "Dataset as id[:key=value,...] (default: ${DEFAULT-VALUE}).")
    String dataset;

    @Option(names = "--batch-size", defaultValue = "500", description = "Batch size (default: ${DEFAULT-VALUE}).")
    int batchSize;

    @Override
    public Integer call() {
        Registry registry = main.registry();
        long start = System.nanoTime();
        try (VitModel vit = model.load(registry)) {
            Dataset data = PluginSpec.parse(dataset).openDataset(registry, vit.info());
            Evaluation.Result result = Evaluation.accuracy(vit, data, batchSize, (done, total) -> { });
            double seconds = (System.nanoTime() - start) / 1e9;
            System.out.printf(Locale.ROOT, "model %s on %s: accuracy %.4f (%d of %d correct), %.1f s%n",
                    vit.info().name(), data.name(), result.accuracy(), result.correct(), result.total(), seconds);
            int[][] confusion = result.confusion();
            for (int k = 0; k < confusion.length; k++) {
                int n = 0;
                for (int v : confusion[k]) {
                    n += v;
                }
                System.out.printf(Locale.ROOT, "  %-14s %.4f (%d)%n", vit.info().classNames().get(k),
                        n == 0 ? Double.NaN : (double) confusion[k][k] / n, n);
            }
        }
        return ExitCode.OK.code();
    }
}
