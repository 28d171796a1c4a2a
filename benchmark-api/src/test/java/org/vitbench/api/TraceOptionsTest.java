package org.vitbench.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.vitbench.api.TraceOptions.Readout;
import org.vitbench.api.contract.FakeVitModel;

/** {@link TraceOptions}: every {@code withX} changes its own component only; readouts (S10) default off. */
class TraceOptionsTest {

    @Test
    void readoutsAreOffByDefault() {
        assertEquals(Readout.NONE, TraceOptions.NONE.readout());
        assertThrows(NullPointerException.class, () -> TraceOptions.NONE.withReadout(null));
    }

    @Test
    void everyWitherSetsItsOwnComponentAndKeepsTheOthers() {
        TraceOptions all = TraceOptions.NONE.withAttention(true).withTokens(true).withAttentionGradTaps(true)
                .withNorm1GradTaps(true).withInputGradient(true).withDetachSoftmax(true)
                .withDetachLayerNormStd(true).withDetachLayerNormMean(true).withGeluIdentity(true)
                .withReadout(Readout.TOKEN_MEAN);
        assertEquals(new TraceOptions(true, true, true, true, true, true, true, true, true, false,
                Readout.TOKEN_MEAN), all);
        // each wither applied last must not reset the readout or any flag set before it
        assertEquals(Readout.TOKEN_MEAN, all.withAttention(false).readout());
        assertEquals(Readout.TOKEN_MEAN, all.withDetachSoftmax(false).withAttentionUniformSplit(true).readout());
        assertTrue(all.withReadout(Readout.CLS).geluIdentity());
        assertEquals(Readout.CLS, all.withReadout(Readout.CLS).readout());
        TraceOptions split = TraceOptions.NONE.withAttentionUniformSplit(true).withReadout(Readout.CLS);
        assertTrue(split.attentionUniformSplit());
        assertThrows(IllegalArgumentException.class, () -> split.withDetachSoftmax(true));
    }

    @Test
    void aTraceWithoutReadoutsHasAnEmptyList() {
        try (NDManager m = NDManager.newBaseManager()) {
            NDArray x = m.zeros(new ai.djl.ndarray.types.Shape(1, 2));
            assertEquals(List.of(), new ForwardTrace(x, List.of(), List.of(), List.of(), List.of(), List.of(), x)
                    .readouts());
        }
    }

    @Test
    void theFakeModelRefusesReadouts() {
        ModelInfo info = FakeVitModel.info(2, 2, 1, 1, 3);
        try (FakeVitModel model = FakeVitModel.of(info, keep -> new float[3]);
                NDManager scope = model.manager().newSubManager()) {
            NDArray images = Batches.images(scope, FakeVitModel.randomSamples(info, 1, 1L), info);
            assertEquals(0, model.trace(images, TraceOptions.NONE).readouts().size());
            for (Readout r : new Readout[] {Readout.CLS, Readout.TOKEN_MEAN}) {
                UnsupportedOperationException e = assertThrows(UnsupportedOperationException.class,
                        () -> model.trace(images, TraceOptions.NONE.withReadout(r)));
                assertTrue(e.getMessage().contains("readouts"), e.getMessage());
            }
        }
    }
}
