package org.vitbench.api;

import ai.djl.ndarray.NDManager;
import java.util.Optional;

/**
 * What a method or metric gets for one batch.
 *
 * @param model the model to explain, or for a metric the evaluation model (for the ViT Shapley
 *     protocol, the surrogate)
 * @param seed the run seed; derive per-sample generators with {@link Seeds#of}
 * @param manager a scope for this batch; the caller closes it. Implementations return plain arrays
 *     and should leave no arrays attached to it (the contract test checks this)
 * @param progress receives progress of long calls
 * @param explained for a metric: the method that produced the heatmaps and the model it explained,
 *     so that sanity checks can explain again (for example on a randomised model); {@code null}
 *     when unknown, and always {@code null} for methods
 * @param memoryBudget bytes of activation memory one forward pass may use: methods and metrics that
 *     evaluate many inputs size their chunks from it (an explicit batch-size parameter is an upper
 *     bound); the runner derives it from the memory the run was given
 * @param evaluationModel the run's evaluation model (for the ViT Shapley protocol, the surrogate),
 *     or {@code null}: a method whose artifact was trained against it (ViT Shapley's explainer and
 *     its surrogate) uses it, on the run's device, instead of loading its own copy
 */
public record Context(VitModel model, long seed, NDManager manager, Progress progress, Explained explained,
        long memoryBudget, VitModel evaluationModel) {

    /** The activation budget when the caller gives none: 512 MiB. */
    public static final long DEFAULT_MEMORY_BUDGET = 512L << 20;

    public Context {
        if (memoryBudget <= 0) {
            throw new IllegalArgumentException("memory budget must be positive, got " + memoryBudget + " bytes");
        }
    }

    public Context(VitModel model, long seed, NDManager manager, Progress progress, Explained explained,
            long memoryBudget) {
        this(model, seed, manager, progress, explained, memoryBudget, null);
    }

    public Context(VitModel model, long seed, NDManager manager, Progress progress, Explained explained) {
        this(model, seed, manager, progress, explained, DEFAULT_MEMORY_BUDGET);
    }

    public Context(VitModel model, long seed, NDManager manager, Progress progress) {
        this(model, seed, manager, progress, null);
    }

    public Context(VitModel model, long seed, NDManager manager) {
        this(model, seed, manager, Progress.NONE);
    }

    /** The method behind a metric's heatmaps and the model it explained. */
    public record Explained(Explainer explainer, VitModel model) {
    }

    /** The method and model behind the heatmaps, when the caller told. */
    public Optional<Explained> explainedBy() {
        return Optional.ofNullable(explained);
    }

    /** This context, telling metrics which method explained which model. */
    public Context withExplained(Explainer explainer, VitModel explainedModel) {
        return new Context(model, seed, manager, progress, new Explained(explainer, explainedModel), memoryBudget,
                evaluationModel);
    }

    /** This context with another activation budget. */
    public Context withMemoryBudget(long bytes) {
        return new Context(model, seed, manager, progress, explained, bytes, evaluationModel);
    }

    /** This context, offering methods the run's evaluation model. */
    public Context withEvaluationModel(VitModel evaluation) {
        return new Context(model, seed, manager, progress, explained, memoryBudget, evaluation);
    }
}
