package org.vitbench.runner.cli;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.vitbench.api.Batches;
import org.vitbench.api.ConfigurationException;
import org.vitbench.api.Dataset;
import org.vitbench.api.ModelInfo;
import org.vitbench.api.Registry;
import org.vitbench.api.Sample;
import org.vitbench.api.VitModel;
import org.vitbench.runner.run.ConsoleProgress;
import org.vitbench.runner.run.PluginSpec;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/**
 * {@code vitbench predict}: one JSON line per image with its id, label, every logit and the top
 * classes with names and softmax probabilities, so that a loaded checkpoint can be checked against
 * the user's Python stack on the same files (the dataset is prepared as the model's checkpoint
 * says). The file is written to a temporary name and moved into place when complete.
 */
@Command(name = "predict", mixinStandardHelpOptions = true,
        description = "Write a model's logits and top classes for every image of a dataset, one JSON line each.")
public final class PredictCommand implements Callable<Integer> {

    @ParentCommand
    Main main;

    @Spec
    CommandSpec spec;

    @Mixin
    ModelOption model;

    @Option(names = "--dataset", defaultValue = "embedded", description = "Dataset as id[:key=value,...]; an image "
            + "folder is resized and cropped as the model's checkpoint says (default: ${DEFAULT-VALUE}).")
    String dataset;

    @Option(names = "--out", required = true, description = "The JSON-lines file to write.")
    Path out;

    @Option(names = "--limit", defaultValue = "0", description = "Predict the first N images only; 0 for all (default).")
    int limit;

    @Option(names = "--top", defaultValue = "5", description = "Top classes per image (default: ${DEFAULT-VALUE}).")
    int top;

    @Option(names = "--batch-size", defaultValue = "32", description = "Images per forward pass (default: ${DEFAULT-VALUE}).")
    int batchSize;

    @Option(names = "--quiet", description = "No progress on stderr.")
    boolean quiet;

    @Override
    public Integer call() throws IOException {
        if (limit < 0 || top < 1 || batchSize < 1) {
            throw new ConfigurationException("--limit must be >= 0, --top and --batch-size >= 1; got " + limit + ", "
                    + top + " and " + batchSize);
        }
        Registry registry = main.registry();
        ObjectMapper json = new ObjectMapper();
        long start = System.nanoTime();
        try (VitModel vit = model.load(registry)) {
            ModelInfo info = vit.info();
            Dataset data = PluginSpec.parse(dataset).openDataset(registry, info);
            int n = limit == 0 ? data.size() : Math.min(limit, data.size());
            int k = Math.min(top, info.numClasses());
            Path target = out.toAbsolutePath();
            if (target.getParent() != null) {
                Files.createDirectories(target.getParent());
            }
            Path tmp = target.resolveSibling(target.getFileName() + "." + ProcessHandle.current().pid() + ".tmp");
            PrintWriter err = spec.commandLine().getErr();
            try (BufferedWriter w = Files.newBufferedWriter(tmp, StandardCharsets.UTF_8);
                    ConsoleProgress progress = new ConsoleProgress(err, ConsoleProgress.mode(quiet), n, 0,
                            System::nanoTime)) {
                for (int from = 0; from < n; from += batchSize) {
                    List<Sample> batch = new ArrayList<>();
                    for (int i = from; i < Math.min(n, from + batchSize); i++) {
                        batch.add(data.get(i));
                    }
                    float[] logits;
                    try (NDManager scope = vit.manager().newSubManager()) {
                        NDArray images = Batches.images(scope, batch, info);
                        logits = vit.logits(images).toFloatArray();
                    }
                    for (int b = 0; b < batch.size(); b++) {
                        w.write(json.writeValueAsString(line(json, batch.get(b), logits, b, info, k)));
                        w.newLine();
                    }
                    progress.advance(batch.size());
                }
            } catch (IOException | RuntimeException e) {
                Files.deleteIfExists(tmp);
                throw e;
            }
            try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.WRITE)) {
                ch.force(true);
            }
            Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            spec.commandLine().getOut().printf(Locale.ROOT, "predicted %d images of %s with %s in %.1f s: %s%n", n, data.name(),
                    info.name(), (System.nanoTime() - start) / 1e9, target);
        } catch (UncheckedIOException e) {
            throw e.getCause();
        }
        return ExitCode.OK.code();
    }

    /** One image's line: id, label (null when unknown), logits, top classes by softmax probability. */
    private static ObjectNode line(ObjectMapper json, Sample sample, float[] logits, int b, ModelInfo info, int k) {
        int classes = info.numClasses();
        ObjectNode node = json.createObjectNode();
        node.put("id", sample.id());
        if (sample.label() >= 0) {
            node.put("label", sample.label());
        } else {
            node.putNull("label");
        }
        ArrayNode values = node.putArray("logits");
        double max = Double.NEGATIVE_INFINITY;
        for (int c = 0; c < classes; c++) {
            float v = logits[b * classes + c];
            values.add(v);
            max = Math.max(max, v);
        }
        double sum = 0;
        for (int c = 0; c < classes; c++) {
            sum += Math.exp(logits[b * classes + c] - max);
        }
        Integer[] order = new Integer[classes];
        for (int c = 0; c < classes; c++) {
            order[c] = c;
        }
        java.util.Arrays.sort(order, (x, y) -> Float.compare(logits[b * classes + y], logits[b * classes + x]));
        ArrayNode topNode = node.putArray("top");
        for (int r = 0; r < k; r++) {
            int c = order[r];
            ObjectNode t = topNode.addObject();
            t.put("class", c);
            t.put("name", info.classNames().get(c));
            t.put("probability", Math.exp(logits[b * classes + c] - max) / sum);
        }
        return node;
    }
}
