package org.vitbench.methods.baseline;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.apache.commons.rng.UniformRandomProvider;
import org.apache.commons.rng.simple.RandomSource;
import org.junit.jupiter.api.Test;
import org.vitbench.api.ConfigurationException;
import org.vitbench.api.Explainer;
import org.vitbench.api.Heatmaps;
import org.vitbench.api.ModelInfo;
import org.vitbench.api.Parameters;
import org.vitbench.api.Sample;
import org.vitbench.api.Seeds;
import org.vitbench.api.VitModel;
import org.vitbench.api.contract.ExplainerContract;
import org.vitbench.api.contract.FakeVitModel;

/** The random baseline: seeded per sample, independent of batch composition and target. */
class RandomBaselineTest extends ExplainerContract {

    private static final ModelInfo INFO = FakeVitModel.info(3, 2, 1, 1, 3);

    @Override
    protected Explainer explainer() {
        return new RandomBaseline();
    }

    @Override
    protected VitModel createModel() {
        return FakeVitModel.of(INFO, keep -> new float[] {keep[0], keep[1], keep[2]});
    }

    @Override
    protected List<Sample> samples(VitModel model) {
        return FakeVitModel.randomSamples(model.info(), 4, 5L);
    }

    @Override
    protected boolean isRandomised() {
        return true;
    }

    @Test
    void eachMapIsTheSampleGeneratorsFirstDraws() {
        List<Sample> samples = samples(model());
        Heatmaps maps = explain(samples, new int[4], SEED);
        for (int b = 0; b < samples.size(); b++) {
            UniformRandomProvider rng =
                    RandomSource.XO_RO_SHI_RO_128_PP.create(Seeds.of(SEED, samples.get(b).id(), "random"));
            float[] expected = new float[INFO.numPatches()];
            for (int i = 0; i < expected.length; i++) {
                expected[i] = rng.nextFloat();
            }
            assertArrayEquals(expected, maps.target()[b], 0f, "sample " + b);
            for (float v : maps.target()[b]) {
                assertTrue(v >= 0f && v < 1f, "value " + v + " outside [0, 1)");
            }
        }
    }

    @Test
    void aSamplesMapDoesNotDependOnItsBatchOrPosition() {
        List<Sample> samples = samples(model());
        Heatmaps all = explain(samples, new int[4], SEED);
        Heatmaps reordered = explain(List.of(samples.get(3), samples.get(1)), new int[2], SEED);
        assertArrayEquals(all.target()[3], reordered.target()[0], 0f);
        assertArrayEquals(all.target()[1], reordered.target()[1], 0f);
    }

    @Test
    void samplesGetDifferentMapsAndTheTargetIsIgnored() {
        List<Sample> samples = samples(model());
        Heatmaps maps = explain(samples, new int[] {0, 0, 0, 0}, SEED);
        assertFalse(Arrays.equals(maps.target()[0], maps.target()[1]), "two samples share a map");
        assertEquals(maps, explain(samples, new int[] {1, 2, 0, 1}, SEED));
        assertNotEquals(maps, explain(samples, new int[4], SEED + 1));
    }

    @Test
    void takesNoParameters() {
        assertEquals(Map.of(), new RandomBaseline().parameters().asMap());
        assertThrows(ConfigurationException.class, () -> RandomBaseline.DECLARATION
                .create(Parameters.of(RandomBaseline.ID, Map.of("seed", "3"))));
    }
}
