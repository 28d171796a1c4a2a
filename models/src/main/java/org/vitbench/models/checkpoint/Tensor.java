package org.vitbench.models.checkpoint;

import java.util.Arrays;
import java.util.Objects;

/**
 * A tensor read from or written to a checkpoint, its values converted to float32.
 *
 * <p>Values are row-major (C order), as safetensors stores them. A 0-d scalar has the empty shape
 * and one value; a shape with a zero dimension has no values. The shape is copied on the way in
 * and out; the value array is <em>not</em> copied (checkpoints run to hundreds of megabytes), so
 * treat it as read-only. Equality compares the dtype, the shape and the values bit by bit as
 * {@link Arrays#equals(float[], float[])} does (all NaNs equal, {@code 0.0 != -0.0}).
 *
 * @param dtype the safetensors dtype the values were stored with: {@code "F32"}, {@code "F16"},
 *     {@code "BF16"} or {@code "F64"}. {@link Safetensors#write} always stores F32, which holds
 *     every value of the other three exactly once they are floats.
 * @param shape the dimensions, each {@code >= 0}; empty for a scalar
 * @param values {@code product(shape)} values, row-major
 */
public record Tensor(String dtype, long[] shape, float[] values) {

    public Tensor {
        Objects.requireNonNull(dtype, "dtype");
        Objects.requireNonNull(shape, "shape");
        Objects.requireNonNull(values, "values");
        if (!Dtype.isReadable(dtype)) {
            throw new IllegalArgumentException("dtype '" + dtype + "' is not one of "
                    + Dtype.READABLE_NAMES);
        }
        shape = shape.clone();
        long count = 1;
        for (long dim : shape) {
            if (dim < 0) {
                throw new IllegalArgumentException("shape " + Arrays.toString(shape)
                        + " has a negative dimension");
            }
            count = multiplyOrMax(count, dim);
        }
        if (values.length != count) {
            throw new IllegalArgumentException("shape " + Arrays.toString(shape) + " needs "
                    + (count == Long.MAX_VALUE ? "more than 2^63" : count) + " values, got "
                    + values.length);
        }
    }

    /** An F32 tensor; {@code Tensor.of(new long[0], 2f)} is a scalar. */
    public static Tensor of(long[] shape, float... values) {
        return new Tensor("F32", shape, values);
    }

    /** A copy of the dimensions. */
    @Override
    public long[] shape() {
        return shape.clone();
    }

    /** The number of dimensions: 0 for a scalar. */
    public int rank() {
        return shape.length;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Tensor t && dtype.equals(t.dtype) && Arrays.equals(shape, t.shape)
                && Arrays.equals(values, t.values);
    }

    @Override
    public int hashCode() {
        return 31 * (31 * dtype.hashCode() + Arrays.hashCode(shape)) + Arrays.hashCode(values);
    }

    /** The dtype, the shape and at most the first eight values, e.g. {@code Tensor[F32 [2, 3]: 1.0, 2.0, ... (6 values)]}. */
    @Override
    public String toString() {
        StringBuilder s = new StringBuilder("Tensor[").append(dtype).append(' ')
                .append(Arrays.toString(shape)).append(':');
        int shown = Math.min(values.length, 8);
        for (int i = 0; i < shown; i++) {
            s.append(i == 0 ? " " : ", ").append(values[i]);
        }
        if (shown < values.length) {
            s.append(", ...");
        }
        return s.append(" (").append(values.length).append(" values)]").toString();
    }

    // Saturates instead of overflowing: any count past 2^31 already mismatches values.length.
    private static long multiplyOrMax(long a, long b) {
        long hi = Math.multiplyHigh(a, b);
        long lo = a * b;
        return hi != 0 || lo < 0 ? Long.MAX_VALUE : lo;
    }
}
