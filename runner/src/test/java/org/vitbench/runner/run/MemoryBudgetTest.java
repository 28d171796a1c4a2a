package org.vitbench.runner.run;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Collections;
import org.junit.jupiter.api.Test;
import org.vitbench.api.ConfigurationException;
import org.vitbench.api.ModelInfo;
import org.vitbench.api.Preprocessing;
import org.vitbench.models.masking.MaskedEvaluator;

/** The memory a run is given, what it leaves for activations, and the batches derived from it. */
class MemoryBudgetTest {

    private static final ModelInfo VIT_B = new ModelInfo("vit-base", 3, 224, 16, 12, 12, 768,
            Collections.nCopies(1000, "c"), new Preprocessing(new float[] {0.5f, 0.5f, 0.5f},
                    new float[] {0.5f, 0.5f, 0.5f}, "bicubic"));

    @Test
    void sizesParseInPowersOf1024() {
        assertEquals(8L << 30, MemoryBudget.parse("8g", "--memory").bytes());
        assertEquals(8L << 30, MemoryBudget.parse("8GiB", "--memory").bytes());
        assertEquals(512L << 20, MemoryBudget.parse("512m", "--memory").bytes());
        assertEquals(3L << 29, MemoryBudget.parse("1.5G", "--memory").bytes());
        assertEquals(4096, MemoryBudget.parse("4096", "--memory").bytes());
        ConfigurationException e = assertThrows(ConfigurationException.class,
                () -> MemoryBudget.parse("lots", "--memory"));
        assertTrue(e.getMessage().contains("--memory 'lots' is not a memory size; write for example 8g"),
                e.getMessage());
    }

    @Test
    void whatTheProcessHoldsIsSetAsideAndTheRestSizesBatches() {
        long weights = MemoryBudget.weightBytes(VIT_B);
        assertTrue(weights > 330_000_000L && weights < 350_000_000L, "ViT-B/16 has about 86 M float32 weights: "
                + weights);
        MemoryBudget budget = MemoryBudget.parse("8g", "--memory");
        long resident = 1L << 30;
        long heap = 2L << 30;
        long activations = budget.activations(VIT_B, resident, heap);
        assertEquals((long) (((8L << 30) - resident - heap - 2 * weights - (8L << 30) / 10)
                / MemoryBudget.TRANSIENT_FACTOR), activations);
        int batch = MemoryBudget.batchSize(16, VIT_B, activations);
        assertTrue(batch >= 1 && batch < 16, "ViT-B gradients of 16 images do not fit in 4 GiB: " + batch);
        assertTrue(batch * 2 * MaskedEvaluator.bytesPerCopy(VIT_B) <= activations);
        assertEquals(16, MemoryBudget.batchSize(16, VIT_B, 1L << 40), "a configured size that fits is kept");
    }

    @Test
    void tooLittleMemoryIsRefusedWithWhatToGive() {
        MemoryBudget budget = MemoryBudget.parse("3g", "--memory");
        ConfigurationException e = assertThrows(ConfigurationException.class,
                () -> budget.activations(VIT_B, 1L << 30, 2L << 30));
        assertTrue(e.getMessage().startsWith("memory 3.0 GiB is too small for model vit-base: the process holds "
                + "1.0 GiB, the Java heap may grow by 2.0 GiB"), e.getMessage());
        assertTrue(e.getMessage().contains("give --memory "), e.getMessage());
    }
}
