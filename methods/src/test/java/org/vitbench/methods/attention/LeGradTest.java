package org.vitbench.methods.attention;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.vitbench.api.Batches;
import org.vitbench.api.ConfigurationException;
import org.vitbench.api.Context;
import org.vitbench.api.ForwardTrace;
import org.vitbench.api.Gradients;
import org.vitbench.api.ModelInfo;
import org.vitbench.api.Parameters;
import org.vitbench.api.Sample;
import org.vitbench.api.TraceOptions;
import org.vitbench.api.VitModel;
import org.vitbench.api.contract.FakeVitModel;
import org.vitbench.models.TinyVit;

/**
 * LeGrad's per-layer map, aggregation, scaling, layer selection and readouts against
 * hand-computed values and independently assembled gradients on the tiny ViT.
 */
class LeGradTest {

    private static final int[] TARGETS = {0, 2, 1};

    // Maps that differ in method differ by far more than this on the tiny ViT (min-max scaled to [0, 1]).
    private static final double DIFFERENT = 1e-2;

    // sums of six exact decimals divided by 6 in float32; a wrong mean (e.g. over heads only) is off by > 0.1
    private static final float EPS = 1e-6f;

    // [B=1, H=2, N=3] gradients. relu: head 0 [[1,0,3],[0,4,0],[2,2,2]], head 1 [[0,2,1],[0,0,0],[0,1,5]].
    // Mean over 2 heads x 3 queries of key columns 1 and 2: (0+4+2+2+0+1)/6 = 1.5, (3+0+2+1+0+5)/6 = 11/6.
    private static final float[] G = {1, -2, 3, 0, 4, -1, 2, 2, 2, -1, 2, 1, 0, 0, 0, -3, 1, 5};

    @Test
    void layerMapIsTheHeadAndQueryMeanOfThePositiveGradientOverPatchKeys() {
        try (NDManager m = NDManager.newBaseManager()) {
            NDArray map = LeGrad.layerMap(m.create(G, new Shape(1, 2, 3, 3)));
            assertEquals(new Shape(1, 2), map.getShape());
            assertArrayEquals(new float[] {1.5f, 11f / 6}, map.toFloatArray(), EPS);
        }
    }

    @Test
    void layersAreSummedThenMinMaxScaled() {
        try (NDManager m = NDManager.newBaseManager()) {
            NDArray constant = m.full(new Shape(1, 2, 3, 3), .6f);
            NDArray negative = m.full(new Shape(1, 2, 3, 3), -5f); // relu removes it entirely
            NDArray sum = LeGrad.aggregate(List.of(m.create(G, new Shape(1, 2, 3, 3)), constant, negative));
            assertArrayEquals(new float[] {2.1f, 11f / 6 + .6f}, sum.toFloatArray(), EPS);
        }
        float[][] scaled = LeGrad.minMax(new float[][] {{2, 4, 3}, {7, 7, 7}});
        assertArrayEquals(new float[] {0, 1, .5f}, scaled[0], EPS);
        assertArrayEquals(new float[] {0, 0, 0}, scaled[1], 0f, "a constant map has no range and becomes 0");
    }

    @Test
    void layerSelection() {
        try (VitModel model = TinyVit.create(1)) {
            ModelInfo info = model.info(); // depth 2
            assertArrayEquals(new int[] {0, 1}, new LeGrad().blocks(info), "default: the last two blocks");
            assertArrayEquals(new int[] {1}, new LeGrad("-1").blocks(info));
            assertArrayEquals(new int[] {0, 1}, new LeGrad("all").blocks(info));
            assertArrayEquals(new int[] {0, 1}, new LeGrad("1, 0").blocks(info));
            assertThrows(ConfigurationException.class, () -> new LeGrad("2").blocks(info));
            assertThrows(ConfigurationException.class, () -> new LeGrad("-3").blocks(info));
            assertThrows(ConfigurationException.class, () -> new LeGrad("0,-2").blocks(info));
        }
        assertThrows(ConfigurationException.class, () -> new LeGrad("last"));
        assertEquals("-2,-1", new LeGrad().parameters().asMap().get("layers"));
        assertEquals("1,0", LeGrad.create(Parameters.of("legrad", Map.of("layers", "1, 0"))).parameters()
                .asMap().get("layers"));
        assertThrows(ConfigurationException.class,
                () -> LeGrad.create(Parameters.of("legrad", Map.of("layer", "1"))));
    }

    @Test
    void readoutParameter() {
        assertEquals(Map.of("layers", "-2,-1", "readout", "token-mean"), new LeGrad().parameters().asMap(),
                "default: the reference's token-mean readout");
        assertEquals("cls", LeGrad.create(Parameters.of("legrad", Map.of("readout", "cls"))).parameters()
                .asMap().get("readout"));
        assertEquals("final", new LeGrad("all", "final").parameters().asMap().get("readout"));
        ConfigurationException e = assertThrows(ConfigurationException.class, () -> new LeGrad("-1", "mean"));
        assertTrue(e.getMessage().contains("token-mean, cls, final"), e.getMessage());
    }

    @Test
    void eachBlockIsDifferentiatedFromItsOwnReadoutInItsOwnBackward() {
        for (TraceOptions.Readout pool : new TraceOptions.Readout[] {TraceOptions.Readout.TOKEN_MEAN,
                TraceOptions.Readout.CLS}) {
            String id = pool == TraceOptions.Readout.CLS ? "cls" : "token-mean";
            try (VitModel model = TinyVit.create(3)) {
                List<Sample> samples = FakeVitModel.randomSamples(model.info(), 3, 11L);
                float[][] actual = explain(model, new LeGrad("all", id), samples);
                float[][] ownBackwards;
                float[][] oneBackwardOfTheSum;
                try (NDManager m = model.manager().newSubManager()) {
                    NDArray images = Batches.images(m, samples, model.info());
                    List<NDArray> own = new ArrayList<>();
                    for (int l = 0; l < model.info().depth(); l++) {
                        int block = l;
                        own.add(Gradients.compute(c -> {
                            ForwardTrace t = trace(model, images, pool);
                            c.backward(targetScore(t.readouts().get(block)));
                            return t.attentionTaps().get(block).getGradient();
                        }));
                    }
                    ownBackwards = LeGrad.minMax(Batches.rows(LeGrad.aggregate(own)));
                    // The shortcut the reference rules out: one backward of sum_l s_l leaks d s_1 / d A_0 in.
                    List<NDArray> leaky = Gradients.compute(c -> {
                        ForwardTrace t = trace(model, images, pool);
                        c.backward(targetScore(t.readouts().get(0)).add(targetScore(t.readouts().get(1))));
                        return List.of(t.attentionTaps().get(0).getGradient(), t.attentionTaps().get(1).getGradient());
                    });
                    oneBackwardOfTheSum = LeGrad.minMax(Batches.rows(LeGrad.aggregate(leaky)));
                }
                for (int b = 0; b < samples.size(); b++) {
                    // Same native ops in the same order as the method, so equal up to float rounding at most.
                    assertArrayEquals(ownBackwards[b], actual[b], 1e-6f, id + ", sample " + b);
                }
                assertTrue(maxAbsDiff(oneBackwardOfTheSum, actual) > DIFFERENT,
                        id + ": one backward of the summed readouts must give a different map");
            }
        }
    }

    @Test
    void tokenMeanReadoutDiffersFromTheFinalLogit() {
        try (VitModel model = TinyVit.create(3)) {
            List<Sample> samples = FakeVitModel.randomSamples(model.info(), 3, 11L);
            float[][] tokenMean = explain(model, new LeGrad(), samples);
            float[][] last = explain(model, new LeGrad(LeGrad.DEFAULT_LAYERS, "final"), samples);
            assertTrue(maxAbsDiff(tokenMean, last) > DIFFERENT, "token-mean and final readouts coincide");
        }
    }

    @Test
    void theClsReadoutOfTheLastBlockAloneIsTheFinalLogit() {
        try (VitModel model = TinyVit.create(3)) {
            List<Sample> samples = FakeVitModel.randomSamples(model.info(), 3, 11L);
            float[][] cls = explain(model, new LeGrad("-1", "cls"), samples);
            float[][] last = explain(model, new LeGrad("-1", "final"), samples);
            for (int b = 0; b < samples.size(); b++) {
                // The last CLS readout is computed by the model's own head code: identical ops, identical bits.
                assertArrayEquals(last[b], cls[b], 0f, "sample " + b);
            }
            float[][] clsAll = explain(model, new LeGrad("all", "cls"), samples);
            float[][] finalAll = explain(model, new LeGrad("all", "final"), samples);
            assertTrue(maxAbsDiff(clsAll, finalAll) > DIFFERENT,
                    "below the last block the CLS readout is not the final logit");
        }
    }

    private static ForwardTrace trace(VitModel model, NDArray images, TraceOptions.Readout pool) {
        return model.trace(images, TraceOptions.NONE.withAttentionGradTaps(true).withReadout(pool));
    }

    /** sum_b readout[b, TARGETS[b]] for a [3, K] readout. */
    private static NDArray targetScore(NDArray readout) {
        NDArray s = readout.get(0, TARGETS[0]);
        for (int b = 1; b < TARGETS.length; b++) {
            s = s.add(readout.get(b, TARGETS[b]));
        }
        return s;
    }

    private static float[][] explain(VitModel model, LeGrad method, List<Sample> samples) {
        try (NDManager m = model.manager().newSubManager()) {
            return method.explain(new Context(model, 1L, m), samples, TARGETS).target();
        }
    }

    private static double maxAbsDiff(float[][] a, float[][] b) {
        double max = 0;
        for (int i = 0; i < a.length; i++) {
            for (int j = 0; j < a[i].length; j++) {
                max = Math.max(max, Math.abs(a[i][j] - b[i][j]));
            }
        }
        return max;
    }
}
