package org.vitbench.runner.run;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.vitbench.api.Dataset;
import org.vitbench.api.ModelInfo;
import org.vitbench.api.VitModel;

/**
 * The provenance of a run as display strings: what ran (model, data, methods, metrics) and where
 * (versions, Java, OS, CPU, commit, times). The git commit comes from the system property
 * {@code vitbench.gitCommit}, which the {@code vitbench} launcher sets; the runner never calls git.
 */
public final class Environment {

    private Environment() {
    }

    static Map<String, String> describe(RunConfig config, RunConfig resolved, VitModel model, Dataset dataset,
            int samples, String started) {
        ModelInfo info = model.info();
        Map<String, String> m = new LinkedHashMap<>();
        m.put("model", config.model().format() + " (" + info.name() + ": " + info.imageSize() + " px, patch "
                + info.patchSize() + ", depth " + info.depth() + ", " + info.heads() + " heads, dim " + info.dim()
                + ", " + info.numClasses() + " classes)");
        m.put("evaluation model", config.evaluationModel() == null ? "the model itself"
                : config.evaluationModel().format() + " (metrics evaluate this model; targets are the model's predictions)");
        m.put("dataset", config.dataset().format() + " (" + dataset.name() + ": first " + samples + " of "
                + dataset.size() + " samples)");
        m.put("methods", join(resolved.methods()));
        m.put("metrics", join(resolved.metrics()));
        m.put("batch size", Integer.toString(config.batchSize()));
        m.put("vitbench", version());
        m.put("DJL", djlVersion() + ", engine " + engine(model));
        m.put("Java", System.getProperty("java.vm.name") + " " + System.getProperty("java.runtime.version") + " ("
                + System.getProperty("java.vendor") + ")");
        m.put("OS", System.getProperty("os.name") + " " + System.getProperty("os.version") + " "
                + System.getProperty("os.arch"));
        m.put("CPU", cpu() + ", " + Runtime.getRuntime().availableProcessors() + " cores available, max heap "
                + Runtime.getRuntime().maxMemory() / (1024 * 1024) + " MiB");
        m.put("threads", System.getProperty("ai.djl.pytorch.num_threads", "the engine's default") + " for operators, "
                + System.getProperty("ai.djl.pytorch.num_interop_threads", "the engine's default")
                + " to schedule them");
        m.put("git commit", System.getProperty("vitbench.gitCommit", "unknown (run through the vitbench launcher)"));
        m.put("started", started);
        return m;
    }

    /** The runner jar's Implementation-Version, or {@code dev} outside a packaged jar. */
    public static String version() {
        String v = Environment.class.getPackage().getImplementationVersion();
        return v == null ? "dev" : v;
    }

    public static String djlVersion() {
        try {
            return ai.djl.engine.Engine.getDjlVersion();
        } catch (RuntimeException | LinkageError e) {
            return "unknown";
        }
    }

    private static String engine(VitModel model) {
        try {
            ai.djl.engine.Engine engine = model.manager().getEngine();
            return engine.getEngineName() + " " + engine.getVersion() + " on " + model.manager().getDevice();
        } catch (RuntimeException e) {
            return "unknown";
        }
    }

    /** The CPU model from {@code /proc/cpuinfo} on Linux, else the architecture. */
    private static String cpu() {
        Path cpuinfo = Path.of("/proc/cpuinfo");
        try {
            if (Files.isReadable(cpuinfo)) {
                for (String line : Files.readAllLines(cpuinfo)) {
                    if (line.startsWith("model name")) {
                        return line.substring(line.indexOf(':') + 1).trim();
                    }
                }
            }
        } catch (IOException | RuntimeException e) {
            // provenance is best effort; the architecture below still says something
        }
        return System.getProperty("os.arch");
    }

    private static String join(List<PluginSpec> specs) {
        return specs.stream().map(PluginSpec::format).collect(Collectors.joining(", "));
    }
}
