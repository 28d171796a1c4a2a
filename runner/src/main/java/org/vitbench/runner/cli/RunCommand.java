package org.vitbench.runner.cli;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.concurrent.Callable;
import org.vitbench.api.ConfigurationException;
import org.vitbench.api.Registry;
import org.vitbench.api.Requirement;
import org.vitbench.runner.run.Benchmark;
import org.vitbench.runner.run.ClusterRunner;
import org.vitbench.runner.run.ConfigFile;
import org.vitbench.runner.run.ConsoleProgress;
import org.vitbench.runner.run.HeatmapOutputs;
import org.vitbench.runner.run.MemoryBudget;
import org.vitbench.runner.run.PluginCalls;
import org.vitbench.runner.run.PluginSpec;
import org.vitbench.runner.run.RunConfig;
import org.vitbench.runner.run.Shard;
import org.vitbench.runner.store.RunLock;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/**
 * {@code vitbench run}: evaluates methods with metrics and writes results and the report. Every
 * option overrides the config file, which overrides the defaults. A rerun with the same config and
 * {@code --out} resumes where the previous run stopped.
 */
@Command(name = "run", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Evaluates explanation methods with metrics and writes results and a report.",
            "Without options: the embedded Fashion-MNIST ViT, 100 embedded test images, every registered "
                + "method and metric with its defaults.",
            "Rerun the same command to resume an interrupted run."})
public final class RunCommand implements Callable<Integer> {

    @ParentCommand
    Main main;

    @Spec
    CommandSpec spec;

    @Option(names = "--config", paramLabel = "FILE", description = "YAML config (keys: model, evaluation-model, dataset, limit, "
            + "methods, metrics, seed, device, batch-size, out, shard, heatmap-cache, gallery-samples, memory, timeout, spark, "
            + "spark-tasks); options given "
            + "here override it")
    Path configFile;

    @Option(names = "--model", paramLabel = "ID[:K=V,...]", description = "model (default: embedded)")
    public String model;

    @Option(names = "--evaluation-model", paramLabel = "ID[:K=V,...]",
            description = "model the metrics evaluate, e.g. a ViT Shapley surrogate (default: embedded-surrogate "
                    + "for the default model, else the model itself)")
    public String evaluationModel;

    @Option(names = "--dataset", paramLabel = "ID[:K=V,...]",
            description = "dataset (default: fashion-mnist-embedded)")
    String dataset;

    @Option(names = "--limit", paramLabel = "N",
            description = "evaluate the first N samples, 0 for all (default: 100)")
    Integer limit;

    @Option(names = "--method", paramLabel = "ID[:K=V,...]",
            description = "explanation method, repeatable (default: every registered method with its defaults)")
    List<String> methods;

    @Option(names = "--metric", paramLabel = "ID[:K=V,...]",
            description = "metric, repeatable; preset=NAME selects a protocol preset (default: every registered metric "
                    + "but those that explain every image several times more: randomization, runtime, max- and "
                    + "avg-sensitivity, local-lipschitz)")
    List<String> metrics;

    @Option(names = "--seed", paramLabel = "N", description = "run seed (default: 0)")
    Long seed;

    @Option(names = "--batch-size", paramLabel = "N", description = "samples per batch (default: 16)")
    Integer batchSize;

    @Option(names = "--out", paramLabel = "DIR", description = "output directory (default: vitbench-out)")
    Path out;

    @Option(names = "--shard", paramLabel = "I/N",
            description = "evaluate only shard I of N (sample k belongs to shard k mod N + 1); combine the shards' "
                    + "output directories with vitbench merge")
    String shard;

    @Option(names = "--device", paramLabel = "cpu|gpu|gpu:N",
            description = "device of the model and the evaluation model (default: cpu); sets their device parameter")
    String device;

    @Option(names = "--heatmap-cache", paramLabel = "DIR",
            description = "where heatmaps are cached (default: OUT/heatmaps); give an earlier run's to add metrics "
                    + "without explaining again")
    Path heatmapCache;

    @Option(names = "--gallery-samples", paramLabel = "N",
            description = "samples in the report's heatmap gallery, each with every method's heatmap; 0 for none "
                    + "(default: " + HeatmapOutputs.DEFAULT_GALLERY_SAMPLES + ")")
    Integer gallerySamples;

    @Option(names = "--memory", paramLabel = "SIZE",
            description = "memory the whole run may use, e.g. 8g; methods, metrics and batches are sized to fit "
                    + "(default: 512 MiB of activations per pass and the configured batch size)")
    String memory;

    @Option(names = "--timeout", paramLabel = "TIME",
            description = "time a method's or metric's call may take per sample before its cells fail, e.g. 30m or 6h "
                    + "(default: " + PluginCalls.DEFAULT_LIMIT_TEXT + ")")
    String timeout;

    @Option(names = "--spark", paramLabel = "MASTER",
            description = "run on Apache Spark: local[N] on this machine, or a cluster's master (yarn, spark://HOST:7077, "
                    + "k8s://...); the samples are split into tasks whose results land in OUT/shards and are merged into "
                    + "OUT at the end (see the README's Spark section)")
    String spark;

    @Option(names = "--spark-tasks", paramLabel = "N",
            description = "Spark tasks the samples are split into (default: the split stored in OUT, else twice the "
                    + "cluster's cores, at most one per sample)")
    Integer sparkTasks;

    /** The option that sets how many batches run at once; {@link Main} reads it before the engine starts. */
    static final String WORKERS = "--workers";

    @Option(names = WORKERS, paramLabel = "N",
            description = "batches evaluated at once, each worker with its own method and metric instances and "
                    + "cores/N operator threads unless --threads is given (default: " + DEFAULT_WORKERS_TEXT + ")")
    Integer workers;

    /** How the default number of workers is chosen, as {@code --help} says it. */
    static final String DEFAULT_WORKERS_TEXT = "2 on a machine with at least 2 cores, else 1; 1 with --device gpu";

    @Option(names = {"-q", "--quiet"}, description = "no progress output")
    boolean quiet;

    @Option(names = "--jmh", paramLabel = "FILE",
            description = "JMH results (-rf json) to show in the report's runtime section; kept as jmh.json in the output")
    Path jmh;

    @Override
    public Integer call() {
        ConfigFile file = configFile == null ? ConfigFile.EMPTY : ConfigFile.read(configFile);
        RunConfig config = resolve(file, main.registry().explainers().keySet(), defaultMetrics(main.registry()));
        Shard part = shard != null ? Shard.parse(shard, "--shard") : file.shard() != null ? file.shard() : Shard.WHOLE;
        HeatmapOutputs heatmaps = new HeatmapOutputs(pick(heatmapCache, file.heatmapCache(), null),
                pick(gallerySamples, file.gallerySamples(), HeatmapOutputs.DEFAULT_GALLERY_SAMPLES));
        MemoryBudget budget = memory != null ? MemoryBudget.parse(memory, "--memory") : file.memory();
        Duration limit = timeout != null ? PluginCalls.parseLimit(timeout, "--timeout")
                : file.timeout() != null ? file.timeout() : PluginCalls.DEFAULT_LIMIT;
        String master = spark != null ? spark : file.spark();
        Integer tasks = sparkTasks != null ? sparkTasks : file.sparkTasks();
        if (master == null && tasks != null) {
            throw new ConfigurationException("--spark-tasks (or the config key spark-tasks) splits a Spark run; give "
                    + "--spark MASTER too, or leave it out");
        }
        if (master != null) {
            if (workers != null) {
                throw new ConfigurationException("--workers runs batches at once in this process; a Spark run has its own "
                        + "tasks (local[N] runs N at once); leave out --workers");
            }
            if (shard != null || file.shard() != null) {
                throw new ConfigurationException("--spark splits the samples into tasks itself; leave out --shard (or the "
                        + "config key shard)");
            }
            if (jmh != null) {
                if (outUri() != null) {
                    throw new ConfigurationException("--jmh adds results to a local run directory, and --out " + outUri()
                            + " is a URI; copy the run to a local directory and add them with vitbench report DIR --jmh FILE");
                }
                Benchmark.importJmh(jmh, config.out());
            }
            ClusterRunner.find("spark").run(new ClusterRunner.Request(config, master, tasks, heatmaps, budget, limit,
                    quiet, spec.commandLine().getOut(), spec.commandLine().getErr(), outUri()));
            return ExitCode.OK.code();
        }
        if (outUri() != null) {
            throw new ConfigurationException("--out " + outUri() + " is a file-system URI, which a Spark run writes "
                    + "(add --spark MASTER); a run in this process writes a local directory");
        }
        try (RunLock lock = RunLock.acquire(config.out(), "run")) {
            if (jmh != null) {
                Benchmark.importJmh(jmh, config.out());
            }
            new Benchmark(main.registry(), config, part, heatmaps, ConsoleProgress.mode(quiet),
                    spec.commandLine().getOut(), spec.commandLine().getErr(), budget).withTimeLimit(limit)
                    .withWorkers(workers != null ? workers : onGpu(config) ? 1 : defaultWorkers()).run();
        }
        return ExitCode.OK.code();
    }

    /**
     * Workers of a run on the CPU when {@code --workers} is not given: two where there are at least
     * two cores, since two workers with one operator thread each got more from 2 cores than one
     * worker with two (0.72 of the time for the default run, README "Performance"); else one.
     */
    public static int defaultWorkers() {
        return Math.min(2, Runtime.getRuntime().availableProcessors());
    }

    /** Whether the explained or the evaluation model runs on a GPU, where batches are best not split. */
    private static boolean onGpu(RunConfig config) {
        return java.util.stream.Stream.of(config.model(), config.evaluationModel()).filter(java.util.Objects::nonNull)
                .anyMatch(m -> m.parameters().getOrDefault("device", "cpu").startsWith("gpu"));
    }

    /** {@code --out} as typed when it is a URI ({@code scheme://...}), which a {@link Path} would not keep; else null. */
    private String outUri() {
        var parsed = spec.commandLine().getParseResult();
        var option = parsed == null ? null : parsed.matchedOption("--out");
        String text = option == null || option.stringValues().isEmpty() ? null : option.stringValues().get(0);
        return ClusterRunner.isUri(text) ? text : null;
    }

    /**
     * Options over the config file over the defaults; without methods or metrics, every registered
     * one runs with its default parameters.
     */
    public RunConfig resolve(ConfigFile file, Collection<String> registeredMethods, Collection<String> defaultMetrics) {
        String chosenDevice = pick(device, file.device(), null);
        PluginSpec chosenModel = onDevice(pick(model == null ? null : PluginSpec.parse(model), file.model(),
                RunConfig.DEFAULT_MODEL), chosenDevice);
        return new RunConfig(
                chosenModel,
                onDevice(pick(evaluationModel == null ? null : PluginSpec.parse(evaluationModel), file.evaluationModel(),
                        chosenModel.id().equals(RunConfig.DEFAULT_MODEL.id())
                                ? PluginSpec.of(RunConfig.DEFAULT_EVALUATION_MODEL.id(), chosenModel.parameters())
                                : null), chosenDevice),
                pick(dataset == null ? null : PluginSpec.parse(dataset), file.dataset(), RunConfig.DEFAULT_DATASET),
                pick(limit, file.limit(), RunConfig.DEFAULT_LIMIT),
                pick(specs(methods), file.methods(), registeredMethods.stream().map(PluginSpec::of).toList()),
                pick(specs(metrics), file.metrics(), defaultMetrics.stream().map(PluginSpec::of).toList()),
                pick(seed, file.seed(), RunConfig.DEFAULT_SEED),
                pick(batchSize, file.batchSize(), RunConfig.DEFAULT_BATCH_SIZE),
                pick(out, file.out(), RunConfig.DEFAULT_OUT));
    }

    /**
     * The metrics a run without {@code --metric} uses: every registered one but those that
     * declare {@link Requirement#REEXPLAINS} (they explain every sample several times again).
     */
    public static List<String> defaultMetrics(Registry registry) {
        return registry.metrics().values().stream()
                .filter(p -> !p.info().requirements().contains(Requirement.REEXPLAINS))
                .map(p -> p.info().id()).toList();
    }

    /**
     * Parses repeatable spec options. {@code a,b} without a colon is read as two ids, since a
     * comma-separated list is a natural thing to type.
     */
    public static List<PluginSpec> specs(List<String> texts) {
        if (texts == null) {
            return null;
        }
        List<PluginSpec> specs = new ArrayList<>();
        for (String text : texts) {
            if (text.indexOf(':') < 0) {
                for (String id : text.split(",")) {
                    if (!id.isBlank()) {
                        specs.add(PluginSpec.parse(id));
                    }
                }
            } else {
                specs.add(PluginSpec.parse(text));
            }
        }
        return specs;
    }

    /**
     * The model spec with its {@code device} parameter set (a shorthand for {@code id:device=...}
     * on both models); a device named in the spec itself must agree.
     */
    static PluginSpec onDevice(PluginSpec spec, String device) {
        if (spec == null || device == null) {
            return spec;
        }
        String named = spec.parameters().get("device");
        if (named == null && device.equals("cpu")) {
            return spec; // the default device: the spec, and so the config hash, stays as without the option
        }
        if (named != null && !named.equals(device)) {
            throw new ConfigurationException("model " + spec.format() + " names device " + named + " but --device (or "
                    + "the config key device) is " + device + "; give the device once");
        }
        java.util.Map<String, String> p = new java.util.TreeMap<>(spec.parameters());
        p.put("device", device);
        return PluginSpec.of(spec.id(), p);
    }

    private static <T> T pick(T option, T file, T fallback) {
        return option != null ? option : file != null ? file : fallback;
    }
}
