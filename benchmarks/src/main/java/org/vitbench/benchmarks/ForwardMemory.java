package org.vitbench.benchmarks;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Locale;
import org.vitbench.api.VitModel;

/**
 * Peak resident memory that one forward pass adds, the twin of {@code benchmarks/peer/vit_peer.py
 * memory}: a model ({@link Fixtures#model}) and a batch of seeded random images are made, one
 * forward runs first (allocator and kernels warmed up), then for each repeat the kernel's peak
 * counter is reset (writing 5 to {@code /proc/self/clear_refs}) and the forward's peak is
 * {@code VmHWM} after it minus {@code VmRSS} before it. Prints one JSON line, MB, median of the
 * repeats. Linux only. Not a JMH benchmark: JMH measures time, this measures a peak.
 *
 * <p>Run: {@code java -Dai.djl.pytorch.num_threads=2 -cp benchmarks/target/benchmarks.jar
 * org.vitbench.benchmarks.ForwardMemory vit_tiny_patch16_224 64 [repeats]}.
 */
public final class ForwardMemory {

    private ForwardMemory() {
    }

    public static void main(String[] args) throws IOException {
        if (args.length < 2) {
            System.err.println("usage: ForwardMemory MODEL BATCH [REPEATS]   (MODEL: embedded or a timm ViT name)");
            System.exit(2);
        }
        Fixtures.configureDjl();
        String id = args[0];
        int batch = Integer.parseInt(args[1]);
        int repeats = args.length > 2 ? Integer.parseInt(args[2]) : 1;
        double[] peaks = new double[repeats];
        try (VitModel model = Fixtures.model(id); NDManager manager = model.manager().newSubManager()) {
            NDArray images = Fixtures.randomImages(manager, model.info(), batch, Fixtures.SEED);
            // one forward of a single image first: kernels initialised and the JIT done (whose compiler
            // memory would count otherwise), while it leaves almost no freed memory for the measured one
            forward(model, manager, Fixtures.randomImages(manager, model.info(), 1, Fixtures.SEED + 1));
            for (int r = 0; r < repeats; r++) {
                Files.writeString(Path.of("/proc/self/clear_refs"), "5");
                long before = residentKb("VmRSS");
                forward(model, manager, images);
                peaks[r] = (residentKb("VmHWM") - before) / 1024.0;
            }
        }
        double[] sorted = peaks.clone();
        Arrays.sort(sorted);
        double median = repeats % 2 == 1 ? sorted[repeats / 2] : (sorted[repeats / 2 - 1] + sorted[repeats / 2]) / 2;
        StringBuilder runs = new StringBuilder();
        for (double p : peaks) {
            runs.append(runs.length() == 0 ? "" : ", ").append(String.format(Locale.ROOT, "%.1f", p));
        }
        System.out.printf(Locale.ROOT, "{\"side\": \"vitbench\", \"model\": \"%s\", \"benchmark\": \"memory\", "
                + "\"batch_size\": %d, \"unit\": \"MB\", \"median\": %.1f, \"runs\": [%s]}%n", id, batch, median, runs);
    }

    /** One forward in its own scope, read back to Java so that it has finished. */
    private static void forward(VitModel model, NDManager manager, NDArray images) {
        try (NDManager scope = manager.newSubManager()) {
            images.tempAttach(scope);
            model.logits(images).toFloatArray();
        }
    }

    private static long residentKb(String field) throws IOException {
        for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
            if (line.startsWith(field + ":")) {
                return Long.parseLong(line.split("\\s+")[1]);
            }
        }
        throw new IllegalStateException("/proc/self/status has no " + field + "; ForwardMemory needs Linux");
    }
}
