package org.vitbench.metrics.runtime;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.IntToLongFunction;
import java.util.function.LongSupplier;
import org.vitbench.api.Batches;
import org.vitbench.api.Context;
import org.vitbench.api.Explainer;
import org.vitbench.api.ExplainerInfo;
import org.vitbench.api.Family;
import org.vitbench.api.Heatmaps;
import org.vitbench.api.ModelInfo;
import org.vitbench.api.Parameters;
import org.vitbench.api.Sample;

/** Explainers of known cost for the runtime tests, and a clock they can move. */
final class TimedExplainers {

    private TimedExplainers() {
    }

    /** A nanosecond clock that moves only when told, so timed calls take exactly what a test says. */
    static final class ManualClock implements LongSupplier {

        private long now = 1_000_000_000L;

        void advance(long nanos) {
            now += nanos;
        }

        @Override
        public long getAsLong() {
            return now;
        }
    }

    /**
     * Forwards the batch through the model in a scope of the context's manager (so native memory is
     * used and must be released), returns every patch set to the target logit, and moves the clock
     * by {@code nanosPerImage.applyAsLong(call)} nanoseconds per image, {@code call} counting from 1.
     * Records the contexts it was called with.
     */
    static final class Forward implements Explainer {

        private final ManualClock clock;
        private final IntToLongFunction nanosPerImage;
        private final AtomicInteger calls = new AtomicInteger();
        private final List<Context> contexts = Collections.synchronizedList(new ArrayList<>());

        Forward(ManualClock clock, IntToLongFunction nanosPerImage) {
            this.clock = clock;
            this.nanosPerImage = nanosPerImage;
        }

        int calls() {
            return calls.get();
        }

        List<Context> contexts() {
            return List.copyOf(contexts);
        }

        @Override
        public ExplainerInfo info() {
            return new ExplainerInfo("forward-logit", "Target logit everywhere", Family.BASELINE, Set.of(), false,
                    "baseline");
        }

        @Override
        public Parameters parameters() {
            return Parameters.empty();
        }

        @Override
        public Heatmaps explain(Context context, List<Sample> batch, int[] targets) {
            int call = calls.incrementAndGet();
            contexts.add(context);
            ModelInfo info = context.model().info();
            float[] logits;
            try (NDManager scope = context.manager().newSubManager()) {
                NDArray images = Batches.images(scope, batch, info);
                logits = context.model().logits(images).toFloatArray(); // [B, K]
            }
            float[][] maps = new float[batch.size()][info.numPatches()];
            for (int b = 0; b < batch.size(); b++) {
                java.util.Arrays.fill(maps[b], logits[b * info.numClasses() + targets[b]]);
            }
            clock.advance(nanosPerImage.applyAsLong(call) * batch.size());
            return Heatmaps.of(info.grid(), maps);
        }
    }

    /** Sleeps a fixed time per call, whatever the batch size, and counts its calls. */
    static final class Sleeping implements Explainer {

        private final long millisPerCall;
        private final AtomicInteger calls = new AtomicInteger();

        Sleeping(long millisPerCall) {
            this.millisPerCall = millisPerCall;
        }

        int calls() {
            return calls.get();
        }

        @Override
        public ExplainerInfo info() {
            return new ExplainerInfo("sleeping", "Sleeps", Family.BASELINE, Set.of(), false, "baseline");
        }

        @Override
        public Parameters parameters() {
            return Parameters.empty();
        }

        @Override
        public Heatmaps explain(Context context, List<Sample> batch, int[] targets) {
            calls.incrementAndGet();
            try {
                Thread.sleep(millisPerCall);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted", e);
            }
            ModelInfo info = context.model().info();
            return Heatmaps.of(info.grid(), new float[batch.size()][info.numPatches()]);
        }
    }
}
