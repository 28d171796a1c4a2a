package org.vitbench.models;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.vitbench.api.ForwardTrace;
import org.vitbench.api.Gradients;
import org.vitbench.api.Removal;
import org.vitbench.api.TraceOptions;

/** Every batch in its own scope: native memory stays flat over many batches. */
class NativeMemoryTest {

    private static final int BATCHES = 600;

    @Test
    void nativeMemoryStaysFlatAcrossBatches() throws IOException {
        try (VisionTransformer model = TinyVit.create(5)) {
            int weightsBefore = model.manager().getManagedArrays().size();
            runBatches(model, 100); // warm-up: allocator pools and JIT settle
            long rssWarm = residentKb();
            runBatches(model, BATCHES);
            long growthKb = residentKb() - rssWarm;
            assertEquals(weightsBefore, model.manager().getManagedArrays().size(),
                    "no array may attach to the weights' manager");
            // A leak of one batch's arrays per iteration would grow by well over 50 MB here.
            assertTrue(growthKb < 20_000, "resident memory grew by " + growthKb + " kB over " + BATCHES + " batches");
        }
    }

    private static void runBatches(VisionTransformer model, int n) {
        for (int i = 0; i < n; i++) {
            try (NDManager m = model.manager().newSubManager()) {
                NDArray images = TinyVit.images(m, TinyVit.CONFIG, 8, i);
                NDArray keep = m.randomInteger(0, 2, new Shape(8, TinyVit.CONFIG.numPatches()),
                        ai.djl.ndarray.types.DataType.FLOAT32);
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
