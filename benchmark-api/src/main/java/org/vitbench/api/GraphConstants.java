package org.vitbench.api;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;

/**
 * Arithmetic with Java numbers that is safe in a differentiated graph: every number becomes a 0-d
 * array whose memory the engine owns, so it lives exactly as long as the graph that needs it.
 *
 * <p><b>Why this exists.</b> DJL's PyTorch engine runs {@code x.mul(0.5)} by wrapping 0.5 in a
 * scalar array over a JVM direct buffer and closing that array at once. PyTorch keeps the scalar
 * for the backward pass of {@code mul}, {@code div}, {@code pow}, {@code maximum}, {@code minimum},
 * {@code clip} and {@link NDArray#scaleGradient} (which is made of {@code mul}), but not the buffer:
 * when a garbage collection runs between forward and backward, the buffer is freed and the
 * backward reads whatever the memory holds next. The gradient of {@code 0.5 * x} then comes back
 * 0.0 or infinite (pinned by {@code EngineScalarLifetimeTest} in this module's tests). An array that
 * the engine itself fills ({@link ai.djl.ndarray.NDManager#full}) is reference-counted by PyTorch
 * and stays valid for as long as any graph holds it, even after Java closes its handle.
 *
 * <p><b>Rules for code that runs inside {@link Gradients#compute}</b> (and for every model
 * forward, which may be differentiated):
 * <ul>
 *   <li>write {@code x.mul(c)} as {@code GraphConstants.mul(x, c)}; likewise {@link #div},
 *       {@link #pow}, {@link #maximum}, {@link #minimum}, {@link #clip}, {@link #scaleGradient};
 *       for any other op take a constant array from {@link #scalar};</li>
 *   <li>{@code add} and {@code sub} with a number and the comparisons ({@code eq}, {@code gt}, ...)
 *       are safe: their backward does not read the number;</li>
 *   <li>an array made from Java data ({@code manager.create(float[])}) is safe while it is open:
 *       never close it, or the manager that owns it, before the backward pass has run.</li>
 * </ul>
 * vitbench's own models, methods, metrics and trainers are checked at build time: a bytecode scan
 * ({@code GraphSafetyCheck} in the contract test-jar, which plug-ins can run on their own classes)
 * fails on any of the raw calls, and {@code ExplainerContract} explains with a forced garbage
 * collection before every backward pass and demands the undisturbed maps.
 *
 * <p>Constants take the data type of the array they meet (float types only) and are created on its
 * manager. Thread-safe: no state.
 */
public final class GraphConstants {

    private GraphConstants() {
    }

    /**
     * A 0-d array holding {@code value}, of {@code like}'s data type (exact for float64, rounded as
     * a cast for the others), on its manager and device, owned by the engine (never by a JVM buffer).
     */
    public static NDArray scalar(NDArray like, double value) {
        NDManager m = like.getManager();
        NDArray c;
        if (like.getDataType() == DataType.FLOAT64) {
            // full() takes a float: a double is added onto an engine-owned zero to stay exact; both
            // temporaries may close, the sum is the engine's own
            try (NDArray zero = m.zeros(new Shape(), DataType.FLOAT64); NDArray exact = m.create(value)) {
                c = zero.add(exact);
            }
        } else {
            c = m.full(new Shape(), (float) value, like.getDataType());
        }
        return c.getDevice().equals(like.getDevice()) ? c : c.toDevice(like.getDevice(), false);
    }

    /** {@code x * c}. */
    public static NDArray mul(NDArray x, double c) {
        return x.mul(scalar(x, c));
    }

    /** {@code x / c}. */
    public static NDArray div(NDArray x, double c) {
        return x.div(scalar(x, c));
    }

    /** {@code x ^ exponent}, element-wise. */
    public static NDArray pow(NDArray x, double exponent) {
        return x.pow(scalar(x, exponent));
    }

    /** {@code max(x, c)}, element-wise. */
    public static NDArray maximum(NDArray x, double c) {
        return x.maximum(scalar(x, c));
    }

    /** {@code min(x, c)}, element-wise. */
    public static NDArray minimum(NDArray x, double c) {
        return x.minimum(scalar(x, c));
    }

    /**
     * {@code min(max(x, low), high)}, element-wise. The gradient is 1 strictly inside the bounds and 0
     * outside; at a bound it is 1/2, the rule of {@code maximum} and {@code minimum} (a clamp passes 1).
     */
    public static NDArray clip(NDArray x, double low, double high) {
        if (!(low <= high)) {
            throw new IllegalArgumentException("clip needs low <= high, got " + low + " and " + high);
        }
        return x.maximum(scalar(x, low)).minimum(scalar(x, high));
    }

    /**
     * {@code x} in the forward pass; in the backward pass the gradient reaching {@code x} is
     * multiplied by {@code scale}: {@code x * scale + stop(x) * (1 - scale)}, as
     * {@link NDArray#scaleGradient} computes it, with engine-owned constants.
     */
    public static NDArray scaleGradient(NDArray x, double scale) {
        return mul(x, scale).add(mul(x.stopGradient(), 1 - scale));
    }
}
