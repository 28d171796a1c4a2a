package org.vitbench.benchmarks;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
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
import org.vitbench.api.Dataset;
import org.vitbench.api.Image;
import org.vitbench.api.ModelInfo;
import org.vitbench.api.Parameters;
import org.vitbench.api.Registry;
import org.vitbench.api.Removal;
import org.vitbench.api.VitModel;
import org.vitbench.models.masking.MaskedEvaluator;
import org.vitbench.models.masking.MaskedEvaluator.Output;

/**
 * Masked evaluations per second of {@link MaskedEvaluator#evaluate} on one image: the first
 * sample of {@code fashion-mnist-embedded} through the {@code embedded} model, 512 keep-masks per
 * invocation, logits out. This is the inner loop of the perturbation methods and of the
 * Deletion metric.
 *
 * <p>Each mask keeps exactly {@code round(keptFraction * P)} of the {@code P = 49} patches at
 * random positions drawn from a fixed seed, so every run and every removal sees the same masks.
 * With {@code token-drop} the cost grows with the kept count; with {@code attention-mask} it does
 * not. {@link OperationsPerInvocation} is 512, so the score is masks per second.
 *
 * <p>{@code batchSize} is the evaluator's chunk size (masked copies per forward pass), 256 by
 * default; {@code auto} takes {@link MaskedEvaluator#batchSizeFor} with a 512 MiB budget.
 * The evaluator frees each chunk with its sub-manager; the trial fails if arrays leaked.
 *
 * <p>Run: {@code java -jar benchmarks/target/benchmarks.jar MaskedEvaluation -rf json -rff
 * target/jmh-masked.json}; select cells with {@code -p removal=token-drop -p keptFraction=0.5}.
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@State(Scope.Benchmark)
@Fork(value = 1, jvmArgsAppend = {"-Xmx4g", "-Dai.djl.offline=true", "-DOPT_OUT_TRACKING=true"})
@Warmup(iterations = 3, time = 2, timeUnit = TimeUnit.SECONDS)
@Measurement(iterations = 5, time = 2, timeUnit = TimeUnit.SECONDS)
public class MaskedEvaluationBenchmark {

    static {
        Fixtures.configureDjl();
    }

    /** Masks per invocation; must equal the {@link OperationsPerInvocation} value. */
    static final int MASKS = 512;

    /** Budget for {@code batchSize=auto}. */
    static final long AUTO_BUDGET_BYTES = 512L << 20;

    /** The dataset whose first sample is evaluated. */
    static final String DATASET = "fashion-mnist-embedded";

    /** {@link Removal#parse} id: {@code attention-mask} or {@code token-drop}. */
    @Param({"attention-mask", "token-drop"})
    public String removal;

    /** Fraction of patches each mask keeps. */
    @Param({"0.25", "0.5", "1.0"})
    public double keptFraction;

    /** Masked copies per forward pass, or {@code auto} for the 512 MiB estimate. */
    @Param({"256"})
    public String batchSize;

    private VitModel model;
    private NDManager manager;
    private NDArray image;
    private boolean[][] keep;
    private MaskedEvaluator evaluator;
    private int arraysAfterSetup;

    @Setup(Level.Trial)
    public void setUp() {
        if (!(keptFraction >= 0 && keptFraction <= 1)) {
            throw new IllegalArgumentException("keptFraction " + keptFraction + " is outside [0, 1]");
        }
        model = Fixtures.embeddedModel();
        ModelInfo info = model.info();
        Dataset data = Registry.load().dataset(DATASET).open(Parameters.empty());
        Image first = data.get(0).image();
        if (first.channels() != info.channels() || first.height() != info.imageSize()
                || first.width() != info.imageSize()) {
            throw new IllegalStateException("dataset " + DATASET + " gives " + first + " but model " + info.name()
                    + " needs " + info.channels() + " x " + info.imageSize() + " x " + info.imageSize());
        }
        manager = model.manager().newSubManager();
        image = manager.create(first.pixels(), new Shape(1, info.channels(), info.imageSize(), info.imageSize()));
        int p = info.numPatches();
        keep = Fixtures.keepMasks(MASKS, p, (int) Math.round(keptFraction * p), Fixtures.SEED);
        int chunk = "auto".equals(batchSize) ? MaskedEvaluator.batchSizeFor(info, AUTO_BUDGET_BYTES)
                : Integer.parseInt(batchSize);
        evaluator = new MaskedEvaluator(Removal.parse(removal), chunk);
        arraysAfterSetup = manager.getManagedArrays().size();
    }

    @Benchmark
    @OperationsPerInvocation(MASKS)
    public double[][] evaluate() {
        return evaluator.evaluate(model, image, keep, Output.LOGITS); // [512][K]
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        try {
            Fixtures.checkNoLeak(manager, arraysAfterSetup, "the image manager");
        } finally {
            manager.close();
            model.close();
        }
    }
}
