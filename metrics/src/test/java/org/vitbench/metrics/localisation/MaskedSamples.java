package org.vitbench.metrics.localisation;

import java.util.ArrayList;
import java.util.List;
import org.vitbench.api.ModelInfo;
import org.vitbench.api.Sample;
import org.vitbench.api.contract.FakeVitModel;

/** Random images with rectangular ground-truth masks, for the contract and the toy tests. */
final class MaskedSamples {

    private MaskedSamples() {
    }

    /**
     * {@code count} samples of {@link FakeVitModel#randomSamples} (ids {@code s0, s1, ...}); sample
     * {@code i} has a mask of 1 on the rectangle of rows and columns {@code [i % 3, i % 3 + S / 2)}.
     */
    static List<Sample> of(ModelInfo info, int count, long seed) {
        int s = info.imageSize();
        List<Sample> samples = new ArrayList<>();
        for (Sample plain : FakeVitModel.randomSamples(info, count, seed)) {
            int i = samples.size();
            float[] mask = new float[s * s];
            for (int y = i % 3; y < Math.min(s, i % 3 + s / 2); y++) {
                for (int x = i % 3; x < Math.min(s, i % 3 + s / 2); x++) {
                    mask[y * s + x] = 1f;
                }
            }
            samples.add(new Sample(plain.id(), plain.label(), plain.image(), mask));
        }
        return List.copyOf(samples);
    }

    /** {@code plain} with {@code mask}. */
    static Sample withMask(Sample plain, float[] mask) {
        return new Sample(plain.id(), plain.label(), plain.image(), mask);
    }
}
