package org.vitbench.runner.run;

import java.time.Duration;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.concurrent.CancellationException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.vitbench.api.ConfigurationException;
import org.vitbench.api.VitbenchException;
import org.vitbench.models.GradMode;

/**
 * Runs plug-in code (a method's explain call, a metric's evaluate call) so that nothing it does
 * ends or hangs the run: any {@link Throwable} it throws, errors included, and any call that
 * outlives the time limit become a {@link Outcome#failure() failure} for the caller to record
 * as failed cells. Calls run one at a time on a worker thread; the caller waits.
 *
 * <p>A call over its limit is interrupted; code that ignores the interrupt cannot be stopped in
 * Java, so its thread is abandoned (it keeps what it holds) and later calls get a new one. An
 * interrupt flag a plug-in sets is cleared after its call. The one throwable that is not a failed
 * cell is an out-of-memory of the whole heap, which the run cannot survive: it becomes a
 * {@link HeapExhausted} that ends the run after the records so far are stored.
 */
public final class PluginCalls implements AutoCloseable {

    /**
     * The time limit per sample when none is configured: generous, so that the slow sampling
     * methods at ViT-B/16 size fit (Sobol takes minutes per image there); it catches hangs, not
     * slowness.
     */
    public static final String DEFAULT_LIMIT_TEXT = "2h";

    public static final Duration DEFAULT_LIMIT = parseLimit(DEFAULT_LIMIT_TEXT, "the default time limit");

    /** How long an interrupted call has to return before its thread is abandoned. */
    private static final Duration GRACE = Duration.ofSeconds(10);

    /** Heap in use after a collection, as a share of the maximum, that counts as exhausted. */
    private static final double EXHAUSTED = 0.9;

    private static final Logger LOG = LoggerFactory.getLogger(PluginCalls.class);
    private static final AtomicInteger THREADS = new AtomicInteger();

    private final Duration limitPerSample;
    private final BooleanSupplier heapExhausted;
    private ExecutorService worker;
    private int abandoned;

    /** @param limitPerSample the time a call may take per sample it covers */
    PluginCalls(Duration limitPerSample) {
        this(limitPerSample, PluginCalls::heapExhausted);
    }

    /** @param heapExhausted whether the heap is still full after an out-of-memory error (a test seam) */
    PluginCalls(Duration limitPerSample, BooleanSupplier heapExhausted) {
        if (limitPerSample.isNegative() || limitPerSample.isZero()) {
            throw new ConfigurationException("the time limit must be positive, got " + format(limitPerSample));
        }
        this.limitPerSample = limitPerSample;
        this.heapExhausted = heapExhausted;
        this.worker = newWorker();
    }

    /**
     * The result of one call: its value, or why it failed.
     *
     * @param value what the call returned, null when it failed
     * @param failure the failure, as a failed cell shows it; null when the call returned
     */
    record Outcome<T>(T value, String failure) {

        boolean failed() {
            return failure != null;
        }
    }

    /** The heap ran out for the whole JVM: the run ends, with the records stored so far kept. */
    static final class HeapExhausted extends VitbenchException {

        HeapExhausted(String what, OutOfMemoryError cause) {
            super("the Java heap is exhausted (" + what + " ran out of memory: " + cause.getMessage() + "); the records "
                    + "of finished batches are stored. Give the JVM more heap (VITBENCH_JAVA_OPTS=-Xmx...) or "
                    + "lower --batch-size, then rerun the same command to resume", cause);
        }
    }

    /**
     * Runs {@code body}, which covers {@code samples} samples, under the limit.
     *
     * @param what the plug-in and call, for messages (e.g. {@code "lime explaining 4 samples"})
     * @throws HeapExhausted when the body ran the whole heap out of memory
     */
    <T> Outcome<T> call(String what, int samples, Callable<T> body) {
        Duration limit = limitPerSample.multipliedBy(Math.max(1, samples));
        Future<T> future = worker.submit(() -> {
            try {
                return body.call();
            } finally {
                // a plug-in's interrupt flag must not reach the next call
                Thread.interrupted();
            }
        });
        try {
            return new Outcome<>(future.get(limit.toNanos(), TimeUnit.NANOSECONDS), null);
        } catch (ExecutionException e) {
            Throwable cause = e.getCause() == null ? e : e.getCause();
            if (cause instanceof OutOfMemoryError oom && heapExhausted.getAsBoolean()) {
                throw new HeapExhausted(what, oom);
            }
            return new Outcome<>(null, BatchRun.describe(cause));
        } catch (TimeoutException e) {
            return new Outcome<>(null, timedOut(what, future, limit, samples));
        } catch (InterruptedException e) {
            future.cancel(true);
            Thread.currentThread().interrupt();
            throw new VitbenchException("interrupted while " + what, e);
        } catch (CancellationException e) {
            return new Outcome<>(null, "cancelled");
        }
    }

    private String timedOut(String what, Future<?> future, Duration limit, int samples) {
        future.cancel(true);
        String reason = "timed out after " + format(limit) + " (limit " + format(limitPerSample) + " per sample x "
                + samples + "; raise it with --timeout)";
        worker.shutdown();
        boolean stopped;
        try {
            stopped = worker.awaitTermination(GRACE.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            stopped = false;
        }
        worker = newWorker();
        if (!stopped) {
            abandoned++;
            LOG.warn("{} ignored its interrupt and keeps running; its thread is abandoned with the memory it holds "
                    + "({} abandoned so far)", what, abandoned);
            reason += "; its thread did not stop";
        }
        LOG.warn("{}: {}", what, reason);
        return reason;
    }

    /** Whether the heap is still nearly full after a collection: the run, not one call, is out of memory. */
    private static boolean heapExhausted() {
        System.gc();
        Runtime rt = Runtime.getRuntime();
        long used = rt.totalMemory() - rt.freeMemory();
        return used > EXHAUSTED * rt.maxMemory();
    }

    private static ExecutorService newWorker() {
        return Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(() -> {
                GradMode.offInThisThread();
                r.run();
            }, "vitbench-plugin-" + THREADS.incrementAndGet());
            // an abandoned call must not keep the JVM alive after the run
            t.setDaemon(true);
            return t;
        });
    }

    /** Parses a time limit: a number with unit s, m, h or d ({@code 90s}, {@code 30m}, {@code 2h}). */
    public static Duration parseLimit(String text, String where) {
        String t = text.trim().toLowerCase(Locale.ROOT);
        if (t.length() >= 2) {
            try {
                long n = Long.parseLong(t.substring(0, t.length() - 1));
                if (n > 0) {
                    switch (t.charAt(t.length() - 1)) {
                        case 's':
                            return Duration.ofSeconds(n);
                        case 'm':
                            return Duration.ofMinutes(n);
                        case 'h':
                            return Duration.ofHours(n);
                        case 'd':
                            return Duration.ofDays(n);
                        default:
                            break;
                    }
                }
            } catch (NumberFormatException | ArithmeticException e) {
                // falls through to the message
            }
        }
        throw new ConfigurationException("invalid time limit '" + text + "' for " + where
                + "; give a positive whole number with unit s, m, h or d, e.g. 30m or 2h");
    }

    /** A limit the way {@link #parseLimit} reads it, in its largest whole unit. */
    static String format(Duration d) {
        long s = d.toSeconds();
        if (s % 86400 == 0 && s > 0) {
            return s / 86400 + "d";
        }
        if (s % 3600 == 0 && s > 0) {
            return s / 3600 + "h";
        }
        if (s % 60 == 0 && s > 0) {
            return s / 60 + "m";
        }
        return s > 0 ? s + "s" : d.toMillis() + "ms";
    }

    @Override
    public void close() {
        worker.shutdownNow();
    }
}
