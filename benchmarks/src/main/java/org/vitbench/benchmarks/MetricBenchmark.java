package org.vitbench.benchmarks;

import ai.djl.ndarray.NDManager;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;
import org.vitbench.api.Context;
import org.vitbench.api.Explainer;
import org.vitbench.api.Heatmaps;
import org.vitbench.api.Metric;
import org.vitbench.api.MetricResult;
import org.vitbench.api.Parameters;
import org.vitbench.api.Registry;
import org.vitbench.api.Sample;
import org.vitbench.api.VitModel;

/**
 * Time per image of each metric that runs on the embedded data with its default preset, scoring
 * the {@code random} method's maps of {@value #BATCH} images of the embedded subset with the
 * embedded surrogate as evaluation model (the default run's set-up). Every invocation builds a
 * fresh metric instance, so metrics that share per-sample evaluations across methods
 * ({@code sensitivity-n}, {@code faithfulness}) are timed for their first method, i.e. with the
 * shared evaluations included. The localisation metrics need masks and are not measured here.
 * Mode average time, milliseconds per image, one fork.
 *
 * <p>Run: {@code java -jar benchmarks/target/benchmarks.jar MetricBenchmark -rf json -rff
 * target/jmh-metrics.json}.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@State(Scope.Benchmark)
@Fork(value = 1, jvmArgsAppend = {"-Xmx4g", "-Dai.djl.offline=true", "-DOPT_OUT_TRACKING=true"})
@Warmup(iterations = 1, time = 2, timeUnit = TimeUnit.SECONDS)
@Measurement(iterations = 3, time = 3, timeUnit = TimeUnit.SECONDS)
public class MetricBenchmark {

    static final int BATCH = 16;

    static {
        Fixtures.configureDjl();
    }

    /** The metric id with its default preset. */
    @Param({"deletion", "insertion", "sensitivity-n", "faithfulness", "faithfulness-correlation", "sparseness",
        "complexity", "randomization"})
    public String metric;

    private Registry registry;
    private VitModel model;
    private VitModel surrogate;
    private Explainer explainer;
    private List<Sample> samples;
    private int[] targets;
    private Heatmaps heatmaps;

    @Setup
    public void setUp() {
        registry = Registry.load();
        model = Fixtures.embeddedModel();
        surrogate = registry.model("embedded-surrogate").load(Parameters.empty());
        explainer = registry.explainer("random").create(Parameters.empty());
        samples = Fixtures.embeddedSamples(BATCH);
        targets = Fixtures.predictions(model, samples);
        try (NDManager scope = model.manager().newSubManager()) {
            heatmaps = explainer.explain(new Context(model, Fixtures.SEED, scope), samples, targets);
        }
    }

    @Benchmark
    @OperationsPerInvocation(BATCH)
    public MetricResult evaluate() {
        Metric m = registry.metric(metric).create(Parameters.empty());
        try (NDManager scope = model.manager().newSubManager()) {
            Context context = new Context(surrogate, Fixtures.SEED, scope).withExplained(explainer, model);
            return m.evaluate(context, samples, targets, heatmaps);
        } finally {
            if (m instanceof AutoCloseable c) {
                try {
                    c.close();
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            }
        }
    }

    @TearDown
    public void tearDown() {
        surrogate.close();
        model.close();
    }
}
