package org.vitbench.benchmarks;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.AuxCounters;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
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
 * Masked evaluations of {@link MaskedEvaluator#evaluate} on one image, {@code masks} keep-masks
 * per invocation, logits out. This is the inner loop of the perturbation methods and of the
 * Deletion metric.
 *
 * <p>The image is the first sample of {@code fashion-mnist-embedded} for the {@code embedded}
 * model, and a seeded random image {@code [1, 3, 224, 224]} in [0, 1) for a random-weight timm ViT
 * ({@link Fixtures#model}). Each mask keeps exactly {@code round(keptFraction * P)} of the model's
 * {@code P} patches (49 for {@code embedded}, 196 at 224 px with patch 16) at random positions drawn
 * from a fixed seed, so every run and every removal sees the same masks. With {@code token-drop}
 * the cost grows with the kept count; with {@code attention-mask} it does not.
 *
 * <p>Scores: {@code masks} is a parameter (smaller for big models: 512 masks of ViT-B/16 take
 * minutes), and JMH's {@code @OperationsPerInvocation} must be a constant, so one operation is one
 * invocation and the primary score is <em>invocations</em> per second, each of {@code masks}
 * masks. The secondary result {@code evaluate:masks}, an {@link AuxCounters} counter with its own
 * error, is <em>masks per second</em> ({@code score * masks}): quote that one.
 *
 * <p>{@code batchSize} is the evaluator's chunk size (masked copies per forward pass), 256 by
 * default; {@code auto} takes {@link MaskedEvaluator#batchSizeFor} with a 512 MiB budget. At
 * 224 px use {@code -p batchSize=16}: a chunk's activations stay alive until it ends (about 210 MB
 * per copy for ViT-B/16), and {@link Fixtures#checkActivationMemory} refuses chunks that would not
 * fit. The evaluator frees each chunk with its sub-manager; the trial fails if arrays leaked.
 *
 * <p>Run: {@code java -jar benchmarks/target/benchmarks.jar MaskedEvaluation -p model=embedded -rf
 * json -rff target/jmh-masked.json}; select cells with {@code -p removal=token-drop -p
 * keptFraction=0.5}; a 224 px model with {@code -p model=vit_tiny_patch16_224 -p batchSize=16 -p
 * masks=64}.
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

    /** Budget for {@code batchSize=auto}. */
    static final long AUTO_BUDGET_BYTES = 512L << 20;

    /** The dataset whose first sample is evaluated with the {@code embedded} model. */
    static final String DATASET = "fashion-mnist-embedded";

    /**
     * {@value Fixtures#EMBEDDED} or a timm architecture name ({@link Fixtures#model}): random
     * weights, 1000 classes, 224 px input for these three.
     */
    @Param({Fixtures.EMBEDDED}) // -p model=vit_tiny_patch16_224 (or small, base) for the 224-pixel shapes
    public String model;

    /** {@link Removal#parse} id: {@code attention-mask} or {@code token-drop}. */
    @Param({"attention-mask", "token-drop"})
    public String removal;

    /** Fraction of patches each mask keeps (with {@code sizes=fixed}). */
    @Param({"0.25", "0.5", "1.0"})
    public double keptFraction;

    /**
     * {@code fixed}: every mask keeps {@code keptFraction} of the patches; {@code shapley-kernel}
     * or {@code uniform}: kept counts vary per mask as KernelSHAP's coalitions or a deletion
     * curve's steps do ({@link Fixtures#mixedKeepMasks}; {@code keptFraction} is then ignored, so
     * run it with one value of it).
     */
    @Param({"fixed"})
    public String sizes;

    /** Masked copies per forward pass, or {@code auto} for the 512 MiB estimate. */
    @Param({"256"})
    public String batchSize;

    /** Keep-masks evaluated per invocation; a multiple of {@code batchSize} keeps every chunk full. */
    @Param({"512"})
    public int masks;

    private VitModel vit;
    private NDManager manager;
    private NDArray image;
    private boolean[][] keep;
    private MaskedEvaluator evaluator;
    private int arraysAfterSetup;

    /** Counts masks, so JMH reports masks per second next to invocations per second. */
    @State(Scope.Thread)
    @AuxCounters(AuxCounters.Type.OPERATIONS)
    public static class Masks {
        /** Masks evaluated in the current iteration. */
        public long masks;

        @Setup(Level.Iteration)
        public void reset() {
            masks = 0;
        }
    }

    @Setup(Level.Trial)
    public void setUp() {
        if (!(keptFraction >= 0 && keptFraction <= 1)) {
            throw new IllegalArgumentException("keptFraction " + keptFraction + " is outside [0, 1]");
        }
        if (masks < 1) {
            throw new IllegalArgumentException("masks must be at least 1, got " + masks);
        }
        vit = Fixtures.model(model);
        try {
            ModelInfo info = vit.info();
            int chunk = "auto".equals(batchSize) ? MaskedEvaluator.batchSizeFor(info, AUTO_BUDGET_BYTES)
                    : parseChunk(batchSize);
            Fixtures.checkActivationMemory(info, Math.min(chunk, masks), "batchSize");
            manager = vit.manager().newSubManager();
            image = Fixtures.EMBEDDED.equals(model) ? firstSample(info)
                    : Fixtures.randomImages(manager, info, 1, Fixtures.SEED); // [1, C, S, S]
            int p = info.numPatches();
            keep = "fixed".equals(sizes) ? Fixtures.keepMasks(masks, p, (int) Math.round(keptFraction * p), Fixtures.SEED)
                    : Fixtures.mixedKeepMasks(masks, p, sizes, Fixtures.SEED);
            evaluator = new MaskedEvaluator(Removal.parse(removal), chunk);
            arraysAfterSetup = manager.getManagedArrays().size();
        } catch (RuntimeException e) {
            if (manager != null) {
                manager.close();
            }
            vit.close();
            throw e;
        }
    }

    /** The first sample of {@value #DATASET} as {@code [1, C, S, S]} on the trial manager. */
    private NDArray firstSample(ModelInfo info) {
        Dataset data = Registry.load().dataset(DATASET).open(Parameters.empty());
        Image first = data.get(0).image();
        if (first.channels() != info.channels() || first.height() != info.imageSize()
                || first.width() != info.imageSize()) {
            throw new IllegalStateException("dataset " + DATASET + " gives " + first + " but model " + info.name()
                    + " needs " + info.channels() + " x " + info.imageSize() + " x " + info.imageSize());
        }
        return manager.create(first.pixels(), new Shape(1, info.channels(), info.imageSize(), info.imageSize()));
    }

    private static int parseChunk(String value) {
        try {
            return Integer.parseInt(value);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("batchSize must be a whole number or 'auto', got '" + value + "'", e);
        }
    }

    @Benchmark
    public double[][] evaluate(Masks counter) {
        double[][] logits = evaluator.evaluate(vit, image, keep, Output.LOGITS); // [masks][K]
        counter.masks += keep.length;
        return logits;
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        try {
            Fixtures.checkNoLeak(manager, arraysAfterSetup, "the image manager");
        } finally {
            manager.close();
            vit.close();
        }
    }
}
