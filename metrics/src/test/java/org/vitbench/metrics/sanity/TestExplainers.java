package org.vitbench.metrics.sanity;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Set;
import org.vitbench.api.Batches;
import org.vitbench.api.Context;
import org.vitbench.api.Explainer;
import org.vitbench.api.ExplainerInfo;
import org.vitbench.api.Family;
import org.vitbench.api.ForwardTrace;
import org.vitbench.api.Gradients;
import org.vitbench.api.Heatmaps;
import org.vitbench.api.ModelInfo;
import org.vitbench.api.Parameters;
import org.vitbench.api.Requirement;
import org.vitbench.api.Sample;
import org.vitbench.api.TraceOptions;
import org.vitbench.api.VitModel;

/** Two explainers of known model dependence for the randomisation tests. */
final class TestExplainers {

    private TestExplainers() {
    }

    /**
     * Adebayo's edge-detector control: per patch, the summed absolute differences of neighbouring
     * pixels inside it. Reads the model's patch grid only, never its weights.
     */
    static final class EdgeMap implements Explainer {

        @Override
        public ExplainerInfo info() {
            return new ExplainerInfo("edge-map", "Edge map", Family.BASELINE, Set.of(), false, "baseline");
        }

        @Override
        public Parameters parameters() {
            return Parameters.empty();
        }

        @Override
        public Heatmaps explain(Context context, List<Sample> batch, int[] targets) {
            ModelInfo info = context.model().info();
            int s = info.imageSize();
            int p = info.patchSize();
            float[][] maps = new float[batch.size()][info.numPatches()];
            for (int b = 0; b < batch.size(); b++) {
                float[] px = batch.get(b).image().pixels();
                for (int c = 0; c < info.channels(); c++) {
                    for (int y = 0; y < s; y++) {
                        for (int x = 0; x < s; x++) {
                            int i = c * s * s + y * s + x;
                            float dx = x + 1 < s ? Math.abs(px[i + 1] - px[i]) : 0;
                            float dy = y + 1 < s ? Math.abs(px[i + s] - px[i]) : 0;
                            maps[b][(y / p) * info.grid() + x / p] += dx + dy;
                        }
                    }
                }
            }
            return Heatmaps.of(info.grid(), maps);
        }
    }

    /**
     * Plain input gradients (Simonyan et al. 2014): per patch, the summed absolute gradient of the
     * target logit with respect to the patch's pixels. Records every model it was asked to explain.
     */
    static final class InputGradient implements Explainer {

        private final List<VitModel> seen = Collections.synchronizedList(new ArrayList<>());

        @Override
        public ExplainerInfo info() {
            return new ExplainerInfo("input-gradient", "Input gradient", Family.GRADIENT,
                    Set.of(Requirement.GRADIENTS), false, "Simonyan, Vedaldi & Zisserman 2014, arXiv 1312.6034");
        }

        @Override
        public Parameters parameters() {
            return Parameters.empty();
        }

        /** The models explained so far, in call order. */
        List<VitModel> seen() {
            return List.copyOf(seen);
        }

        @Override
        public Heatmaps explain(Context context, List<Sample> batch, int[] targets) {
            VitModel model = context.model();
            seen.add(model);
            ModelInfo info = model.info();
            int k = info.numClasses();
            float[] oneHot = new float[batch.size() * k];
            for (int b = 0; b < batch.size(); b++) {
                oneHot[b * k + targets[b]] = 1;
            }
            float[] gradients;
            try (NDManager scope = context.manager().newSubManager()) {
                NDArray images = Batches.images(scope, batch, info);
                NDArray select = scope.create(oneHot, new Shape(batch.size(), k));
                gradients = Gradients.compute(collector -> {
                    ForwardTrace trace = model.trace(images, TraceOptions.NONE.withInputGradient(true));
                    collector.backward(trace.logits().mul(select).sum()); // [B, K] -> the targets' logits summed
                    return trace.input().getGradient().toFloatArray();
                });
            }
            int c = info.channels();
            int s = info.imageSize();
            int p = info.patchSize();
            float[][] maps = new float[batch.size()][info.numPatches()];
            for (int b = 0; b < batch.size(); b++) {
                for (int ch = 0; ch < c; ch++) {
                    for (int y = 0; y < s; y++) {
                        for (int x = 0; x < s; x++) {
                            float g = gradients[((b * c + ch) * s + y) * s + x];
                            maps[b][(y / p) * info.grid() + x / p] += Math.abs(g);
                        }
                    }
                }
            }
            return Heatmaps.of(info.grid(), maps);
        }
    }
}
