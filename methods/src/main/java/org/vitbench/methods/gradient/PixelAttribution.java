package org.vitbench.methods.gradient;

import ai.djl.ndarray.NDManager;
import java.util.List;
import org.vitbench.api.Batches;
import org.vitbench.api.Context;
import org.vitbench.api.Heatmaps;
import org.vitbench.api.ModelInfo;
import org.vitbench.api.Sample;
import org.vitbench.api.VitModel;

/**
 * A gradient method that attributes to input pixels; what {@link SmoothGrad} wraps. The pixel map
 * is computed for whatever images it is given (clean or noisy), then summed to patches by the
 * method's {@link Aggregation}.
 */
interface PixelAttribution extends org.vitbench.api.Explainer {

    /**
     * The pixel attribution of each row for its target class.
     *
     * @param model the model
     * @param scope a scope for native memory; implementations leave nothing attached to it
     * @param images {@code [M, C, S, S]} flattened, channel-major per row; values need not be in [0, 1]
     * @param targets {@code [M]} classes
     * @param memoryBudget bytes of activations one forward/backward pass may hold; passes shrink
     *     below {@link #batchSize} to fit it
     * @return {@code [M, C, S, S]} flattened
     */
    float[] attribute(VitModel model, NDManager scope, float[] images, int[] targets, long memoryBudget);

    /** {@link #attribute(VitModel, NDManager, float[], int[], long)} within the default budget. */
    default float[] attribute(VitModel model, NDManager scope, float[] images, int[] targets) {
        return attribute(model, scope, images, targets, Context.DEFAULT_MEMORY_BUDGET);
    }

    /** Model inputs per forward/backward pass. */
    int batchSize();

    /** Model inputs needed per image (Integrated Gradients: its steps). */
    default int inputsPerImage() {
        return 1;
    }

    /** How the pixel map is summed to patches. */
    Aggregation aggregation();

    /** {@link org.vitbench.api.Explainer#explain} for a pixel method: attribute the clean images, then aggregate. */
    static Heatmaps explain(PixelAttribution method, Context context, List<Sample> batch, int[] targets) {
        ModelInfo info = context.model().info();
        InputGradients.checkTargets(targets, batch.size(), info.numClasses());
        if (batch.isEmpty()) {
            return Heatmaps.of(info.grid(), new float[0][]);
        }
        try (NDManager scope = context.manager().newSubManager()) {
            float[] images = Batches.images(scope, batch, info).toFloatArray();
            float[] pixels = method.attribute(context.model(), scope, images, targets, context.memoryBudget());
            return Heatmaps.of(info.grid(), method.aggregation().toPatches(pixels, batch.size(), info));
        }
    }
}
