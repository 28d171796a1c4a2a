package org.vitbench.methods.perturbation;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import java.util.List;
import java.util.Locale;
import org.vitbench.api.Batches;
import org.vitbench.api.Context;
import org.vitbench.api.Heatmaps;
import org.vitbench.api.ModelInfo;
import org.vitbench.api.Parameter;
import org.vitbench.api.Progress;
import org.vitbench.api.Removal;
import org.vitbench.api.Removal.PixelBaseline;
import org.vitbench.api.Sample;
import org.vitbench.models.masking.MaskedEvaluator;
import org.vitbench.models.masking.MaskedEvaluator.Output;

/**
 * What the perturbation methods share: the declared parameters for the explained output, the pixel
 * baseline and the batch size, and the per-image loop that turns per-class patch maps into {@link Heatmaps}.
 */
final class Perturbation {

    static final String OUTPUT = "output";
    static final String REMOVAL = "removal";
    static final String BATCH_SIZE = "batchSize";

    /** The explained output, defaulting to the softmax probability. */
    static final Parameter<Output> OUTPUT_PARAMETER = Parameter.oneOf(OUTPUT, Output.PROBABILITIES,
            List.of(Output.LOGITS, Output.PROBABILITIES), Perturbation::outputId,
            "the explained output: logit (pre-softmax) or probability (softmax)");

    /** What removed pixels are blended with, defaulting to the normalisation mean. */
    static final Parameter<PixelBaseline> BASELINE_PARAMETER = Parameter.oneOf("baseline", PixelBaseline.MEAN,
            List.of(PixelBaseline.MEAN, PixelBaseline.ZERO, PixelBaseline.BLUR),
            b -> b.name().toLowerCase(Locale.ROOT), "what removed pixels are blended with: mean, zero or blur");

    /** Masked copies per forward pass. */
    static final Parameter<Integer> BATCH_SIZE_PARAMETER = Parameter.integer(BATCH_SIZE, 0, 0,
            MaskedEvaluator.MAX_BATCH_SIZE, "masked copies per forward pass; 0 sizes them from the memory budget");

    private Perturbation() {
    }

    /** One image's maps: {@code [K][P]}, one patch map per class. */
    interface PerImage {
        double[][] explain(NDArray image, Sample sample, int target, Progress progress);
    }

    /** The parameter value of {@code output}. */
    static String outputId(Output output) {
        return output == Output.LOGITS ? "logit" : "probability";
    }

    /**
     * An evaluator with {@code batchSize} copies per pass, or (0) as many as the context's memory
     * budget holds; a given size is lowered to fit the budget too.
     */
    static MaskedEvaluator evaluator(Removal removal, int batchSize, Context context) {
        return MaskedEvaluator.within(removal, batchSize > 0 ? batchSize : MaskedEvaluator.MAX_BATCH_SIZE,
                context.model().info(), context.memoryBudget());
    }

    /**
     * Explains each sample alone (so a sample's map never depends on its batch) and collects the
     * per-class maps.
     *
     * @param perImage maps of one image {@code [1, C, S, S]}; {@code [K][P]}
     */
    static Heatmaps explainEach(Context context, List<Sample> batch, int[] targets, PerImage perImage) {
        ModelInfo info = context.model().info();
        if (targets.length != batch.size()) {
            throw new IllegalArgumentException(targets.length + " targets for " + batch.size() + " samples");
        }
        float[][][] perClass = new float[batch.size()][][];
        for (int b = 0; b < batch.size(); b++) {
            int index = b;
            Progress progress = (done, total) -> context.progress().update(index * total + done,
                    (long) batch.size() * total);
            try (NDManager scope = context.manager().newSubManager()) {
                NDArray image = Batches.images(scope, List.of(batch.get(b)), info); // [1, C, S, S]
                double[][] maps = perImage.explain(image, batch.get(b), targets[b], progress);
                perClass[b] = new float[maps.length][];
                for (int k = 0; k < maps.length; k++) {
                    perClass[b][k] = Grids.toFloat(maps[k]);
                }
            }
        }
        return Heatmaps.ofAllClasses(info.grid(), perClass, targets);
    }
}
