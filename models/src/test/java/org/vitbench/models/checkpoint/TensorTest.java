package org.vitbench.models.checkpoint;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

class TensorTest {

    @Test
    void valuesMustMatchTheShape() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Tensor.of(new long[] {2, 3}, 1f, 2f));
        assertEquals("shape [2, 3] needs 6 values, got 2", e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> Tensor.of(new long[0]));
        assertEquals("shape [] needs 1 values, got 0", e.getMessage());
        e = assertThrows(IllegalArgumentException.class,
                () -> Tensor.of(new long[] {1L << 40, 1L << 40}, 1f));
        assertEquals("shape [1099511627776, 1099511627776] needs more than 2^63 values, got 1", e.getMessage());
    }

    @Test
    void aZeroDimensionMeansNoValuesEvenBesideHugeOnes() {
        assertEquals(0, Tensor.of(new long[] {1L << 40, 1L << 40, 0}).values().length);
    }

    @Test
    void negativeDimensionsAndNonFloatDtypesAreRejected() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Tensor.of(new long[] {-1}));
        assertEquals("shape [-1] has a negative dimension", e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> new Tensor("I64", new long[] {1}, new float[1]));
        assertEquals("dtype 'I64' is not one of F32, F16, BF16, F64", e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> new Tensor("f32", new long[] {1}, new float[1]));
        assertEquals("dtype 'f32' is not one of F32, F16, BF16, F64", e.getMessage());
    }

    @Test
    void theShapeIsCopiedInAndOut() {
        long[] shape = {2};
        Tensor t = Tensor.of(shape, 1f, 2f);
        shape[0] = 5;
        t.shape()[0] = 7;
        assertArrayEquals(new long[] {2}, t.shape());
        assertEquals(1, t.rank());
    }

    @Test
    void equalityComparesDtypeShapeAndValueBits() {
        Tensor t = Tensor.of(new long[] {2}, 1f, Float.NaN);
        assertEquals(t, Tensor.of(new long[] {2}, 1f, Float.NaN));
        assertEquals(t.hashCode(), Tensor.of(new long[] {2}, 1f, Float.NaN).hashCode());
        assertNotEquals(t, Tensor.of(new long[] {1, 2}, 1f, Float.NaN));
        assertNotEquals(t, new Tensor("F16", new long[] {2}, new float[] {1f, Float.NaN}));
        assertNotEquals(Tensor.of(new long[0], 0f), Tensor.of(new long[0], -0f));
    }

    @Test
    void toStringShowsDtypeShapeAndTheFirstEightValues() {
        assertEquals("Tensor[F32 []: 2.5 (1 values)]", Tensor.of(new long[0], 2.5f).toString());
        assertEquals("Tensor[BF16 [0]: (0 values)]", new Tensor("BF16", new long[] {0}, new float[0]).toString());
        float[] nine = {1, 2, 3, 4, 5, 6, 7, 8, 9};
        assertEquals("Tensor[F32 [3, 3]: 1.0, 2.0, 3.0, 4.0, 5.0, 6.0, 7.0, 8.0, ... (9 values)]",
                Tensor.of(new long[] {3, 3}, nine).toString());
    }
}
