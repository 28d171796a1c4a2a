package org.vitbench.models.checkpoint;

import java.nio.ByteBuffer;

/**
 * The byte-sized dtypes of the safetensors format, with their element sizes, and the decoding of
 * the four floating-point ones vitbench loads into float32.
 *
 * <p>Sizes follow {@code Dtype::size} of the reference implementation
 * (huggingface/safetensors, {@code safetensors/src/tensor.rs}). Sub-byte types (F4, F6) are not
 * listed: they are unknown here, so a file using them is rejected by name.
 */
enum Dtype {
    BOOL(1), U8(1), I8(1), F8_E5M2(1), F8_E4M3(1), I16(2), U16(2), F16(2), BF16(2),
    I32(4), U32(4), F32(4), F64(8), I64(8), U64(8);

    /** How {@link CheckpointException} messages list what {@link Safetensors#read} accepts. */
    static final String READABLE_NAMES = "F32, F16, BF16, F64";

    /** Bytes per element. */
    final int size;

    Dtype(int size) {
        this.size = size;
    }

    /** The dtype with this exact (case-sensitive) name, or {@code null}. */
    static Dtype byName(String name) {
        for (Dtype d : values()) {
            if (d.name().equals(name)) {
                return d;
            }
        }
        return null;
    }

    static boolean isReadable(String name) {
        Dtype d = byName(name);
        return d != null && d.readable();
    }

    /** Whether {@link #decode} converts this dtype to float32. */
    boolean readable() {
        return this == F32 || this == F16 || this == BF16 || this == F64;
    }

    /**
     * Decodes {@code n} little-endian elements from {@code src} into {@code dst[offset ..]}.
     *
     * @return the index in {@code dst} of the first F64 value outside the float32 range (it would
     *     become infinite), or -1 if there is none
     */
    int decode(ByteBuffer src, float[] dst, int offset, int n) {
        switch (this) {
            case F32 -> src.asFloatBuffer().get(dst, offset, n);
            case F16 -> {
                for (int i = 0; i < n; i++) {
                    dst[offset + i] = halfToFloat(src.getShort(2 * i));
                }
            }
            case BF16 -> {
                for (int i = 0; i < n; i++) {
                    // bfloat16 is the upper half of a float32
                    dst[offset + i] = Float.intBitsToFloat((src.getShort(2 * i) & 0xffff) << 16);
                }
            }
            case F64 -> {
                for (int i = 0; i < n; i++) {
                    double d = src.getDouble(8 * i);
                    float f = (float) d;
                    if (Float.isInfinite(f) && !Double.isInfinite(d)) {
                        return offset + i;
                    }
                    dst[offset + i] = f;
                }
            }
            default -> throw new IllegalStateException(this + " is not decoded to float32");
        }
        return -1;
    }

    /** IEEE 754 binary16 to float32, exactly (every half value is a float). */
    static float halfToFloat(short h) {
        int bits = h & 0xffff;
        int sign = (bits & 0x8000) << 16;
        int exponent = (bits >>> 10) & 0x1f;
        int mantissa = bits & 0x3ff;
        if (exponent == 0x1f) {
            // infinity, or NaN with its payload kept
            return Float.intBitsToFloat(sign | 0x7f800000 | (mantissa << 13));
        }
        if (exponent == 0) {
            // zero or subnormal: mantissa * 2^-24, exact in float32
            float magnitude = mantissa * 0x1p-24f;
            return sign == 0 ? magnitude : -magnitude;
        }
        // rebias the exponent: 127 - 15 = 112
        return Float.intBitsToFloat(sign | ((exponent + 112) << 23) | (mantissa << 13));
    }
}
