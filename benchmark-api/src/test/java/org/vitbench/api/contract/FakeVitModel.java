package org.vitbench.api.contract;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;
import java.util.stream.IntStream;
import org.vitbench.api.ForwardTrace;
import org.vitbench.api.Image;
import org.vitbench.api.ModelInfo;
import org.vitbench.api.Preprocessing;
import org.vitbench.api.Removal;
import org.vitbench.api.Sample;
import org.vitbench.api.TraceOptions;
import org.vitbench.api.VitModel;

/**
 * A {@link VitModel} test double whose outputs are given by hand, for oracle tests of methods and
 * metrics: logits are a function of (image, keep-mask) and attention probabilities a function of
 * (image, block). Every result is created on the manager of the input array, as the SPI requires.
 *
 * <p>The removal strategy is recorded but does not change the logits: the function decides what a
 * held-out patch means. {@link #trace} supports logits and attention only; asking it for token
 * states, gradient taps or per-block readouts fails, since the fake has no tokens.
 *
 * <p>Thread-safe if the given functions are; the call counters are atomic.
 */
public final class FakeVitModel implements VitModel {

    /** Logits of one image with some patches held out. */
    @FunctionalInterface
    public interface MaskedLogits {

        /**
         * @param image the image's pixels, {@code C * S * S} channel-major in [0, 1]
         * @param keep {@code [P]}, 1 where the patch is kept and 0 where it is held out
         * @return {@code [K]} logits
         */
        float[] logits(float[] image, float[] keep);
    }

    /** Attention probabilities of one block for one image. */
    @FunctionalInterface
    public interface AttentionSource {

        /**
         * @param image the image's pixels, {@code C * S * S} channel-major in [0, 1]
         * @param block block index, 0 .. depth-1
         * @return {@code [H][N][N]}, rows are queries; token 0 is CLS
         */
        float[][][] attention(float[] image, int block);

        /** The same matrices for every image: {@code perBlock[l]} is {@code [H][N][N]}. */
        static AttentionSource fixed(float[][][][] perBlock) {
            float[][][][] copy = Arrays.stream(perBlock)
                    .map(h -> Arrays.stream(h).map(m -> Arrays.stream(m).map(float[]::clone)
                            .toArray(float[][]::new)).toArray(float[][][]::new))
                    .toArray(float[][][][]::new);
            return (image, block) -> copy[block];
        }
    }

    private final ModelInfo info;
    private final MaskedLogits logits;
    private final AttentionSource attention;
    private final NDManager manager;
    private final AtomicLong evaluations = new AtomicLong();
    private final AtomicInteger largestBatch = new AtomicInteger();
    private volatile Removal lastRemoval;

    /**
     * @param info architecture and classes; {@code depth} and {@code heads} shape the attention
     * @param logits the logits of an image with a keep-mask
     * @param attention per-block attention, or {@code null} when {@link #trace} needs none
     */
    public FakeVitModel(ModelInfo info, MaskedLogits logits, AttentionSource attention) {
        this.info = info;
        this.logits = logits;
        this.attention = attention;
        this.manager = NDManager.newBaseManager();
    }

    /** A fake whose logits depend on the keep-mask only ({@code [P] -> [K]}). */
    public static FakeVitModel of(ModelInfo info, Function<float[], float[]> keepToLogits) {
        return new FakeVitModel(info, (image, keep) -> keepToLogits.apply(keep), null);
    }

    /**
     * A fake with fixed attention matrices, {@code perBlock[l]} of shape {@code [H][N][N]}, and
     * logits that depend on the keep-mask only.
     */
    public static FakeVitModel of(ModelInfo info, Function<float[], float[]> keepToLogits,
            float[][][][] perBlock) {
        if (perBlock.length != info.depth()) {
            throw new IllegalArgumentException(
                    perBlock.length + " attention blocks given, model depth is " + info.depth());
        }
        return new FakeVitModel(info, (image, keep) -> keepToLogits.apply(keep), AttentionSource.fixed(perBlock));
    }

    /**
     * Model info for a fake with one channel, {@code grid x grid} patches of {@code patchSize}
     * pixels, identity preprocessing and classes named {@code c0, c1, ...}.
     */
    public static ModelInfo info(int grid, int patchSize, int depth, int heads, int classes) {
        List<String> names = IntStream.range(0, classes).mapToObj(k -> "c" + k).toList();
        return new ModelInfo("fake-vit", 1, grid * patchSize, patchSize, depth, heads, 8, names,
                new Preprocessing(new float[] {0f}, new float[] {1f}, "bilinear"));
    }

    /** {@code count} samples with uniform random pixels, ids {@code s0, s1, ...}. */
    public static List<Sample> randomSamples(ModelInfo info, int count, long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        List<Sample> samples = new ArrayList<>();
        int s = info.imageSize();
        for (int i = 0; i < count; i++) {
            float[] pixels = new float[info.channels() * s * s];
            for (int j = 0; j < pixels.length; j++) {
                pixels[j] = (float) random.nextDouble();
            }
            samples.add(new Sample("s" + i, -1, new Image(info.channels(), s, s, pixels)));
        }
        return List.copyOf(samples);
    }

    /** Mean pixel value of each patch, {@code [P]} row-major, averaged over channels. */
    public static float[] patchMeans(ModelInfo info, float[] image) {
        int s = info.imageSize();
        int p = info.patchSize();
        int grid = info.grid();
        float[] means = new float[info.numPatches()];
        for (int c = 0; c < info.channels(); c++) {
            for (int y = 0; y < s; y++) {
                for (int x = 0; x < s; x++) {
                    means[(y / p) * grid + x / p] += image[c * s * s + y * s + x];
                }
            }
        }
        float n = info.channels() * p * p;
        for (int i = 0; i < means.length; i++) {
            means[i] /= n;
        }
        return means;
    }

    @Override
    public ModelInfo info() {
        return info;
    }

    @Override
    public NDManager manager() {
        return manager;
    }

    @Override
    public NDArray logits(NDArray images) {
        int b = batchSize(images);
        float[] ones = new float[info.numPatches()];
        Arrays.fill(ones, 1f);
        return evaluate(images, new float[b][], ones);
    }

    @Override
    public NDArray logits(NDArray images, NDArray keep, Removal removal) {
        int b = batchSize(images);
        int p = info.numPatches();
        if (!keep.getShape().equals(new Shape(b, p))) {
            throw new IllegalArgumentException("keep is " + keep.getShape() + ", expected (" + b + ", " + p + ")");
        }
        lastRemoval = removal;
        evaluations.addAndGet(b);
        largestBatch.accumulateAndGet(b, Math::max);
        NDArray asFloat = keep.toType(DataType.FLOAT32, false);
        float[] flat = asFloat.toFloatArray();
        if (asFloat != keep) {
            asFloat.close();
        }
        float[][] masks = new float[b][p];
        for (int i = 0; i < b; i++) {
            for (int j = 0; j < p; j++) {
                masks[i][j] = flat[i * p + j] != 0f ? 1f : 0f;
            }
        }
        return evaluate(images, masks, null);
    }

    @Override
    public ForwardTrace trace(NDArray images, TraceOptions options) {
        if (options.tokens() || options.attentionGradTaps() || options.norm1GradTaps() || options.inputGradient()
                || options.readout() != TraceOptions.Readout.NONE) {
            throw new UnsupportedOperationException(
                    "FakeVitModel traces logits and attention only, not tokens, gradient taps or readouts: "
                            + options);
        }
        NDManager target = images.getManager();
        List<NDArray> maps = new ArrayList<>();
        if (options.attention()) {
            if (attention == null) {
                throw new UnsupportedOperationException("this FakeVitModel was built without attention");
            }
            int b = batchSize(images);
            int h = info.heads();
            int n = info.numTokens();
            float[] pixels = images.toFloatArray();
            int size = pixels.length / b;
            for (int l = 0; l < info.depth(); l++) {
                float[] data = new float[b * h * n * n];
                for (int i = 0; i < b; i++) {
                    float[][][] a = attention.attention(Arrays.copyOfRange(pixels, i * size, (i + 1) * size), l);
                    checkAttention(a, l, h, n);
                    for (int head = 0; head < h; head++) {
                        for (int q = 0; q < n; q++) {
                            System.arraycopy(a[head][q], 0, data, ((i * h + head) * n + q) * n, n);
                        }
                    }
                }
                maps.add(target.create(data, new Shape(b, h, n, n)));
            }
        }
        return new ForwardTrace(images, List.of(), List.of(), maps, List.of(), List.of(), logits(images), List.of());
    }

    /** Number of masked image evaluations so far (rows of all {@code keep} arrays). */
    public long evaluations() {
        return evaluations.get();
    }

    /** The largest batch passed to {@link #logits(NDArray, NDArray, Removal)} so far. */
    public int largestBatch() {
        return largestBatch.get();
    }

    /** The removal of the latest masked evaluation, or {@code null} before the first. */
    public Removal lastRemoval() {
        return lastRemoval;
    }

    @Override
    public void close() {
        manager.close();
    }

    private NDArray evaluate(NDArray images, float[][] masks, float[] sharedMask) {
        int b = masks.length;
        int k = info.numClasses();
        float[] pixels = images.toFloatArray();
        int size = pixels.length / b;
        float[] out = new float[b * k];
        for (int i = 0; i < b; i++) {
            float[] row = logits.logits(Arrays.copyOfRange(pixels, i * size, (i + 1) * size),
                    sharedMask != null ? sharedMask.clone() : masks[i]);
            if (row.length != k) {
                throw new IllegalArgumentException("logits function returned " + row.length
                        + " values, model has " + k + " classes");
            }
            System.arraycopy(row, 0, out, i * k, k);
        }
        return images.getManager().create(out, new Shape(b, k));
    }

    private int batchSize(NDArray images) {
        Shape expected = new Shape(images.getShape().get(0), info.channels(), info.imageSize(), info.imageSize());
        if (!images.getShape().equals(expected) || images.getDataType() != DataType.FLOAT32) {
            throw new IllegalArgumentException("images are " + images.getShape() + " " + images.getDataType()
                    + ", expected float32 " + expected);
        }
        return (int) images.getShape().get(0);
    }

    private static void checkAttention(float[][][] a, int block, int heads, int tokens) {
        if (a.length != heads) {
            throw new IllegalArgumentException("block " + block + ": " + a.length + " heads, expected " + heads);
        }
        for (float[][] m : a) {
            if (m.length != tokens || Arrays.stream(m).anyMatch(r -> r.length != tokens)) {
                throw new IllegalArgumentException(
                        "block " + block + ": attention must be " + tokens + "x" + tokens + " per head");
            }
        }
    }
}
