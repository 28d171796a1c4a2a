package org.vitbench.metrics.runtime;

import ai.djl.ndarray.NDManager;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.lang.management.MemoryUsage;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.Set;
import java.util.function.LongSupplier;
import org.vitbench.api.Arguments;
import org.vitbench.api.Category;
import org.vitbench.api.Context;
import org.vitbench.api.Direction;
import org.vitbench.api.Explainer;
import org.vitbench.api.Heatmaps;
import org.vitbench.api.Metric;
import org.vitbench.api.MetricDeclaration;
import org.vitbench.api.MetricInfo;
import org.vitbench.api.MetricResult;
import org.vitbench.api.MetricSpec;
import org.vitbench.api.Parameter;
import org.vitbench.api.Parameters;
import org.vitbench.api.Requirement;
import org.vitbench.api.Sample;
import org.vitbench.api.VitModel;
import org.vitbench.metrics.internal.Inputs;

/**
 * Runtime: the wall-clock seconds per image that the method which produced the heatmaps needs to
 * explain the batch again; lower is better. No paper defines it; the protocol follows the usual
 * benchmarking practice of untimed warm-up calls and the median of repeated timed calls.
 *
 * <p>Preset {@code wall-clock}, for a batch of {@code B} samples:
 * <ul>
 *   <li>{@code warmup} untimed calls (default {@value #DEFAULT_WARMUP}), then {@code repeats}
 *       timed calls (default {@value #DEFAULT_REPEATS}) of
 *       {@code explainer.explain(new Context(explainedModel, runSeed, scope), batch, targets)},
 *       each in its own sub-manager {@code scope} of {@code context.manager()}, created before and
 *       closed after the timed interval;
 *   <li>latency of repeat {@code r} = its call time / {@code B}, in seconds per image;
 *   <li>score = the median latency over the repeats (the mean of the middle two for an even
 *       number). <b>Every sample of the batch gets the batch's score</b>: one call explains the
 *       whole batch, so a per-image time exists only as the batch's average, and it depends on
 *       the batch size (per-call overheads are shared, vectorised work is cheaper per image);
 *   <li>curve: the {@code repeats} latencies in call order, at {@code x = 1 .. repeats}, the same
 *       for every sample; their range is the score's spread.
 * </ul>
 *
 * <p>The method and the model it explained come from {@link Context#explainedBy()} (not
 * {@code context.model()}, which may be a surrogate); without them the metric fails. The call
 * uses the run seed, so a stochastic method draws the noise it drew for the scored heatmaps.
 *
 * <p>Synchronisation: DJL's PyTorch engine queues work asynchronously on a CUDA device, but every
 * method returns its heatmaps as host {@code float} arrays, and that copy waits for all queued
 * work. A timed call therefore ends only when the device has finished, and its time includes the
 * device-to-host copy of the maps. The sub-manager's release after the call is not timed.
 *
 * <p>{@link #measure} returns the same timings with the figures a {@link MetricResult} cannot
 * carry ({@link Measurement}): throughput, the JVM heap peak, the process's resident-memory peak
 * and growth, and the device. Timings are not comparable across machines, thread settings or
 * concurrent load; record the hardware with them. Concurrent measurements in one JVM disturb each
 * other's times and share the heap-peak counters, so run this metric on one thread. Instances are
 * immutable.
 */
public final class RuntimeCost implements Metric {

    /** The stable id. */
    public static final String ID = "runtime";

    /** Median wall-clock latency per image after warm-up. */
    public static final String WALL_CLOCK = "wall-clock";

    /** Untimed calls unless configured. */
    public static final int DEFAULT_WARMUP = 1;

    /** Timed calls unless configured. */
    public static final int DEFAULT_REPEATS = 3;

    /** Upper bound of {@code warmup} and {@code repeats}: a guard against a mistyped value. */
    public static final int MAX_CALLS = 1000;

    private static final MetricInfo INFO = new MetricInfo(ID, "Runtime (seconds per image)", Category.RUNTIME,
            Direction.LOWER_IS_BETTER, Set.of(Requirement.REEXPLAINS), List.of(WALL_CLOCK),
            "no paper: wall-clock latency, median of timed repeats after warm-up");

    private static final Parameter<Integer> WARMUP = Parameter.integer("warmup", DEFAULT_WARMUP, 0, MAX_CALLS,
            "untimed calls before timing");
    private static final Parameter<Integer> REPEATS = Parameter.integer("repeats", DEFAULT_REPEATS, 1, MAX_CALLS,
            "timed calls; the score is their median");

    /** The registration: parameters and factory. */
    public static final MetricDeclaration DECLARATION = MetricDeclaration.of(INFO, List.of(WARMUP, REPEATS),
            arguments -> new RuntimeCost(arguments, System::nanoTime));

    private final Arguments arguments;
    private final int warmup;
    private final int repeats;
    private final LongSupplier nanoTime;

    /**
     * @param warmup untimed calls before timing, 0 to {@value #MAX_CALLS}
     * @param repeats timed calls, 1 to {@value #MAX_CALLS}
     */
    public RuntimeCost(int warmup, int repeats) {
        this(warmup, repeats, System::nanoTime);
    }

    /** The {@code wall-clock} preset with its defaults. */
    public RuntimeCost() {
        this(DECLARATION.resolve(Map.of()), System::nanoTime);
    }

    /** With the clock given in nanoseconds, so that tests can time calls exactly. */
    RuntimeCost(int warmup, int repeats, LongSupplier nanoTime) {
        this(DECLARATION.resolve(Map.of(WARMUP.name(), Integer.toString(warmup), REPEATS.name(),
                Integer.toString(repeats))), nanoTime);
    }

    private RuntimeCost(Arguments arguments, LongSupplier nanoTime) {
        this.arguments = arguments;
        this.warmup = arguments.get(WARMUP);
        this.repeats = arguments.get(REPEATS);
        this.nanoTime = nanoTime;
    }

    /** Creates the metric from {@code preset}, {@code warmup} and {@code repeats}; other keys fail. */
    public static RuntimeCost create(Parameters parameters) {
        return (RuntimeCost) DECLARATION.create(parameters);
    }

    @Override
    public MetricInfo info() {
        return INFO;
    }

    @Override
    public MetricSpec spec() {
        return arguments.metricSpec();
    }

    /** The median latency for every sample, with the per-repeat latencies as curves; see {@link #measure}. */
    @Override
    public MetricResult evaluate(Context context, List<Sample> batch, int[] targets, Heatmaps heatmaps) {
        if (targets.length != batch.size() || heatmaps.batchSize() != batch.size()) {
            throw new IllegalArgumentException(batch.size() + " samples, " + targets.length + " targets and "
                    + heatmaps.batchSize() + " heatmaps; one of each per sample is needed");
        }
        return measure(context, batch, targets).toResult();
    }

    /**
     * Times the method behind {@code context}'s heatmaps on {@code batch}, as {@link #evaluate}
     * does, and returns every figure of the measurement.
     *
     * @param context carries {@link Context#explainedBy()}, the run seed and a scope
     * @param batch at least one sample
     * @param targets {@code [B]} the explained class per sample
     * @throws IllegalStateException when the context does not name the method, or the method
     *     returns a wrong number of maps
     */
    public Measurement measure(Context context, List<Sample> batch, int[] targets) {
        Context.Explained explained = Inputs.explainedBy(context, ID, "times the method");
        if (batch.isEmpty() || targets.length != batch.size()) {
            throw new IllegalArgumentException(ID + " needs at least one sample and one target per sample; got "
                    + batch.size() + " samples and " + targets.length + " targets");
        }
        Explainer explainer = explained.explainer();
        VitModel model = explained.model();
        for (int i = 0; i < warmup; i++) {
            call(context, explainer, model, batch, targets);
        }
        resetHeapPeaks();
        ResidentSet.Sample before = ResidentSet.read();
        long residentMax = before.residentBytes().orElse(0);
        double[] secondsPerImage = new double[repeats];
        for (int r = 0; r < repeats; r++) {
            secondsPerImage[r] = call(context, explainer, model, batch, targets) / 1e9 / batch.size();
            residentMax = Math.max(residentMax, ResidentSet.read().residentBytes().orElse(0));
            context.progress().update(r + 1, repeats);
        }
        OptionalLong heapPeak = heapPeak();
        ResidentSet.Sample after = ResidentSet.read();
        return new Measurement(model.manager().getDevice().toString(), batch.size(), warmup, secondsPerImage,
                heapPeak, residentPeak(before, after, residentMax), before.residentBytes());
    }

    /** Nanoseconds of one call; the scope is opened before and closed after the timed interval. */
    private long call(Context context, Explainer explainer, VitModel model, List<Sample> batch, int[] targets) {
        try (NDManager scope = context.manager().newSubManager()) {
            Context again = new Context(model, context.seed(), scope);
            long start = nanoTime.getAsLong();
            Heatmaps maps = explainer.explain(again, batch, targets);
            long elapsed = nanoTime.getAsLong() - start;
            if (maps.batchSize() != batch.size()) {
                throw new IllegalStateException(explainer.info().id() + " returned " + maps.batchSize()
                        + " heatmaps for " + batch.size() + " samples while " + ID + " timed it");
            }
            return elapsed;
        }
    }

    /**
     * The resident peak of the timed calls: {@code VmHWM} when it rose during them (the process
     * reached a new peak, so that is exact); otherwise the largest {@code VmRSS} read before and
     * after each call, a lower bound, since a short spike below the earlier peak leaves no trace.
     */
    private static OptionalLong residentPeak(ResidentSet.Sample before, ResidentSet.Sample after, long residentMax) {
        if (before.residentBytes().isEmpty()) {
            return OptionalLong.empty();
        }
        if (before.highWaterMarkBytes().isPresent() && after.highWaterMarkBytes().isPresent()
                && after.highWaterMarkBytes().getAsLong() > before.highWaterMarkBytes().getAsLong()) {
            return after.highWaterMarkBytes();
        }
        return OptionalLong.of(residentMax);
    }

    private static void resetHeapPeaks() {
        for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
            if (pool.getType() == MemoryType.HEAP && pool.isValid()) {
                pool.resetPeakUsage();
            }
        }
    }

    /** The sum of the heap pools' peaks since the reset: an upper bound, the pools peak at different times. */
    private static OptionalLong heapPeak() {
        long sum = 0;
        boolean any = false;
        for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
            MemoryUsage peak = pool.getType() == MemoryType.HEAP && pool.isValid() ? pool.getPeakUsage() : null;
            if (peak != null) {
                sum += peak.getUsed();
                any = true;
            }
        }
        return any ? OptionalLong.of(sum) : OptionalLong.empty();
    }

    @Override
    public String toString() {
        return spec().canonical();
    }

    /**
     * Every figure of one measurement, for a runner to log beside the scores.
     *
     * @param device the device of the explained model's manager, as DJL names it ({@code cpu()},
     *     {@code gpu(0)})
     * @param batchSize {@code B}, the images per call
     * @param warmup the untimed calls made first
     * @param secondsPerImage {@code [repeats]} each timed call's seconds divided by {@code B}, in
     *     call order
     * @param heapPeakBytes the JVM heap's peak use during the timed calls: the sum of the heap
     *     pools' peaks after a reset before the first timed call (an upper bound, since the pools
     *     peak at different times; garbage not yet collected counts); empty when the JVM reports
     *     no heap pools
     * @param residentPeakBytes the process's resident-memory peak during the timed calls (native
     *     tensors and touched heap pages; Linux {@code VmHWM} when it rose during them, else the
     *     largest {@code VmRSS} read between calls, a lower bound); empty where
     *     {@code /proc/self/status} is unavailable
     * @param residentBeforeBytes {@code VmRSS} just before the first timed call; empty likewise
     */
    public record Measurement(String device, int batchSize, int warmup, double[] secondsPerImage,
            OptionalLong heapPeakBytes, OptionalLong residentPeakBytes, OptionalLong residentBeforeBytes) {

        public Measurement {
            if (batchSize < 1 || secondsPerImage.length == 0) {
                throw new IllegalArgumentException("a measurement needs a batch and at least one timed call");
            }
            secondsPerImage = secondsPerImage.clone();
        }

        /** The timed calls. */
        public int repeats() {
            return secondsPerImage.length;
        }

        @Override
        public double[] secondsPerImage() {
            return secondsPerImage.clone();
        }

        /** The score: the median seconds per image (the mean of the middle two for an even count). */
        public double median() {
            double[] sorted = secondsPerImage.clone();
            Arrays.sort(sorted);
            int n = sorted.length;
            return n % 2 == 1 ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2;
        }

        /** The fastest repeat's seconds per image. */
        public double min() {
            return Arrays.stream(secondsPerImage).min().orElseThrow();
        }

        /** The slowest repeat's seconds per image. */
        public double max() {
            return Arrays.stream(secondsPerImage).max().orElseThrow();
        }

        /** Images per second at the median latency; infinite if the clock did not advance. */
        public double imagesPerSecond() {
            return 1 / median();
        }

        /** How much the resident set grew from just before the timed calls to their peak. */
        public OptionalLong residentGrowthBytes() {
            return residentPeakBytes.isPresent() && residentBeforeBytes.isPresent()
                    ? OptionalLong.of(Math.max(0, residentPeakBytes.getAsLong() - residentBeforeBytes.getAsLong()))
                    : OptionalLong.empty();
        }

        /** The median for every one of the batch's samples, the latencies as each sample's curve. */
        public MetricResult toResult() {
            double[] scores = new double[batchSize];
            Arrays.fill(scores, median());
            double[][] curves = new double[batchSize][];
            for (int b = 0; b < batchSize; b++) {
                curves[b] = secondsPerImage.clone();
            }
            double[] x = new double[secondsPerImage.length];
            for (int r = 0; r < x.length; r++) {
                x[r] = r + 1;
            }
            return new MetricResult(scores, curves, x);
        }

        /** One line for a log, e.g. {@code cpu(): median 0.0123 s/image (0.0120 .. 0.0131), ...}. */
        public String summary() {
            return String.format(java.util.Locale.ROOT, "%s: median %.4g s/image (%.4g .. %.4g over %d repeats, "
                    + "%d warm-up, batch %d), %.4g images/s, heap peak %s, resident peak %s (+%s)", device, median(),
                    min(), max(), repeats(), warmup, batchSize, imagesPerSecond(), bytes(heapPeakBytes),
                    bytes(residentPeakBytes), bytes(residentGrowthBytes()));
        }

        private static String bytes(OptionalLong value) {
            return value.isPresent() ? String.format(java.util.Locale.ROOT, "%.1f MiB",
                    value.getAsLong() / (1024.0 * 1024.0)) : "unavailable";
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof Measurement m && device.equals(m.device) && batchSize == m.batchSize
                    && warmup == m.warmup && Arrays.equals(secondsPerImage, m.secondsPerImage)
                    && heapPeakBytes.equals(m.heapPeakBytes) && residentPeakBytes.equals(m.residentPeakBytes)
                    && residentBeforeBytes.equals(m.residentBeforeBytes);
        }

        @Override
        public int hashCode() {
            return 31 * device.hashCode() + Arrays.hashCode(secondsPerImage);
        }

        @Override
        public String toString() {
            return "Measurement[" + summary() + "]";
        }
    }
}
