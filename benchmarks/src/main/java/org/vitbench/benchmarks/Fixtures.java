package org.vitbench.benchmarks;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import java.util.SplittableRandom;
import org.vitbench.api.ModelInfo;
import org.vitbench.api.Parameters;
import org.vitbench.api.Registry;
import org.vitbench.api.VitModel;

/** What the benchmarks share: DJL settings, the embedded model, seeded inputs and a leak check. */
final class Fixtures {

    /** Seed of every random input, so two runs measure the same work. */
    static final long SEED = 20240607L;

    private Fixtures() {
    }

    /**
     * DJL offline (no model-zoo downloads) and no usage tracking, as {@code runner}'s
     * {@code Main.configureEnvironment} does. JMH 1.37's {@code @Fork} cannot set environment
     * variables, so the system properties stand in for {@code DJL_OFFLINE} and
     * {@code OPT_OUT_TRACKING}; they are also passed with {@code jvmArgsAppend}, and this covers a
     * command line that replaces those arguments (or {@code -f 0}). Must run before DJL loads.
     */
    static void configureDjl() {
        if (System.getProperty("ai.djl.offline") == null) {
            System.setProperty("ai.djl.offline", "true");
        }
        // DJL reads OPT_OUT_TRACKING from the environment or the system properties
        if (System.getProperty("OPT_OUT_TRACKING") == null) {
            System.setProperty("OPT_OUT_TRACKING", "true");
        }
    }

    /** The {@code embedded} model, found through the registry as the runner finds it. */
    static VitModel embeddedModel() {
        return Registry.load().model("embedded").load(Parameters.empty());
    }

    /** The first {@code n} samples of the embedded Fashion-MNIST subset, as {@code vitbench run} reads them. */
    static java.util.List<org.vitbench.api.Sample> embeddedSamples(int n) {
        org.vitbench.api.Dataset data = Registry.load().dataset("fashion-mnist-embedded").open(Parameters.empty());
        java.util.List<org.vitbench.api.Sample> out = new java.util.ArrayList<>();
        for (int i = 0; i < n; i++) {
            out.add(data.get(i));
        }
        return out;
    }

    /** The model's predicted class per sample, the targets a run explains. */
    static int[] predictions(VitModel model, java.util.List<org.vitbench.api.Sample> samples) {
        try (NDManager scope = model.manager().newSubManager()) {
            NDArray logits = model.logits(org.vitbench.api.Batches.images(scope, samples, model.info()));
            return logits.argMax(1).toType(ai.djl.ndarray.types.DataType.INT32, false).toIntArray();
        }
    }

    /**
     * Seeded uniform images {@code [batch, C, S, S]} in [0, 1) on {@code manager}; drawn in Java so
     * they do not depend on the engine's random generator.
     */
    static NDArray randomImages(NDManager manager, ModelInfo info, int batch, long seed) {
        int size = info.channels() * info.imageSize() * info.imageSize();
        float[] pixels = new float[batch * size];
        SplittableRandom random = new SplittableRandom(seed);
        for (int i = 0; i < pixels.length; i++) {
            pixels[i] = (float) random.nextDouble();
        }
        return manager.create(pixels, new Shape(batch, info.channels(), info.imageSize(), info.imageSize()));
    }

    /**
     * {@code masks} keep-masks over {@code patches} patches, each with exactly {@code kept} patches
     * kept at seeded uniformly random positions (partial Fisher-Yates shuffle).
     *
     * @throws IllegalArgumentException when {@code kept} is outside {@code [0, patches]}
     */
    static boolean[][] keepMasks(int masks, int patches, int kept, long seed) {
        if (kept < 0 || kept > patches) {
            throw new IllegalArgumentException("kept patches " + kept + " is outside [0, " + patches + "]");
        }
        SplittableRandom random = new SplittableRandom(seed);
        int[] positions = new int[patches];
        boolean[][] keep = new boolean[masks][patches];
        for (int m = 0; m < masks; m++) {
            for (int i = 0; i < patches; i++) {
                positions[i] = i;
            }
            for (int i = 0; i < kept; i++) {
                int j = i + random.nextInt(patches - i);
                int t = positions[i];
                positions[i] = positions[j];
                positions[j] = t;
                keep[m][positions[i]] = true;
            }
        }
        return keep;
    }

    /**
     * Fails when {@code manager} holds a different number of native arrays than {@code expected},
     * i.e. when a measured invocation leaked arrays into a long-lived manager.
     */
    static void checkNoLeak(NDManager manager, int expected, String what) {
        int actual = manager.getManagedArrays().size();
        if (actual != expected) {
            throw new IllegalStateException(what + " holds " + actual + " native arrays after the benchmark, expected "
                    + expected + "; an invocation leaked arrays outside its sub-manager");
        }
    }
}
