package org.vitbench.runner.run;

import java.util.ArrayDeque;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CancellationException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.IntConsumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.vitbench.api.ResultRecord;
import org.vitbench.api.Sample;
import org.vitbench.api.VitbenchException;
import org.vitbench.models.GradMode;
import org.vitbench.runner.store.ResultStore;

/**
 * Runs a run's batches on several workers at once and stores their records in batch order, so
 * the result file is the same whatever finished first. Each worker has its own plug-in instances,
 * plug-in call thread and progress lane ({@link Worker}); the models are shared (they are safe for
 * concurrent inference). Results are seeded per sample, so they do not depend on which worker took
 * a batch; only float rounding can differ from a run with other operator threads.
 *
 * <p>Up to two batches per worker are handed out ahead, so a slow batch does not idle the others;
 * a finished batch waits in memory until the batches before it are stored. When a batch fails
 * (or reading the data does), no further batch starts, the batches under way finish and are
 * stored, and the failure ends the run: nothing finished is lost, and a rerun resumes.
 */
final class BatchWorkers implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(BatchWorkers.class);
    private static final AtomicInteger THREADS = new AtomicInteger();

    /**
     * One worker: a batch runner over its own plug-in instances, with its own progress lane.
     *
     * @param run the batch runner
     * @param lane where the worker reports what it does
     */
    record Worker(BatchRun run, ConsoleProgress.Lane lane) {
    }

    private final BlockingQueue<Worker> free;
    private final ExecutorService pool;
    private final ArrayDeque<Future<List<ResultRecord>>> pending = new ArrayDeque<>();
    private final int window;
    private final ResultStore store;
    private final IntConsumer stored;

    /**
     * @param workers the workers, at least one
     * @param store where records go, in batch order
     * @param stored told the number of records of each batch right after they are stored
     */
    BatchWorkers(List<Worker> workers, ResultStore store, IntConsumer stored) {
        this.free = new ArrayBlockingQueue<>(workers.size(), false, workers);
        this.window = 2 * workers.size();
        this.store = store;
        this.stored = stored;
        this.pool = Executors.newFixedThreadPool(workers.size(), r -> {
            Thread t = new Thread(() -> {
                GradMode.offInThisThread();
                r.run();
            }, "vitbench-worker-" + THREADS.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
    }

    /**
     * Hands {@code batch} to the next free worker; first stores the oldest batches while more than
     * two per worker are under way.
     *
     * @param label the samples, as progress shows them (e.g. {@code samples 17-32 of 100})
     */
    void submit(List<Sample> batch, String label) {
        while (pending.size() >= window) {
            storeOldest();
        }
        pending.add(pool.submit(() -> {
            Worker w = free.take();
            try {
                w.lane().samples(label);
                return w.run().run(batch);
            } finally {
                w.lane().idle();
                free.add(w);
            }
        }));
    }

    /** Waits for every batch handed out and stores their records, in order. */
    void finish() {
        while (!pending.isEmpty()) {
            storeOldest();
        }
    }

    private void storeOldest() {
        Future<List<ResultRecord>> oldest = pending.poll();
        List<ResultRecord> records;
        try {
            records = oldest.get();
        } catch (ExecutionException e) {
            Throwable cause = e.getCause() == null ? e : e.getCause();
            storeUnderWay(cause);
            throw rethrown(cause);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            pending.forEach(f -> f.cancel(true));
            throw new VitbenchException("interrupted while waiting for a batch", e);
        }
        store.append(records);
        stored.accept(records.size());
    }

    /**
     * After a failure: the batches not yet started are dropped, those under way finish and their
     * records are stored (a later failure is logged; the first, if any, ends the run).
     */
    private void storeUnderWay(Throwable first) {
        pending.forEach(f -> f.cancel(false));
        while (!pending.isEmpty()) {
            Future<List<ResultRecord>> f = pending.poll();
            try {
                List<ResultRecord> records = f.get();
                store.append(records);
                stored.accept(records.size());
            } catch (CancellationException e) {
                // never started: a rerun does it
            } catch (ExecutionException e) {
                LOG.warn("another batch failed as well: {}", BatchRun.describe(e.getCause() == null ? e : e.getCause()));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                if (first != null) {
                    first.addSuppressed(e);
                }
                return;
            }
        }
    }

    private static RuntimeException rethrown(Throwable cause) {
        if (cause instanceof RuntimeException r) {
            return r;
        }
        if (cause instanceof Error err) {
            throw err;
        }
        return new VitbenchException("a batch failed: " + BatchRun.describe(cause), cause);
    }

    /** Ends the workers; after a failure outside the batches (the data), stores the batches under way first. */
    @Override
    public void close() {
        storeUnderWay(null);
        pool.shutdownNow();
    }
}
