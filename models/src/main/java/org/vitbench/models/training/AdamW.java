package org.vitbench.models.training;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDScope;
import java.util.LinkedHashMap;
import java.util.Map;
import org.vitbench.api.GraphConstants;

/**
 * AdamW (Loshchilov and Hutter 2019, arXiv 1711.05101) as {@code torch.optim.AdamW}: decoupled
 * weight decay {@code w -= lr * wd * w}, then the bias-corrected Adam step. Its moments are plain
 * named arrays so that a training state can be checkpointed and resumed exactly.
 *
 * <p>Not thread-safe; call {@link #beginStep} and {@link #update} with gradient recording off.
 */
public final class AdamW {

    private final double beta1;
    private final double beta2;
    private final double eps;
    private final NDManager manager;
    private final Map<String, NDArray> first = new LinkedHashMap<>();
    private final Map<String, NDArray> second = new LinkedHashMap<>();
    private long steps;

    public AdamW(NDManager manager, double beta1, double beta2, double eps) {
        this.manager = manager;
        this.beta1 = beta1;
        this.beta2 = beta2;
        this.eps = eps;
    }

    /** torch defaults: betas (0.9, 0.999), eps 1e-8. */
    public static AdamW withDefaults(NDManager manager) {
        return new AdamW(manager, 0.9, 0.999, 1e-8);
    }

    /** Increments the step counter; call once per optimisation step before the updates. */
    public void beginStep() {
        steps++;
    }

    public long steps() {
        return steps;
    }

    /**
     * Updates {@code weight} in place from {@code grad}.
     *
     * @param decay weight decay for this parameter (0 for biases, norms and embeddings, as timm)
     */
    public void update(String key, NDArray weight, NDArray grad, double lr, double decay) {
        NDArray m = first.computeIfAbsent(key, k -> persistent(manager.zeros(weight.getShape())));
        NDArray v = second.computeIfAbsent(key, k -> persistent(manager.zeros(weight.getShape())));
        m.muli(GraphConstants.scalar(m, beta1)).addi(GraphConstants.mul(grad, 1 - beta1));
        v.muli(GraphConstants.scalar(v, beta2)).addi(GraphConstants.mul(grad.square(), 1 - beta2));
        double c1 = 1 - Math.pow(beta1, steps);
        double c2 = 1 - Math.pow(beta2, steps);
        if (decay > 0) {
            weight.muli(GraphConstants.scalar(weight, 1 - lr * decay));
        }
        NDArray denominator = GraphConstants.div(v, c2).sqrt().add(eps);
        weight.subi(GraphConstants.mul(GraphConstants.div(m, c1).div(denominator), lr));
    }

    /** Moments outlive the {@link NDScope} of the step that creates them. */
    private static NDArray persistent(NDArray array) {
        NDScope.unregister(array);
        return array;
    }

    /** The moments, keyed {@code m.<key>} and {@code v.<key>}, for checkpoints. */
    public Map<String, NDArray> state() {
        Map<String, NDArray> state = new LinkedHashMap<>();
        first.forEach((k, a) -> state.put("m." + k, a));
        second.forEach((k, a) -> state.put("v." + k, a));
        return state;
    }

    /** Restores moments written by {@link #state()} and the step count. */
    public void restore(Map<String, NDArray> state, long stepCount) {
        state.forEach((k, a) -> {
            if (k.startsWith("m.")) {
                first.put(k.substring(2), a);
            } else if (k.startsWith("v.")) {
                second.put(k.substring(2), a);
            } else {
                throw new IllegalArgumentException("unexpected optimiser state key '" + k + "'");
            }
        });
        this.steps = stepCount;
    }
}
