package org.vitbench.runner.run;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.vitbench.api.AtomicFiles;
import org.vitbench.api.ConfigurationException;
import org.vitbench.api.Context;
import org.vitbench.api.Dataset;
import org.vitbench.api.Direction;
import org.vitbench.api.Explainer;
import org.vitbench.api.MethodSpec;
import org.vitbench.api.Metric;
import org.vitbench.api.ModelInfo;
import org.vitbench.api.ModelWeights;
import org.vitbench.api.Randomisable;
import org.vitbench.api.Registry;
import org.vitbench.api.Requirement;
import org.vitbench.api.ResultRecord;
import org.vitbench.api.Sample;
import org.vitbench.api.VitModel;
import org.vitbench.api.VitbenchException;
import org.vitbench.models.masking.MaskedEvaluator;
import org.vitbench.reports.AllureResults;
import org.vitbench.reports.Exports;
import org.vitbench.reports.Gallery;
import org.vitbench.reports.HtmlReport;
import org.vitbench.reports.JmhResults;
import org.vitbench.reports.LeaderboardCsv;
import org.vitbench.reports.LeaderboardJson;
import org.vitbench.reports.LeaderboardLatex;
import org.vitbench.reports.LeaderboardMarkdown;
import org.vitbench.reports.LeaderboardPage;
import org.vitbench.reports.ReportData;
import org.vitbench.reports.SummaryJson;
import org.vitbench.runner.store.Protocol;
import org.vitbench.runner.store.ResultStore;
import org.vitbench.runner.store.RunLock;
import org.vitbench.runner.store.RunManifest;
import org.vitbench.runner.summary.Aggregator;

/**
 * One benchmark run: every method with every compatible metric on the first {@code limit}
 * samples, batch by batch, appending to the {@link ResultStore} and skipping stored units, then
 * the report. A failing or non-finite explanation, or a failing metric, becomes failed units with
 * the reason and the run goes on; errors of the model or the data stop the run with earlier
 * batches kept.
 */
public final class Benchmark {

    public static final String TITLE = "vitbench report";

    /** The run manifest's environment entry that names a shard ({@code i/n}). */
    public static final String SHARD_KEY = "shard";
    /** The run.json environment key of the memory the run was given, when it was. */
    static final String MEMORY_KEY = "memory";
    /** The run manifest's environment entry with the number of units (samples x runnable pairs) the run evaluates. */
    public static final String UNITS_KEY = "units";
    /** The run manifest's environment entry with the workers that ran batches at once. */
    public static final String WORKERS_KEY = "workers";
    /** The run manifest's environment entry that names the machine. */
    public static final String HOST_KEY = "host";

    private static final Logger LOG = LoggerFactory.getLogger(Benchmark.class);

    private final Registry registry;
    private final RunConfig config;
    private final Shard shard;
    private final HeatmapOutputs heatmapOutputs;
    private final ConsoleProgress.Mode progressMode;
    private final PrintWriter out;
    private final PrintWriter err;
    private final MemoryBudget memory;
    private Duration timeLimit = PluginCalls.DEFAULT_LIMIT;
    private RunResources resources = RunResources.OWNED;
    private boolean reports = true;
    private java.util.function.IntConsumer batchStored = stored -> { };
    private int workers = 1;

    public Benchmark(Registry registry, RunConfig config, ConsoleProgress.Mode progressMode, PrintWriter out,
            PrintWriter err) {
        this(registry, config, Shard.WHOLE, progressMode, out, err);
    }

    public Benchmark(Registry registry, RunConfig config, Shard shard, ConsoleProgress.Mode progressMode, PrintWriter out,
            PrintWriter err) {
        this(registry, config, shard, HeatmapOutputs.DEFAULT, progressMode, out, err);
    }

    /**
     * @param heatmapOutputs where heatmaps are cached and how many samples the report's gallery shows
     */
    public Benchmark(Registry registry, RunConfig config, Shard shard, HeatmapOutputs heatmapOutputs,
            ConsoleProgress.Mode progressMode, PrintWriter out, PrintWriter err) {
        this(registry, config, shard, heatmapOutputs, progressMode, out, err, null);
    }

    /**
     * @param memory the memory the run was given, or {@code null} for the default activation budget
     *     and the configured batch size
     */
    public Benchmark(Registry registry, RunConfig config, Shard shard, HeatmapOutputs heatmapOutputs,
            ConsoleProgress.Mode progressMode, PrintWriter out, PrintWriter err, MemoryBudget memory) {
        this.memory = memory;
        this.registry = registry;
        this.config = config;
        this.shard = shard;
        this.heatmapOutputs = heatmapOutputs;
        this.progressMode = progressMode;
        this.out = out;
        this.err = err;
    }

    /** Sets the time a plug-in call may take per sample (default {@link PluginCalls#DEFAULT_LIMIT}). */
    public Benchmark withTimeLimit(Duration perSample) {
        this.timeLimit = perSample;
        return this;
    }

    /**
     * Runs {@code count} batches at once, each worker with its own plug-in instances (default 1).
     * The models are shared; set the engine's operator threads so that the workers together use
     * the cores (the command line does, see {@code vitbench run --workers}).
     */
    public Benchmark withWorkers(int count) {
        if (count < 1) {
            throw new ConfigurationException("invalid number of workers " + count + "; allowed: 1 or more");
        }
        this.workers = count;
        return this;
    }

    /** Takes models and data from {@code shared} instead of loading them for this run and closing them after it. */
    public Benchmark withResources(RunResources shared) {
        this.resources = shared;
        return this;
    }

    /**
     * Stores results without writing reports at the end: for a part of a distributed run, whose
     * driver merges the parts and writes the reports once.
     */
    public Benchmark withoutReports() {
        this.reports = false;
        return this;
    }

    /** Calls {@code listener} with the number of records each batch stored, right after storing them. */
    public Benchmark onBatchStored(java.util.function.IntConsumer listener) {
        this.batchStored = listener;
        return this;
    }

    /**
     * Runs the benchmark and writes the report; returns the written report files (none when
     * {@link #withoutReports()} was called).
     */
    public List<Path> run() {
        String started = RunManifest.timestamp();
        List<Unit.Method> methods = new ArrayList<>();
        Set<MethodSpec> methodSpecs = new HashSet<>();
        try {
            for (PluginSpec spec : config.methods()) {
                Explainer e = created(registry.explainer(spec.id()).create(spec.toParameters()), "method", spec);
                Unit.Method m = Unit.Method.of(e);
                methods.add(m);
                if (!methodSpecs.add(m.spec())) {
                    throw new ConfigurationException("method " + m.spec() + " is given twice; give each method once");
                }
            }
            return run(started, methods);
        } finally {
            close(methods);
        }
    }

    private List<Path> run(String started, List<Unit.Method> methods) {
        List<Metric> metrics = new ArrayList<>();
        Set<String> specHashes = new HashSet<>();
        for (PluginSpec spec : config.metrics()) {
            Metric m = created(registry.metric(spec.id()).create(spec.toParameters()), "metric", spec);
            if (!specHashes.add(m.spec().hash())) {
                throw new ConfigurationException("metric " + m.spec().canonical() + " is given twice; give each "
                        + "metric once");
            }
            metrics.add(m);
        }
        RunConfig resolved = config.withPlugins(
                methods.stream().map(m -> PluginSpec.of(m.spec().methodId(), m.spec().parameters())).toList(),
                metrics.stream().map(Benchmark::resolvedSpec).toList());
        String hash = resolved.hash();
        try (RunLock lock = RunLock.acquire(config.out(), "run");
                ResultStore store = ResultStore.open(config.out(), hash);
                Held explained = new Held(resources, resources.model(config.model(), registry));
                Held evaluation = new Held(resources, config.evaluationModel() == null ? null
                        : resources.model(config.evaluationModel(), registry))) {
            VitModel model = explained.model();
            VitModel evaluationModel = evaluation.model();
            VitModel scoring = evaluationModel == null ? model : evaluationModel;
            checkCompatible(model, scoring, config);
            Dataset dataset = resources.dataset(config.dataset(), registry, model.info());
            int all = config.limit() == 0 ? dataset.size() : Math.min(config.limit(), dataset.size());
            List<Integer> positions = new ArrayList<>();
            for (int k = 0; k < all; k++) {
                if (shard.contains(k)) {
                    positions.add(k);
                }
            }
            int n = positions.size();
            List<RunManifest.Skipped> skipped = new ArrayList<>();
            List<Unit.Pair> pairs = plan(methods, metrics, dataset, model.info(), offered(model), skipped);
            Map<String, Direction> directions = new HashMap<>();
            metrics.forEach(m -> directions.put(m.spec().hash(), m.info().direction()));
            Map<String, String> env = new LinkedHashMap<>(Environment.describe(config, resolved, model, dataset, n,
                    started));
            if (!shard.whole()) {
                env.put(SHARD_KEY, shard.format());
            }
            env.put(UNITS_KEY, Long.toString((long) n * pairs.size()));
            env.put(HOST_KEY, host());
            env.putAll(Protocol.fingerprints(model, evaluationModel));
            long activations = Context.DEFAULT_MEMORY_BUDGET;
            int batchSize = config.batchSize();
            if (memory != null) {
                ModelInfo larger = MaskedEvaluator.bytesPerCopy(scoring.info()) > MaskedEvaluator.bytesPerCopy(
                        model.info()) ? scoring.info() : model.info();
                activations = memory.activations(larger, MemoryBudget.residentBytes(), MemoryBudget.heapHeadroom());
                batchSize = MemoryBudget.batchSize(batchSize, larger, activations);
                env.put(MEMORY_KEY, MemoryBudget.format(memory.bytes()) + " given; " + MemoryBudget.format(activations)
                        + " of activations per pass; " + batchSize + " samples per batch");
                LOG.info("memory {}: {} of activations per pass, {} samples per batch", MemoryBudget.format(
                        memory.bytes()), MemoryBudget.format(activations), batchSize);
            }
            // no more workers than batches
            int count = Math.max(1, Math.min(workers, (n + batchSize - 1) / batchSize));
            env.put(WORKERS_KEY, Integer.toString(count));
            Map<String, String> families = new LinkedHashMap<>();
            methods.forEach(m -> families.put(m.spec().methodId(),
                    m.explainer().info().family().name().toLowerCase(java.util.Locale.ROOT)));
            RunManifest manifest = new RunManifest(hash, resolved.canonicalYaml(), config.seed(), directions,
                    skipped, env, families);
            manifest.write(config.out());
            LOG.info("config {}: {} samples x {} method-metric pairs into {}", hash, n, pairs.size(),
                    config.out().toAbsolutePath());
            List<Sample> shown = new ArrayList<>();
            for (int i = 0; i < Math.min(heatmapOutputs.gallerySamples(), n); i++) {
                shown.add(dataset.get(positions.get(i)));
            }
            GalleryCollector gallery = new GalleryCollector(config.out(), shown, methods);
            HeatmapCache heatmapCache = new HeatmapCache(heatmapOutputs.cacheDir(config.out()), HeatmapCache.context(
                    config.model(), model.info().name(), Protocol.fingerprint(model).orElse(null),
                    config.dataset(), config.seed()));
            long total = (long) n * pairs.size();
            long startNanos = System.nanoTime();
            long startDone = Math.min(total, store.records().size());
            // a given memory is shared by the workers; the default budget is per pass, so per worker
            long perWorker = memory == null ? activations : activations / count;
            List<AutoCloseable> owned = new ArrayList<>();
            try (ConsoleProgress progress = new ConsoleProgress(err, progressMode, total,
                    startDone, System::nanoTime)) {
                progress.plan(samplesLeft(pairs, store.records(), n));
                List<BatchWorkers.Worker> crew = new ArrayList<>();
                for (int w = 0; w < count; w++) {
                    List<Unit.Pair> own = w == 0 ? pairs : ownPlugins(pairs, methods, metrics, owned);
                    PluginCalls calls = new PluginCalls(timeLimit);
                    owned.add(calls);
                    ConsoleProgress.Lane lane = progress.lane();
                    crew.add(new BatchWorkers.Worker(new BatchRun(model, scoring, config.seed(), hash, own, store, lane,
                            gallery, heatmapCache, perWorker, calls), lane));
                }
                if (count > 1) {
                    String threads = System.getProperty("ai.djl.pytorch.num_threads", "the engine's default number of");
                    LOG.info("{} workers, each with {} operator thread{}", count, threads, threads.equals("1") ? "" : "s");
                }
                try (BatchWorkers batches = new BatchWorkers(crew, store, batchStored)) {
                    submitBatches(batches, dataset, positions, batchSize, count);
                    batches.finish();
                }
            } finally {
                closeAll(owned);
            }
            gallery.finish(store.records(), model.info().classNames());
            LOG.info("heatmaps: {} read from the cache {}, {} computed and cached", heatmapCache.hits(),
                    heatmapCache.dir().toAbsolutePath(), heatmapCache.stored());
            Map<String, String> finished = new LinkedHashMap<>(env);
            finished.put("finished", RunManifest.timestamp());
            manifest = manifest.withEnvironment(finished);
            manifest.write(config.out());
            out.println("finished in " + ConsoleProgress.duration(Math.round((System.nanoTime() - startNanos) / 1e9))
                    + (startDone > 0 ? " (" + startDone + " units were stored before)" : ""));
            return reports ? writeReports(config.out(), store.records(), manifest, out) : List.of();
        }
    }

    /** A model the run uses, given back to its {@link RunResources} when the run ends. */
    private record Held(RunResources resources, VitModel model) implements AutoCloseable {
        @Override
        public void close() {
            if (model != null) {
                resources.release(model);
            }
        }
    }

    /**
     * The samples each progress task has left: a pair's unstored units, and for a method the most
     * of its pairs' (it explains a sample while any of its pairs lacks it).
     */
    static Map<String, Long> samplesLeft(List<Unit.Pair> pairs, List<ResultRecord> stored, int samples) {
        Map<ResultRecord.Cell, Long> done = new HashMap<>();
        stored.forEach(r -> done.merge(r.cell(), 1L, Long::sum));
        Map<String, Long> left = new LinkedHashMap<>();
        for (Unit.Pair p : pairs) {
            long pairLeft = Math.max(0, samples - done.getOrDefault(new ResultRecord.Cell(p.method().spec(),
                    p.metric().spec().hash()), 0L));
            left.merge(BatchRun.explainTask(p.method()), pairLeft, Math::max);
            left.put(BatchRun.scoreTask(p), pairLeft);
        }
        return left;
    }

    /** Closes every method (releasing what it loaded); a failing close is logged, not thrown over the run's outcome. */
    private static void close(List<Unit.Method> methods) {
        for (Unit.Method m : methods) {
            try {
                m.explainer().close();
            } catch (RuntimeException e) {
                LOG.warn("closing method {} failed: {}", m.spec(), e.toString());
            }
        }
    }

    /**
     * Hands the run's batches to the workers in order. Samples are read here, one batch at a time,
     * with the check that ids are unique.
     */
    private static void submitBatches(BatchWorkers batches, Dataset dataset, List<Integer> positions, int batchSize,
            int workers) {
        int n = positions.size();
        Set<String> ids = new HashSet<>();
        int[] ends = batchEnds(n, batchSize, workers);
        for (int b = 0, start = 0; b < ends.length; start = ends[b++]) {
            List<Sample> batch = new ArrayList<>();
            for (int i = start; i < ends[b]; i++) {
                Sample s = dataset.get(positions.get(i));
                if (!ids.add(s.id())) {
                    throw new ConfigurationException("dataset " + dataset.name() + " has two samples with id "
                            + s.id() + "; sample ids must be unique because results are keyed by them");
                }
                batch.add(s);
            }
            batches.submit(batch, "samples " + (start + 1) + "-" + ends[b] + " of " + n);
        }
    }

    /**
     * Where each batch of {@code n} samples ends. One worker: batches of {@code batchSize}, the
     * last one shorter. Several: the fewest batches of at most {@code batchSize} samples whose
     * number is a multiple of the workers, of sizes differing by at most one, so the last round
     * does not leave workers idle behind a short batch. Batch composition changes no score (results
     * are seeded per sample).
     */
    static int[] batchEnds(int n, int batchSize, int workers) {
        int count = (n + batchSize - 1) / batchSize;
        if (workers > 1) {
            count = Math.min(n, (count + workers - 1) / workers * workers);
        }
        int[] ends = new int[count];
        for (int b = 0, end = 0; b < count; b++) {
            end += workers > 1 ? n / count + (b < n % count ? 1 : 0) : Math.min(batchSize, n - end);
            ends[b] = end;
        }
        return ends;
    }

    /**
     * The same pairs over new instances of their methods and metrics, created from the same
     * configured specs as {@code methods} and {@code metrics} (which are in config order), for
     * another worker; the new methods are added to {@code owned} to be closed after the run.
     */
    private List<Unit.Pair> ownPlugins(List<Unit.Pair> pairs, List<Unit.Method> methods, List<Metric> metrics,
            List<AutoCloseable> owned) {
        Map<Integer, Unit.Method> newMethods = new HashMap<>();
        Map<Integer, Metric> newMetrics = new HashMap<>();
        List<Unit.Pair> own = new ArrayList<>(pairs.size());
        for (Unit.Pair p : pairs) {
            Unit.Method m = newMethods.computeIfAbsent(methods.indexOf(p.method()), i -> {
                PluginSpec spec = config.methods().get(i);
                Unit.Method created = Unit.Method.of(created(registry.explainer(spec.id()).create(spec.toParameters()),
                        "method", spec));
                owned.add(created.explainer());
                return created;
            });
            Metric metric = newMetrics.computeIfAbsent(metrics.indexOf(p.metric()), j -> {
                PluginSpec spec = config.metrics().get(j);
                return created(registry.metric(spec.id()).create(spec.toParameters()), "metric", spec);
            });
            if (!m.spec().equals(p.method().spec()) || !metric.spec().equals(p.metric().spec())) {
                throw new VitbenchException("a second instance of " + p.method().spec() + " x " + p.metric().spec()
                        .canonical() + " resolved to other parameters; its plug-in's create() must be deterministic");
            }
            own.add(new Unit.Pair(m, metric));
        }
        return own;
    }

    /** Closes what a run's workers own; a failing close is logged, not thrown over the run's outcome. */
    private static void closeAll(List<AutoCloseable> owned) {
        for (AutoCloseable c : owned) {
            try {
                c.close();
            } catch (Exception e) {
                LOG.warn("closing {} failed: {}", c, e.toString());
            }
        }
    }

    /** A plug-in's {@code create} result, refused when it is null: a plug-in bug, named as such. */
    private static <T> T created(T plugin, String kind, PluginSpec spec) {
        if (plugin == null) {
            throw new VitbenchException("the " + kind + " plug-in '" + spec.id() + "' returned nothing from create(); "
                    + "fix the plug-in or leave it out of the run");
        }
        return plugin;
    }

    /** Where a run directory keeps imported JMH results, which its report shows. */
    static final String JMH_FILE = "jmh.json";

    /**
     * Checks a JMH JSON result file and copies it into the run directory as {@link #JMH_FILE}, so
     * this and every later report of the run shows it.
     */
    public static void importJmh(Path file, Path dir) {
        if (!Files.isRegularFile(file)) {
            throw new ConfigurationException("JMH result file " + file.toAbsolutePath() + " does not exist; write one "
                    + "with java -jar benchmarks/target/benchmarks.jar -rf json -rff FILE");
        }
        JmhResults.read(file);
        AtomicFiles.copy(file, dir.resolve(JMH_FILE));
    }

    /** The evaluation model must see the same images and patches and predict the same classes. */
    private static void checkCompatible(VitModel model, VitModel scoring, RunConfig config) {
        var a = model.info();
        var b = scoring.info();
        if (a.imageSize() != b.imageSize() || a.channels() != b.channels() || a.patchSize() != b.patchSize()
                || !a.classNames().equals(b.classNames())) {
            throw new ConfigurationException("evaluation model " + config.evaluationModel().format() + " ("
                    + b.name() + ") does not match model " + config.model().format() + " (" + a.name() + "): both need "
                    + "the same image size, channels, patch size and classes; name the model's own surrogate");
        }
    }

    /**
     * Aggregates {@code records} and writes into {@code dir}: report.html, summary.json, the
     * leaderboard as CSV, LaTeX and Markdown, standalone charts and tables, and Allure results.
     */
    public static List<Path> writeReports(Path dir, List<ResultRecord> records, RunManifest manifest, PrintWriter out) {
        Map<String, String> source = source(dir, manifest);
        Map<String, Map<String, String>> provenance = new LinkedHashMap<>();
        Aggregator.methodLabels(records).values().forEach(label -> provenance.put(label, source));
        return writeReports(dir, records, manifest, provenance, out);
    }

    /** Every requirement, in the order a skipped pair's reason is looked for (the first unmet is given). */
    static final List<Requirement> CHECK_ORDER = List.of(Requirement.GROUND_TRUTH_MASK, Requirement.PLAIN_LAYOUT,
            Requirement.RANDOMISED_MODELS, Requirement.ALL_CLASSES, Requirement.WEIGHTS, Requirement.ATTENTION,
            Requirement.GRADIENTS, Requirement.MASKING, Requirement.TRAINED_ARTIFACT, Requirement.REEXPLAINS);

    /**
     * The capabilities beyond the model contract that {@code model} offers, as the requirements
     * they meet: {@link Requirement#WEIGHTS} and {@link Requirement#RANDOMISED_MODELS}.
     */
    static Set<Requirement> offered(VitModel model) {
        Set<Requirement> offered = EnumSet.noneOf(Requirement.class);
        if (model.capability(ModelWeights.class).isPresent()) {
            offered.add(Requirement.WEIGHTS);
        }
        if (model.capability(Randomisable.class).isPresent()) {
            offered.add(Requirement.RANDOMISED_MODELS);
        }
        return offered;
    }

    /** Why requirement {@code r} of a method x metric pair is not met, or null when it is. */
    private static String unmet(Requirement r, Unit.Method method, Metric metric, Set<Requirement> needs,
            Dataset dataset, ModelInfo model, Set<Requirement> offered) {
        return switch (r) {
            // every VitModel offers these: they are the model contract
            case ATTENTION, GRADIENTS, MASKING -> null;
            // a cost, not a condition: it keeps a metric out of the default run
            case REEXPLAINS -> null;
            // met by the method; what it rules out is checked with RANDOMISED_MODELS
            case TRAINED_ARTIFACT -> null;
            case GROUND_TRUTH_MASK -> dataset.hasMasks() ? null
                    : "needs ground-truth masks, and dataset " + dataset.name() + " has none";
            case PLAIN_LAYOUT -> model.plainLayout() ? null
                    : "method " + method.spec() + " reads attention, token states or weights laid out as a plain ViT "
                            + "(one class token read by the head, no layer scale), and model " + model.name()
                            + " is not one (" + model.prefixTokens() + " prefix tokens); perturbation and "
                            + "input-gradient methods explain it";
            case RANDOMISED_MODELS -> !offered.contains(Requirement.RANDOMISED_MODELS)
                    ? "metric " + metric.info().id() + " explains randomised copies of the model again, and model "
                            + model.name() + " does not offer them (the Randomisable capability)"
                    : needs.contains(Requirement.TRAINED_ARTIFACT)
                            ? "metric " + metric.info().id() + " explains randomised copies of the model again, and "
                                    + "method " + method.spec() + " is tied to an artifact trained for the original "
                                    + "model (it would not see the randomisation)"
                            : null;
            case ALL_CLASSES -> !metric.info().requirements().contains(Requirement.ALL_CLASSES)
                    || method.explainer().info().allClasses() ? null
                    : "metric " + metric.info().id() + " needs heatmaps of every class, and method " + method.spec()
                            + " explains the target class only";
            case WEIGHTS -> offered.contains(Requirement.WEIGHTS) ? null
                    : "method " + method.spec() + " reads the model's weights, and model " + model.name()
                            + " does not expose them (the ModelWeights capability)";
        };
    }

    /** The machine's host name, for provenance; {@code unknown} when the system cannot tell. */
    public static String host() {
        try {
            return java.net.InetAddress.getLocalHost().getHostName();
        } catch (java.io.IOException e) {
            return "unknown";
        }
    }

    /** Where a run's results come from, for leaderboards: its directory, machine, commit and end. */
    public static Map<String, String> source(Path dir, RunManifest manifest) {
        Map<String, String> source = new LinkedHashMap<>();
        source.put("run", dir.toString());
        for (String key : List.of(HOST_KEY, "CPU", "OS", "git commit", "finished")) {
            if (manifest.environment().containsKey(key)) {
                source.put(key, manifest.environment().get(key));
            }
        }
        return source;
    }

    /** As above, with each method's provenance given (a leaderboard merges runs of several machines). */
    public static List<Path> writeReports(Path dir, List<ResultRecord> records, RunManifest manifest,
            Map<String, Map<String, String>> provenance, PrintWriter out) {
        ReportData data = Aggregator.aggregate(TITLE, records, manifest);
        Path jmh = dir.resolve(JMH_FILE);
        if (Files.isRegularFile(jmh)) {
            data = data.withBenchmarks(JmhResults.read(jmh));
        }
        Path html = dir.resolve("report.html");
        Path summary = dir.resolve("summary.json");
        Path csv = dir.resolve("leaderboard.csv");
        Path tex = dir.resolve("leaderboard.tex");
        data = data.withGallery(Gallery.read(dir.resolve(Gallery.DIR)));
        HtmlReport.write(data, html);
        writeText(summary, SummaryJson.render(data));
        writeText(csv, LeaderboardCsv.render(data));
        writeText(tex, LeaderboardLatex.render(data));
        writeText(dir.resolve("leaderboard.md"), LeaderboardMarkdown.render(data));
        String protocol = Protocol.of(manifest);
        writeText(dir.resolve("leaderboard.json"), LeaderboardJson.render(data, Protocol.hash(protocol), protocol,
                provenance));
        writeText(dir.resolve("leaderboard.html"), LeaderboardPage.render(data, Protocol.hash(protocol), protocol,
                provenance));
        Exports.write(data, dir);
        long[] span = span(manifest);
        AllureResults.write(data, data.gallery(), dir.resolve(AllureResults.DIR), java.util.Map.of(), span[0], span[1]);
        printSummary(data, manifest, out);
        out.println("results:     " + dir.resolve(ResultStore.FILE_NAME));
        out.println("report:      " + html);
        out.println("summary:     " + summary);
        out.println("leaderboard: " + csv + " (also leaderboard.json, .md, .tex, .html)");
        out.println("also:        charts/*.svg, tables/*.csv, " + AllureResults.DIR + "/ (Allure results)");
        out.flush();
        return List.of(html, summary, csv, tex);
    }

    /** Cells scored, failed units, skipped pairs and the three best methods of each metric. */
    static void printSummary(ReportData data, RunManifest manifest, PrintWriter out) {
        long failed = data.rows().stream().mapToLong(ReportData.Row::failed).sum();
        long scored = data.rows().stream().filter(r -> r.n() > 0).count();
        out.println("cells:       " + scored + " method x metric cells scored, " + failed + " failed unit"
                + (failed == 1 ? "" : "s") + (failed > 0 ? " (see the report's failed cells)" : "") + ", "
                + manifest.skipped().size() + " pair" + (manifest.skipped().size() == 1 ? "" : "s")
                + " skipped as not applicable");
        Map<String, List<ReportData.Row>> byMetric = new LinkedHashMap<>();
        data.rows().stream().filter(r -> r.rank() > 0).forEach(r -> byMetric.computeIfAbsent(r.metric(),
                k -> new ArrayList<>()).add(r));
        if (byMetric.isEmpty()) {
            return;
        }
        int width = byMetric.keySet().stream().mapToInt(String::length).max().orElse(0) + 2;
        out.println("best three per metric (mean):");
        byMetric.forEach((metric, rows) -> {
            rows.sort(java.util.Comparator.comparingInt(ReportData.Row::rank));
            String top = String.join(", ", rows.stream().limit(3)
                    .map(r -> r.method() + " " + org.vitbench.reports.Html.number(r.mean())).toList());
            String label = metric + " " + rows.get(0).direction().arrow();
            out.println("  " + label + " ".repeat(Math.max(1, width + 2 - label.length())) + top);
        });
    }

    /**
     * The run's start and end in epoch milliseconds from its manifest (the end is the last
     * finish, so rendering a report again rewrites the same Allure files); now when absent.
     */
    public static long[] span(RunManifest manifest) {
        long now = System.currentTimeMillis();
        return new long[] {instant(manifest.environment().get("started"), now),
            instant(manifest.environment().get("finished"), now)};
    }

    private static long instant(String text, long fallback) {
        try {
            return text == null ? fallback : java.time.Instant.parse(text).toEpochMilli();
        } catch (java.time.format.DateTimeParseException e) {
            return fallback;
        }
    }

    /** The metric as a spec that {@code --metric} reads back: its resolved preset and parameters. */
    private static PluginSpec resolvedSpec(Metric m) {
        Map<String, String> p = new LinkedHashMap<>(m.spec().parameters());
        p.put("preset", m.spec().preset());
        return PluginSpec.of(m.spec().metricId(), p);
    }

    /** The runnable pairs; incompatible ones go to {@code skipped} with the reason, and are logged. */
    static List<Unit.Pair> plan(List<Unit.Method> methods, List<Metric> metrics, Dataset dataset, ModelInfo model,
            Set<Requirement> offered, List<RunManifest.Skipped> skipped) {
        List<Unit.Pair> pairs = new ArrayList<>();
        int first = skipped.size();
        Map<Requirement, List<RunManifest.Skipped>> byRequirement = new java.util.EnumMap<>(Requirement.class);
        for (Unit.Method method : methods) {
            for (Metric metric : metrics) {
                Set<Requirement> needs = EnumSet.noneOf(Requirement.class);
                needs.addAll(method.explainer().info().requirements());
                needs.addAll(metric.info().requirements());
                String reason = null;
                Requirement unmet = null;
                for (Requirement r : CHECK_ORDER) {
                    reason = needs.contains(r) ? unmet(r, method, metric, needs, dataset, model, offered) : null;
                    if (reason != null) {
                        unmet = r;
                        break;
                    }
                }
                if (reason == null) {
                    pairs.add(new Unit.Pair(method, metric));
                } else {
                    RunManifest.Skipped k = new RunManifest.Skipped(method.spec().canonical(), metric.info().id(),
                            reason);
                    skipped.add(k);
                    byRequirement.computeIfAbsent(unmet, x -> new ArrayList<>()).add(k);
                }
            }
        }
        // one line per method and reason, not per cell (a layout skip would otherwise log every metric)
        Map<List<String>, List<String>> byReason = new LinkedHashMap<>();
        for (RunManifest.Skipped k : skipped.subList(first, skipped.size())) {
            byReason.computeIfAbsent(List.of(k.method(), k.reason()), x -> new ArrayList<>()).add(k.metric());
        }
        byReason.forEach((key, metricIds) -> LOG.debug("skipping {} x {}: {}", key.get(0),
                String.join(", ", metricIds), key.get(1)));
        if (!byRequirement.isEmpty()) {
            LOG.info("{}", skipSummary(byRequirement, methods.size() * metrics.size(), dataset.name(), model.name()));
        }
        return pairs;
    }

    /**
     * One line for the pairs that do not apply, by the requirement they miss, e.g. {@code 69 of
     * 184 method x metric pairs do not apply and are skipped: 69 need ground-truth masks, which
     * dataset d lacks (metrics pointing-game, relevance-mass, relevance-rank)}.
     */
    static String skipSummary(Map<Requirement, List<RunManifest.Skipped>> byRequirement, int pairs, String dataset,
            String model) {
        int count = byRequirement.values().stream().mapToInt(List::size).sum();
        StringBuilder sb = new StringBuilder().append(count).append(" of ").append(pairs)
                .append(count == 1 ? " method x metric pairs does not apply and is skipped: "
                        : " method x metric pairs do not apply and are skipped: ");
        List<String> parts = new ArrayList<>();
        byRequirement.forEach((r, list) -> {
            boolean one = list.size() == 1;
            String why = switch (r) {
                case GROUND_TRUTH_MASK -> (one ? "needs" : "need") + " ground-truth masks, which dataset " + dataset
                        + " lacks";
                case PLAIN_LAYOUT -> (one ? "reads" : "read") + " a plain ViT layout, which model " + model
                        + " does not have";
                case RANDOMISED_MODELS -> (one ? "explains" : "explain") + " randomised copies of the model, which "
                        + "model " + model + " does not offer or a trained method would not follow";
                case ALL_CLASSES -> (one ? "needs" : "need") + " every class's heatmap from a method that explains "
                        + "the target only";
                case WEIGHTS -> (one ? "reads" : "read") + " weights that model " + model + " does not expose";
                default -> (one ? "misses " : "miss ") + r;
            };
            List<String> metricIds = list.stream().map(RunManifest.Skipped::metric).distinct().toList();
            long methodCount = list.stream().map(RunManifest.Skipped::method).distinct().count();
            parts.add(list.size() + " " + why + " (" + (metricIds.size() == 1 ? "metric " : "metrics ")
                    + String.join(", ", metricIds) + "; " + methodCount + (methodCount == 1 ? " method)" : " methods)"));
        });
        return sb.append(String.join("; ", parts))
                .append(". Each is listed in run.json and the report; --verbose lists them here.").toString();
    }

    private static void writeText(Path file, String text) {
        AtomicFiles.writeString(file, text);
    }
}
