package org.vitbench.models;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.vitbench.api.ForwardTrace;
import org.vitbench.api.Gradients;
import org.vitbench.api.Removal;
import org.vitbench.api.TraceOptions;

/**
 * Runs many batches of every kind of model call, each in its own scope, and prints the resident
 * memory after each round as {@code round <i> <kB> <arrays on the weights' manager>}. Run in a
 * JVM with a small heap (see {@link NativeMemoryTest}), so that growth is native memory rather
 * than a Java heap that has not been collected yet.
 */
public final class NativeMemoryProbe {

    private NativeMemoryProbe() {
    }

    public static void main(String[] args) throws IOException {
        int rounds = Integer.parseInt(args[0]);
        int batchesPerRound = Integer.parseInt(args[1]);
        // The control: floats per batch deliberately left on a manager that is never closed.
        int leakFloats = args.length > 2 ? Integer.parseInt(args[2]) : 0;
        NDManager leak = NDManager.newBaseManager();
        try (VisionTransformer model = TinyVit.create(5)) {
            for (int round = 0; round < rounds; round++) {
                for (int i = 0; i < batchesPerRound; i++) {
                    batch(model, round * batchesPerRound + i);
                    if (leakFloats > 0) {
                        leak.ones(new Shape(leakFloats));
                    }
                }
                System.out.println("round " + round + " " + residentKb() + " " + model.manager().getManagedArrays().size());
            }
        }
    }

    private static void batch(VisionTransformer model, int i) {
        try (NDManager m = model.manager().newSubManager()) {
            NDArray images = TinyVit.images(m, TinyVit.CONFIG, 4, i);
            NDArray keep = m.randomInteger(0, 2, new Shape(4, TinyVit.CONFIG.numPatches()), DataType.FLOAT32);
            model.logits(images).toFloatArray();
            model.logits(images, keep, Removal.ATTENTION_MASK).toFloatArray();
            model.logits(images, keep, Removal.TOKEN_DROP).toFloatArray();
            model.logits(images, keep, Removal.pixel(Removal.PixelBaseline.BLUR)).toFloatArray();
            Gradients.compute(collector -> {
                ForwardTrace trace = model.trace(images, TraceOptions.NONE.withAttentionGradTaps(true)
                        .withInputGradient(true));
                collector.backward(trace.logits().get(":, 0").sum());
                return trace.input().getGradient().toFloatArray();
            });
        }
    }

    private static long residentKb() throws IOException {
        for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
            if (line.startsWith("VmRSS:")) {
                return Long.parseLong(line.replaceAll("[^0-9]", ""));
            }
        }
        throw new IllegalStateException("no VmRSS in /proc/self/status");
    }
}
