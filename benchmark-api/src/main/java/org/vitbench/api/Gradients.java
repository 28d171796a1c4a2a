package org.vitbench.api;

import ai.djl.engine.Engine;
import ai.djl.training.GradientCollector;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Function;

/**
 * The one way to compute gradients in vitbench. DJL's PyTorch engine allows a single open
 * {@link GradientCollector} per JVM, so gradient work is serialised here; gradient mode is on only
 * inside {@code body} and is switched off again when the collector closes, also on exceptions.
 */
public final class Gradients {

    private static final ReentrantLock LOCK = new ReentrantLock();

    private Gradients() {
    }

    /**
     * Runs {@code body} with an open gradient collector, holding the JVM-wide gradient lock.
     * Only plain values or arrays owned by the caller's manager should leave {@code body}.
     */
    public static <T> T compute(Function<GradientCollector, T> body) {
        LOCK.lock();
        try (GradientCollector collector = Engine.getInstance().newGradientCollector()) {
            return body.apply(collector);
        } finally {
            LOCK.unlock();
        }
    }
}
