package org.vitbench.api;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.training.GradientCollector;
import java.util.Objects;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * The one way to compute gradients in vitbench. DJL's PyTorch engine allows a single open
 * {@link GradientCollector} per JVM, so gradient work is serialised here; gradient mode is on only
 * inside {@code body} and is switched off again when the collector closes, also on exceptions.
 *
 * <p>What is safe inside {@code body}: arithmetic with Java numbers goes through
 * {@link GraphConstants} (a raw {@code x.mul(0.5)} can corrupt the backward pass after a garbage
 * collection), and arrays that the graph reads stay open until the backward pass has run. Plug-ins
 * check both with {@code ExplainerContract}, which calls {@link #withBeforeBackward} to force a
 * collection right before every backward pass.
 */
public final class Gradients {

    private static final ReentrantLock LOCK = new ReentrantLock();
    private static final ThreadLocal<Runnable> BEFORE_BACKWARD = new ThreadLocal<>();

    private Gradients() {
    }

    /**
     * Runs {@code body} with an open gradient collector, holding the JVM-wide gradient lock.
     * Only plain values or arrays owned by the caller's manager should leave {@code body}.
     */
    public static <T> T compute(Function<GradientCollector, T> body) {
        LOCK.lock();
        try (GradientCollector collector = Engine.getInstance().newGradientCollector()) {
            Runnable hook = BEFORE_BACKWARD.get();
            return body.apply(hook == null ? collector : new Hooked(collector, hook));
        } finally {
            LOCK.unlock();
        }
    }

    /**
     * Runs {@code body} with {@code hook} called right before every backward pass that
     * {@link #compute} starts in this thread, between the forward pass that built the graph and the
     * backward pass that reads it. A seam for stress tests: a hook that forces a garbage collection
     * and reuses the freed memory exposes any array the graph needs but Java has already released.
     * Hooks do not nest: the inner one replaces the outer one until it returns.
     */
    public static <T> T withBeforeBackward(Runnable hook, Supplier<T> body) {
        Objects.requireNonNull(hook, "hook");
        Runnable outer = BEFORE_BACKWARD.get();
        BEFORE_BACKWARD.set(hook);
        try {
            return body.get();
        } finally {
            if (outer == null) {
                BEFORE_BACKWARD.remove();
            } else {
                BEFORE_BACKWARD.set(outer);
            }
        }
    }

    /** The engine's collector with the hook run before each backward pass. */
    private record Hooked(GradientCollector collector, Runnable hook) implements GradientCollector {

        @Override
        public void backward(NDArray target) {
            hook.run();
            collector.backward(target);
        }

        @Override
        public void zeroGradients() {
            collector.zeroGradients();
        }

        @Override
        public void close() {
            // the engine's collector is closed by compute
        }
    }
}
