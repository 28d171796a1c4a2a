package org.vitbench.models;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.vitbench.api.ForwardTrace;
import org.vitbench.api.Gradients;
import org.vitbench.api.TraceOptions;
import org.vitbench.api.contract.GcStress;
import org.vitbench.api.contract.GraphSafetyCheck;

/**
 * Gradients of the model are the same whether or not a garbage collection runs between forward and
 * backward (issue: freed Java scalars in the autograd graph). Every traced call is repeated under
 * {@link GcStress}, which forces a collection and reuses the freed memory right before the backward
 * pass, and must give the undisturbed gradients bit for bit: of the input, of every attention tap
 * and of every LayerNorm-1 tap, under each propagation switch.
 */
class GradientStressTest {

    /** Calls in all; a 1 % effect would show in 300 with probability 0.95, a forced one in every call. */
    private static final int CALLS = 300;

    private static final List<TraceOptions> SWITCHES = List.of(
            TraceOptions.NONE,
            TraceOptions.NONE.withDetachSoftmax(true).withDetachLayerNormStd(true),
            TraceOptions.NONE.withDetachLayerNormStd(true).withDetachLayerNormMean(true).withGeluIdentity(true),
            TraceOptions.NONE.withAttentionUniformSplit(true).withGeluIdentity(true).withDetachLayerNormStd(true),
            TraceOptions.NONE.withReadout(TraceOptions.Readout.CLS));

    @Test
    void gradientsAreUndisturbedByACollectionBeforeTheBackwardPass() {
        try (VisionTransformer model = TinyVit.create(3); NDManager m = NDManager.newBaseManager()) {
            NDArray images = TinyVit.images(m, TinyVit.CONFIG, 2, 9);
            GcStress stress = new GcStress();
            for (int call = 0; call < CALLS; call++) {
                TraceOptions o = SWITCHES.get(call % SWITCHES.size());
                int output = call % TinyVit.CONFIG.numClasses();
                List<float[]> calm = gradients(model, images, o, output);
                List<float[]> stressed = Gradients.withBeforeBackward(stress, () -> gradients(model, images, o, output));
                for (int i = 0; i < calm.size(); i++) {
                    assertArrayEquals(calm.get(i), stressed.get(i), "call " + call + " with " + o + ": gradient "
                            + i + " (0 = input, then attention taps, then LayerNorm-1 taps) changed");
                }
            }
            assertEquals(CALLS, stress.calls(), "every stressed call ran one backward pass");
        }
    }

    @Test
    void theModelsAndTrainersDoNoRawScalarArithmetic() {
        GraphSafetyCheck.assertClean(VisionTransformer.class);
    }

    /** Input, attention-tap and LayerNorm-1-tap gradients of {@code sum_b logit[b, output]} (or the first readout's). */
    private static List<float[]> gradients(VisionTransformer model, NDArray images, TraceOptions o, int output) {
        try (NDManager scope = images.getManager().newSubManager()) {
            NDArray x = images.duplicate();
            x.attach(scope);
            return Gradients.compute(c -> {
                ForwardTrace t = model.trace(x, o.withInputGradient(true).withAttentionGradTaps(true)
                        .withNorm1GradTaps(true));
                NDArray out = o.readout() == TraceOptions.Readout.NONE ? t.logits() : t.readouts().get(0);
                c.backward(out.get(":, " + output).sum());
                List<float[]> g = new ArrayList<>();
                g.add(t.input().getGradient().toFloatArray());
                t.attentionTaps().forEach(tap -> g.add(tap.getGradient().toFloatArray()));
                t.norm1Taps().forEach(tap -> g.add(tap.getGradient().toFloatArray()));
                return g;
            });
        }
    }
}
