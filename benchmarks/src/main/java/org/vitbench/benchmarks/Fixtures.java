package org.vitbench.benchmarks;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.lang.management.ManagementFactory;
import java.util.SplittableRandom;
import org.vitbench.api.ConfigurationException;
import org.vitbench.api.ModelInfo;
import org.vitbench.api.Parameters;
import org.vitbench.api.Registry;
import org.vitbench.api.VitModel;
import org.vitbench.models.Checkpoints;
import org.vitbench.models.Initialization;
import org.vitbench.models.ModelConfig;
import org.vitbench.models.VisionTransformer;
import org.vitbench.models.masking.MaskedEvaluator;
import org.vitbench.models.published.TimmHub;

/**
 * What the benchmarks share: DJL settings, the models ({@code embedded} or a random-weight timm
 * architecture), seeded inputs, a memory guard and a leak check.
 */
final class Fixtures {

    /** Seed of every random input and of the random-weight models, so two runs measure the same work. */
    static final long SEED = 20240607L;

    /** The {@code model} parameter value for the shipped Fashion-MNIST model. */
    static final String EMBEDDED = "embedded";

    /** Classes of the random-weight timm models: ImageNet-1k, as the published checkpoints. */
    static final int TIMM_CLASSES = 1000;

    /** ImageNet normalisation mean per RGB channel (timm's {@code IMAGENET_DEFAULT_MEAN}). */
    static final double[] IMAGENET_MEAN = {0.485, 0.456, 0.406};

    /** ImageNet normalisation std per RGB channel (timm's {@code IMAGENET_DEFAULT_STD}). */
    static final double[] IMAGENET_STD = {0.229, 0.224, 0.225};

    /**
     * Share of the available memory ({@code MemAvailable} of {@code /proc/meminfo}, else of the
     * physical memory) that one forward pass's activations may take before
     * {@link #checkActivationMemory} refuses the configuration.
     */
    static final double MEMORY_SHARE = 0.8;

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

    /**
     * The model a benchmark's {@code model} parameter names: {@value #EMBEDDED} (the shipped
     * Fashion-MNIST ViT, through the registry) or a timm ViT architecture name such as
     * {@code vit_base_patch16_224}, built in memory with seeded random weights
     * ({@link Initialization#initialise} with {@link #SEED}), {@value #TIMM_CLASSES} classes and
     * ImageNet mean and std, on the CPU. Nothing is read from disk or downloaded.
     *
     * @throws ConfigurationException when {@code id} is neither {@value #EMBEDDED} nor an
     *     architecture in {@link TimmHub}'s table
     */
    static VitModel model(String id) {
        if (EMBEDDED.equals(id)) {
            return embeddedModel();
        }
        ModelConfig config = timmConfig(id);
        NDManager manager = NDManager.newBaseManager(Device.cpu());
        try {
            return new VisionTransformer(config, manager,
                    Initialization.initialise(config.architecture(), manager, SEED));
        } catch (RuntimeException e) {
            manager.close();
            throw e;
        }
    }

    /**
     * The config of timm architecture {@code name} from {@link TimmHub}'s table, read from a
     * hub-style {@code config.json} built here: {@value #TIMM_CLASSES} classes, ImageNet mean and
     * std, input size from the name.
     */
    static ModelConfig timmConfig(String name) {
        return timmConfig(name, TIMM_CLASSES);
    }

    /** As {@link #timmConfig(String)} with {@code classes} classes. */
    static ModelConfig timmConfig(String name, int classes) {
        ObjectNode root = Checkpoints.json().createObjectNode();
        root.put("architecture", name);
        root.put("num_classes", classes);
        ObjectNode pretrained = root.putObject("pretrained_cfg");
        ArrayNode mean = pretrained.putArray("mean");
        ArrayNode std = pretrained.putArray("std");
        for (int c = 0; c < IMAGENET_MEAN.length; c++) {
            mean.add(IMAGENET_MEAN[c]);
            std.add(IMAGENET_STD[c]);
        }
        try {
            return TimmHub.read(root, "benchmark parameter model=" + name);
        } catch (ConfigurationException e) {
            throw new ConfigurationException(e.getMessage() + ". Use -p model=" + EMBEDDED
                    + " or a timm name such as vit_tiny_patch16_224, vit_small_patch16_224, vit_base_patch16_224", e);
        }
    }

    /**
     * Fails before anything runs when {@code copies} images at once would need more than
     * {@value #MEMORY_SHARE} of the available memory for activations, by
     * {@link MaskedEvaluator#batchSizeFor}'s estimate: every block's intermediates stay alive until
     * the invocation's manager closes, about 210 MB per 224 px image for ViT-B/16 (measured: a
     * batch of 64 ViT-Ti/16 images peaks at 3.7 GB resident, estimate 3.4 GB). On a machine
     * shared with other work this refuses a run rather than let the kernel kill a process.
     *
     * @param what the parameter that sets {@code copies}, for the message
     * @throws IllegalArgumentException naming the largest size that fits
     */
    static void checkActivationMemory(ModelInfo info, int copies, String what) {
        long available = availableMemoryBytes();
        if (available <= 0) {
            return; // unknown: nothing to check against
        }
        int fits = MaskedEvaluator.batchSizeFor(info, (long) (MEMORY_SHARE * available));
        if (copies > fits) {
            throw new IllegalArgumentException(what + "=" + copies + " with model " + info.name() + " needs more than "
                    + Math.round(100 * MEMORY_SHARE) + " % of the " + (available >> 20) + " MiB of available memory "
                    + "for activations (estimate of MaskedEvaluator.batchSizeFor); use -p " + what + " with at most "
                    + fits + " (at 224 px: -p batchSize=1,16,64 for Forward, 16 for MaskedEvaluation), or free memory");
        }
    }

    /** {@code MemAvailable} from {@code /proc/meminfo}, else the physical memory, else -1. */
    private static long availableMemoryBytes() {
        try {
            for (String line : java.nio.file.Files.readAllLines(java.nio.file.Path.of("/proc/meminfo"))) {
                if (line.startsWith("MemAvailable:")) {
                    return 1024 * Long.parseLong(line.replaceAll("[^0-9]", ""));
                }
            }
        } catch (java.io.IOException | RuntimeException e) {
            // not Linux, or an unexpected format: fall back to the physical memory
        }
        if (ManagementFactory.getOperatingSystemMXBean() instanceof com.sun.management.OperatingSystemMXBean os) {
            return os.getTotalMemorySize();
        }
        return -1;
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
     * {@code masks} keep-masks whose kept counts vary as the perturbation methods' do, each at
     * seeded random positions: {@code shapley-kernel} draws the count {@code s} in {@code [1, P-1]}
     * with probability proportional to {@code (P-1) / (s (P-s))} (KernelSHAP's coalition sizes),
     * {@code uniform} draws it uniformly from {@code [0, P]} (a deletion or insertion curve's steps).
     *
     * @throws IllegalArgumentException for another distribution name
     */
    static boolean[][] mixedKeepMasks(int masks, int patches, String sizes, long seed) {
        double[] weight = new double[patches + 1];
        switch (sizes) {
            case "shapley-kernel" -> {
                for (int s = 1; s < patches; s++) {
                    weight[s] = (patches - 1.0) / ((double) s * (patches - s));
                }
            }
            case "uniform" -> java.util.Arrays.fill(weight, 1.0);
            default -> throw new IllegalArgumentException("sizes must be fixed, shapley-kernel or uniform, got '"
                    + sizes + "'");
        }
        double total = java.util.Arrays.stream(weight).sum();
        SplittableRandom random = new SplittableRandom(seed);
        boolean[][] keep = new boolean[masks][];
        for (int m = 0; m < masks; m++) {
            double u = random.nextDouble() * total;
            int kept = 0;
            while (kept < patches && u >= weight[kept]) {
                u -= weight[kept];
                kept++;
            }
            keep[m] = keepMasks(1, patches, kept, random.nextLong())[0];
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
