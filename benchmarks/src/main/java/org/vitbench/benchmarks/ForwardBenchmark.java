package org.vitbench.benchmarks;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
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
import org.vitbench.api.VitModel;

/**
 * Throughput of a model's full forward pass, {@link VitModel#logits(NDArray)} on a batch of
 * {@code batchSize} seeded random images {@code [B, C, S, S]} in [0, 1): the {@code embedded}
 * model ({@code [B, 1, 28, 28]}) or a random-weight timm ViT ({@code [B, 3, 224, 224]},
 * {@link Fixtures#model}).
 *
 * <p>One operation is one batch, so the primary score is batches per second; the secondary result
 * {@code forward:images} is images per second ({@code score * batchSize}), reported by an
 * {@link AuxCounters} counter with its own error. The images are created once per trial; each
 * invocation attaches them to a fresh sub-manager, so every intermediate and the logits are freed
 * when it closes, and the trial fails if any array leaked. The logits are copied to the Java heap
 * and returned, so the pass cannot be elided.
 *
 * <p>Run: {@code java -jar benchmarks/target/benchmarks.jar Forward -p model=embedded} (add {@code -p batchSize=64}
 * for one batch size, {@code -rf json -rff target/jmh-forward.json} for a machine-readable result).
 * At 224 px use {@code -p model=vit_base_patch16_224 -p batchSize=1,16,64}: a batch of 256 needs
 * tens of GB for activations and is refused by {@link Fixtures#checkActivationMemory}.
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@State(Scope.Benchmark)
@Fork(value = 1, jvmArgsAppend = {"-Xmx4g", "-Dai.djl.offline=true", "-DOPT_OUT_TRACKING=true"})
@Warmup(iterations = 3, time = 2, timeUnit = TimeUnit.SECONDS)
@Measurement(iterations = 5, time = 2, timeUnit = TimeUnit.SECONDS)
public class ForwardBenchmark {

    static {
        Fixtures.configureDjl();
    }

    /**
     * {@value Fixtures#EMBEDDED} or a timm architecture name ({@link Fixtures#model}): random
     * weights, 1000 classes, 224 px input for these three.
     */
    @Param({Fixtures.EMBEDDED}) // -p model=vit_tiny_patch16_224 (or small, base) for the 224-pixel shapes
    public String model;

    /** Images per forward pass. */
    @Param({"1", "16", "64", "256"})
    public int batchSize;

    private VitModel vit;
    private NDManager manager;
    private NDArray images;
    private int arraysAfterSetup;

    /** Counts images, so JMH reports images per second next to batches per second. */
    @State(Scope.Thread)
    @AuxCounters(AuxCounters.Type.OPERATIONS)
    public static class Images {
        /** Images passed forward in the current iteration. */
        public long images;

        @Setup(Level.Iteration)
        public void reset() {
            images = 0;
        }
    }

    @Setup(Level.Trial)
    public void setUp() {
        vit = Fixtures.model(model);
        try {
            Fixtures.checkActivationMemory(vit.info(), batchSize, "batchSize");
        } catch (RuntimeException e) {
            vit.close();
            throw e;
        }
        // On the model's manager, so the images are on its device.
        manager = vit.manager().newSubManager();
        images = Fixtures.randomImages(manager, vit.info(), batchSize, Fixtures.SEED); // [B, C, S, S]
        arraysAfterSetup = manager.getManagedArrays().size();
    }

    @Benchmark
    public float[] forward(Images counter) {
        float[] logits;
        try (NDManager invocation = manager.newSubManager()) {
            // The model creates its intermediates on the input's manager; attached here, they die
            // with the sub-manager and the images return to the trial manager.
            images.tempAttach(invocation);
            logits = vit.logits(images).toFloatArray(); // [B, K]
        }
        counter.images += batchSize;
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
