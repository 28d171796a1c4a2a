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
import org.vitbench.api.Parameters;
import org.vitbench.api.Registry;
import org.vitbench.api.Sample;
import org.vitbench.api.VitModel;

/**
 * Time per image of each registered method with its default parameters, explaining a batch of
 * {@value #BATCH} images of the embedded Fashion-MNIST subset on the embedded model, every class
 * when the method explains all at once (as {@code vitbench run} does). Mode average time,
 * milliseconds per image ({@code @OperationsPerInvocation}), one fork.
 *
 * <p>Run: {@code java -jar benchmarks/target/benchmarks.jar MethodBenchmark -rf json -rff
 * target/jmh-methods.json}, {@code -p method=kernel-shap,rise} for some methods; import the JSON into a
 * report with {@code vitbench report DIR --jmh target/jmh-methods.json}. A method may carry
 * parameters as on the command line, separated by semicolons because JMH splits {@code -p} values at
 * commas: {@code -p 'method=kernel-shap:budget=4096;threshold=0'} (what
 * {@code benchmarks/peer/interleave.py --kinds methods} times against the peer).
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@State(Scope.Benchmark)
@Fork(value = 1, jvmArgsAppend = {"-Xmx4g", "-Dai.djl.offline=true", "-DOPT_OUT_TRACKING=true"})
@Warmup(iterations = 1, time = 2, timeUnit = TimeUnit.SECONDS)
@Measurement(iterations = 3, time = 3, timeUnit = TimeUnit.SECONDS)
public class MethodBenchmark {

    static final int BATCH = 16;

    static {
        Fixtures.configureDjl();
    }

    /**
     * The method id, every method registered in this build, or a spec with parameters separated by
     * semicolons ({@code integrated-gradients:batchSize=64;steps=50}).
     */
    @Param({"attention-rollout", "cdam", "generic-attention", "gradcam", "gradcam-attn", "gradcam-plus-plus",
        "gradient-input", "gradient-shap", "hsic", "integrated-gradients", "kernel-shap", "layercam",
        "leave-one-out", "legrad", "lime", "lrp", "occlusion", "random", "raw-attention", "rise", "saliency",
        "scorecam", "smoothgrad", "sobol", "tam", "transformer-attribution", "vit-shapley"})
    public String method;

    private VitModel model;
    private Explainer explainer;
    private List<Sample> samples;
    private int[] targets;
    private int arraysAfterSetup;

    @Setup
    public void setUp() {
        Registry registry = Registry.load();
        model = Fixtures.embeddedModel();
        String[] id = new String[1];
        Parameters parameters = Parameters.parseSpec(method.replace(';', ','), id);
        explainer = registry.explainer(id[0]).create(parameters);
        samples = Fixtures.embeddedSamples(BATCH);
        targets = Fixtures.predictions(model, samples);
        arraysAfterSetup = model.manager().getManagedArrays().size();
    }

    @Benchmark
    @OperationsPerInvocation(BATCH)
    public Heatmaps explain() {
        try (NDManager scope = model.manager().newSubManager()) {
            return explainer.explain(new Context(model, Fixtures.SEED, scope), samples, targets);
        }
    }

    @TearDown
    public void tearDown() {
        Fixtures.checkNoLeak(model.manager(), arraysAfterSetup, method + " on the model's manager");
        model.close();
    }
}
