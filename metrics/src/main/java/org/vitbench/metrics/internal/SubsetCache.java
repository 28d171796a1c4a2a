package org.vitbench.metrics.internal;

import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.FutureTask;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;
import org.vitbench.api.Image;
import org.vitbench.api.Sample;
import org.vitbench.api.VitModel;

/**
 * Model outputs on a sample's random patch subsets, computed once per metric instance and shared
 * by every method the instance scores. Subset metrics (sensitivity-n, ViT Shapley's faithfulness)
 * draw their subsets from {@code Seeds.of(runSeed, sampleId, metricId)} alone, so the model's
 * outputs on them do not depend on the heatmap; only the attribution sums do. The runner scores
 * every method of a batch with the same metric instance, so caching the outputs turns
 * {@code methods x subsets} forward passes per sample into {@code subsets}.
 *
 * <p>An entry is keyed by the model (by identity, so two models with one name never share), the
 * sample id, a 64-bit fingerprint of the image's pixels (so that two datasets reusing an id never
 * share), the target class and the run seed. Everything else that changes the outputs (removal,
 * subset counts, output type) is fixed per metric instance, that is by its spec. The cache holds
 * at most {@code capacity} entries and forgets the oldest first; an entry is a few thousand
 * doubles.
 *
 * <p>Thread-safe: the first caller of a key computes it (in its own thread, with its own native
 * scope) while later callers of that key wait for the result; different keys compute in
 * parallel. A computation that throws is forgotten, so the next caller retries, and its exception
 * reaches every waiting caller.
 */
public final class SubsetCache {

    /** Entries kept unless configured: a few batches' worth of samples. */
    public static final int DEFAULT_CAPACITY = 1024;

    private final int capacity;
    private final ConcurrentHashMap<Key, FutureTask<double[]>> entries = new ConcurrentHashMap<>();
    private final ConcurrentLinkedQueue<Key> insertionOrder = new ConcurrentLinkedQueue<>();
    private final AtomicLong computations = new AtomicLong();

    /** @param capacity entries kept, at least 1 */
    public SubsetCache(int capacity) {
        if (capacity < 1) {
            throw new IllegalArgumentException("cache capacity must be at least 1, got " + capacity);
        }
        this.capacity = capacity;
    }

    public SubsetCache() {
        this(DEFAULT_CAPACITY);
    }

    /**
     * The cached outputs of {@code (model, sample, target, seed)}, computed by {@code compute} if
     * absent.
     *
     * @return a fresh copy, so callers may modify it
     */
    public double[] get(VitModel model, Sample sample, int target, long seed, Supplier<double[]> compute) {
        Key key = new Key(model, sample.id(), fingerprint(sample.image()), target, seed);
        FutureTask<double[]> task = new FutureTask<>(() -> {
            computations.incrementAndGet();
            return Objects.requireNonNull(compute.get(), "subset outputs");
        });
        FutureTask<double[]> existing = entries.putIfAbsent(key, task);
        if (existing == null) {
            existing = task;
            insertionOrder.add(key);
            task.run();
            evict();
        }
        try {
            return existing.get().clone();
        } catch (ExecutionException e) {
            entries.remove(key, existing);
            Throwable cause = e.getCause();
            if (cause instanceof RuntimeException r) {
                throw r;
            }
            if (cause instanceof Error err) {
                throw err;
            }
            throw new IllegalStateException("subset evaluation of sample " + sample.id() + " failed", cause);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for the subset outputs of sample "
                    + sample.id(), e);
        }
    }

    /** How many entries were computed (not served from the cache) so far. */
    public long computations() {
        return computations.get();
    }

    private void evict() {
        while (entries.size() > capacity) {
            Key oldest = insertionOrder.poll();
            if (oldest == null) {
                return;
            }
            entries.remove(oldest);
        }
    }

    /** FNV-1a over the pixel bits and the shape, 64 bits. */
    static long fingerprint(Image image) {
        long h = 0xcbf29ce484222325L;
        h = (h ^ image.channels()) * 0x100000001b3L;
        h = (h ^ image.height()) * 0x100000001b3L;
        h = (h ^ image.width()) * 0x100000001b3L;
        for (float v : image.pixels()) {
            h = (h ^ Float.floatToIntBits(v)) * 0x100000001b3L;
        }
        return h;
    }

    /** Compares the model by identity: two model instances never share outputs. */
    private record Key(VitModel model, String sampleId, long pixels, int target, long seed) {

        @Override
        public boolean equals(Object o) {
            return o instanceof Key k && model == k.model && pixels == k.pixels && target == k.target
                    && seed == k.seed && sampleId.equals(k.sampleId);
        }

        @Override
        public int hashCode() {
            return Objects.hash(System.identityHashCode(model), sampleId, pixels, target, seed);
        }
    }
}
