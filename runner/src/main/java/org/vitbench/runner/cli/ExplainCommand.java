package org.vitbench.runner.cli;

import ai.djl.ndarray.NDManager;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.vitbench.api.Batches;
import org.vitbench.api.ConfigurationException;
import org.vitbench.api.Context;
import org.vitbench.api.Dataset;
import org.vitbench.api.Explainer;
import org.vitbench.api.Heatmaps;
import org.vitbench.api.MethodSpec;
import org.vitbench.api.Registry;
import org.vitbench.api.Sample;
import org.vitbench.api.VitModel;
import org.vitbench.reports.Overlay;
import org.vitbench.runner.run.PluginSpec;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/** {@code vitbench explain}: one image, one or more methods, PNG overlays. */
@Command(name = "explain", mixinStandardHelpOptions = true,
        description = "Explain one image with one or more methods and write PNG overlays (the image, and the "
                + "heatmap over it with a legend bar) into the output directory.")
final class ExplainCommand implements Callable<Integer> {

    @ParentCommand
    Main main;

    @Spec
    CommandSpec spec;

    @Mixin
    ModelOption model;

    @Option(names = "--dataset", defaultValue = "fashion-mnist-embedded", description = "Dataset (default: ${DEFAULT-VALUE}).")
    String dataset;

    @Option(names = "--sample", defaultValue = "0", description = "Sample index or id (default: ${DEFAULT-VALUE}).")
    String sample;

    @Option(names = "--method", paramLabel = "ID[:K=V,...]", description = "Method, repeatable (default: vit-shapley, "
            + "kernel-shap, transformer-attribution, attention-rollout, rise).")
    List<String> methods;

    @Option(names = "--class", paramLabel = "K", description = "Class index to explain (default: the model's prediction).")
    Integer target;

    @Option(names = "--scale", defaultValue = "8", description = "Screen pixels per image pixel (default: ${DEFAULT-VALUE}).")
    int scale;

    @Option(names = "--seed", defaultValue = "0", description = "Run seed of randomised methods (default: ${DEFAULT-VALUE}).")
    long seed;

    @Option(names = "--out", defaultValue = "vitbench-out/explain", description = "Output directory (default: ${DEFAULT-VALUE}).")
    Path out;

    @Option(names = "--grid", description = "Also write one PNG with the image and every method's overlay, for papers "
            + "(<sample>_all.png).")
    boolean grid;

    @Option(names = "--columns", defaultValue = "4", description = "Pictures per row of the --grid PNG (default: "
            + "${DEFAULT-VALUE}).")
    int columns;

    @Override
    public Integer call() throws IOException {
        if (columns < 1 || columns > 64) {
            throw new ConfigurationException("--columns " + columns + " is out of range; allowed: 1 to 64");
        }
        if (scale < 1 || scale > 64) {
            throw new ConfigurationException("--scale " + scale + " is out of range; allowed: 1 to 64");
        }
        Registry registry = main.registry();
        List<String> specs = methods == null || methods.isEmpty()
                ? List.of("vit-shapley", "kernel-shap", "transformer-attribution", "attention-rollout", "rise")
                : RunCommand.specs(methods).stream().map(PluginSpec::format).toList();
        List<Explainer> explainers = new ArrayList<>();
        try {
            for (String m : specs) {
                MethodSpec spec = MethodSpec.parse(m);
                explainers.add(registry.explainer(spec.methodId()).create(spec.toParameters()));
            }
            Files.createDirectories(out);
            PrintWriter stdout = spec.commandLine().getOut();
            try (VitModel vit = model.load(registry);
                    NDManager scope = vit.manager().newSubManager()) {
                Dataset data = PluginSpec.parse(dataset).openDataset(registry, vit.info());
                Sample s = find(data);
                float[] probabilities = vit.logits(Batches.images(scope, List.of(s), vit.info())).softmax(1).toFloatArray();
                int k = target != null ? target : argMax(probabilities);
                if (k < 0 || k >= probabilities.length) {
                    throw new ConfigurationException("--class " + k + " is out of range; the model has "
                            + probabilities.length + " classes (0 to " + (probabilities.length - 1) + ")");
                }
                stdout.printf(Locale.ROOT, "sample %s (label %s), explaining class %d '%s' (probability %.3f)%n", s.id(),
                        s.label() < 0 ? "unknown" : data.classNames().get(s.label()), k, vit.info().classNames().get(k),
                        probabilities[k]);
                String target = "class " + k + " '" + vit.info().classNames().get(k) + "'";
                String what = target + " | sample " + s.id();
                List<float[]> all = new ArrayList<>();
                for (int i = 0; i < explainers.size(); i++) {
                    Explainer e = explainers.get(i);
                    Heatmaps maps;
                    long start = System.nanoTime();
                    try (NDManager batch = scope.newSubManager()) {
                        maps = e.explain(new Context(vit, seed, batch), List.of(s), new int[] {k});
                    }
                    double seconds = (System.nanoTime() - start) / 1e9;
                    float[] map = maps.target()[0];
                    all.add(map);
                    Path file = out.resolve(fileName(s.id() + "_" + e.info().id()) + ".png");
                    Overlay.write(Overlay.render(s.image(), map, maps.grid(), scale,
                            List.of(specs.get(i), target, "sample " + s.id())), file);
                    stdout.printf(Locale.ROOT, "%-24s %s  (%.3f s; scale %s)%n", specs.get(i), file, seconds,
                            Overlay.legend(map));
                }
                if (grid) {
                    Path file = out.resolve(fileName(s.id() + "_all") + ".png");
                    Overlay.write(Overlay.grid(s.image(), specs, all, vit.info().grid(), scale, columns,
                            List.of(what)), file);
                    stdout.printf(Locale.ROOT, "%-24s %s%n", "all methods", file);
                }
            }
            stdout.flush();
        } finally {
            explainers.forEach(Explainer::close);
        }
        return ExitCode.OK.code();
    }

    private Sample find(Dataset data) {
        if (sample.matches("\\d+")) {
            int index = Integer.parseInt(sample);
            if (index >= data.size()) {
                throw new ConfigurationException("--sample " + index + " is out of range; " + data.name() + " has "
                        + data.size() + " samples (0 to " + (data.size() - 1) + ")");
            }
            return data.get(index);
        }
        for (int i = 0; i < data.size(); i++) {
            if (data.get(i).id().equals(sample)) {
                return data.get(i);
            }
        }
        throw new ConfigurationException("--sample '" + sample + "' is neither an index nor a sample id of "
                + data.name() + " (ids look like '" + data.get(0).id() + "')");
    }

    private static String fileName(String s) {
        return s.replaceAll("[^A-Za-z0-9._-]", "_");
    }

    private static int argMax(float[] v) {
        int best = 0;
        for (int i = 1; i < v.length; i++) {
            if (v[i] > v[best]) {
                best = i;
            }
        }
        return best;
    }
}
