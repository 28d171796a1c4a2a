package org.vitbench.metrics.robustness;

import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import org.vitbench.api.Context;
import org.vitbench.api.Explainer;
import org.vitbench.api.ExplainerInfo;
import org.vitbench.api.Family;
import org.vitbench.api.Heatmaps;
import org.vitbench.api.ModelInfo;
import org.vitbench.api.Parameters;
import org.vitbench.api.Sample;

/**
 * The explanation of {@code sensitivity_reference.py}: per patch, the sum over channels and pixels
 * of the squared normalised input {@code ((x - mean_c) / std_c)^2}. Records the sample ids it was
 * asked to explain.
 */
final class SquaredPatchSums implements Explainer {

    final List<String> ids = new CopyOnWriteArrayList<>();

    @Override
    public ExplainerInfo info() {
        return new ExplainerInfo("squared-patch-sums", "Squared patch sums", Family.BASELINE, Set.of(), false, "test");
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
        float[] mean = info.preprocessing().mean();
        float[] std = info.preprocessing().std();
        float[][] maps = new float[batch.size()][info.numPatches()];
        for (int b = 0; b < batch.size(); b++) {
            ids.add(batch.get(b).id());
            float[] px = batch.get(b).image().pixels();
            for (int c = 0; c < info.channels(); c++) {
                for (int y = 0; y < s; y++) {
                    for (int x = 0; x < s; x++) {
                        double v = (px[c * s * s + y * s + x] - mean[c]) / std[c];
                        maps[b][(y / p) * info.grid() + x / p] += (float) (v * v);
                    }
                }
            }
        }
        return Heatmaps.of(info.grid(), maps);
    }
}
