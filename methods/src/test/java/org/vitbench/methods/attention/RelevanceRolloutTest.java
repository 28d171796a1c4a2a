package org.vitbench.methods.attention;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The shared rollout and rule 5 on hand-built matrices, with values computed by hand. */
class RelevanceRolloutTest {

    // float32 products of a few exact decimals: far below any wrong-formula difference (>= 0.05 here)
    private static final float EPS = 1e-6f;

    private NDManager m;

    @BeforeEach
    void open() {
        m = NDManager.newBaseManager();
    }

    @AfterEach
    void close() {
        m.close();
    }

    private NDArray matrices(int b, int n, float... values) {
        return m.create(values, new Shape(b, n, n));
    }

    @Test
    void zeroAttentionLeavesTheIdentity() {
        NDArray zero = m.zeros(new Shape(1, 3, 3));
        NDArray r = RelevanceRollout.rollout(List.of(zero, zero), 0);
        assertArrayEquals(new float[] {1, 0, 0, 0, 1, 0, 0, 0, 1}, r.toFloatArray(), EPS);
        assertArrayEquals(new float[] {0, 0}, RelevanceRollout.clsRow(r)[0], EPS);
    }

    @Test
    void identityAttentionScalesTheIdentityWithoutRowNormalisation() {
        NDArray eye = m.eye(3).reshape(1, 3, 3);
        // (I + I)(I + I) = 4I: no row normalisation, and the CLS row has no patch mass.
        NDArray r = RelevanceRollout.rollout(List.of(eye, eye), 0);
        assertArrayEquals(new float[] {4, 0, 0, 0, 4, 0, 0, 0, 4}, r.toFloatArray(), EPS);
        assertArrayEquals(new float[] {0, 0}, RelevanceRollout.clsRow(r)[0], EPS);
    }

    @Test
    void uniformAttentionGivesAUniformClsRow() {
        float t = 1f / 3;
        NDArray uniform = matrices(1, 3, t, t, t, t, t, t, t, t, t);
        // I + J/3: the CLS row over patches is 1/3 everywhere.
        assertArrayEquals(new float[] {t, t}, RelevanceRollout.clsRow(RelevanceRollout.rollout(List.of(uniform), 0))[0], EPS);
    }

    @Test
    void handComputedThreeTokenExample() {
        // Image 0: Ā_0 = [[.5,.5,0],[0,0,0],[0,0,0]], Ā_1 = [[0,0,1],[0,0,0],[0,1,0]].
        //   R_0 = I + Ā_0 = [[1.5,.5,0],[0,1,0],[0,0,1]]; Ā_1 R_0 = [[0,0,1],[0,0,0],[0,1,0]]
        //   R_1 = [[1.5,.5,1],[0,1,0],[0,1,1]]; CLS row over patches = [.5, 1].
        // Image 1: Ā_0 = 0, Ā_1 = [[0,2,0],[0,0,0],[0,0,0]] -> R = I + Ā_1, CLS patches [2, 0].
        NDArray a0 = matrices(2, 3, .5f, .5f, 0, 0, 0, 0, 0, 0, 0, /* image 1 */ 0, 0, 0, 0, 0, 0, 0, 0, 0);
        NDArray a1 = matrices(2, 3, 0, 0, 1, 0, 0, 0, 0, 1, 0, /* image 1 */ 0, 2, 0, 0, 0, 0, 0, 0, 0);
        NDArray r = RelevanceRollout.rollout(List.of(a0, a1), 0);
        assertArrayEquals(new float[] {1.5f, .5f, 1, 0, 1, 0, 0, 1, 1, /* image 1 */ 1, 2, 0, 0, 1, 0, 0, 0, 1},
                r.toFloatArray(), EPS);
        float[][] cls = RelevanceRollout.clsRow(r);
        assertArrayEquals(new float[] {.5f, 1}, cls[0], EPS);
        assertArrayEquals(new float[] {2, 0}, cls[1], EPS);
        // startLayer = 1 skips Ā_0: R = I + Ā_1, CLS row over patches [0, 1] for image 0.
        assertArrayEquals(new float[] {0, 1}, RelevanceRollout.clsRow(RelevanceRollout.rollout(List.of(a0, a1), 1))[0], EPS);
    }

    @Test
    void positiveHeadMeanClampsEachHeadBeforeAveraging() {
        // [B=1, H=2, N=2]. Head 0: G ⊙ A = [[.5,-.5],[.5,.375]] -> clamp [[.5,0],[.5,.375]].
        // Head 1: G ⊙ A = [[-.2,2.7],[1,0]] -> clamp [[0,2.7],[1,0]]. Mean: [[.25,1.35],[.75,.1875]].
        // Clamping after the mean would give .15 at [0,0] and .1 at [0,1] instead.
        NDArray g = m.create(new float[] {1, -1, 2, .5f, -2, 3, 1, 1}, new Shape(1, 2, 2, 2));
        NDArray a = m.create(new float[] {.5f, .5f, .25f, .75f, .1f, .9f, 1, 0}, new Shape(1, 2, 2, 2));
        assertArrayEquals(new float[] {.25f, 1.35f, .75f, .1875f},
                RelevanceRollout.positiveHeadMean(g, a).toFloatArray(), EPS);
    }

    @Test
    void genericAttentionRulesOnHandBuiltGradientsAndAttention() {
        // GAE per block is positiveHeadMean(G, A) then the rollout. [B=1, H=2, N=3], one block:
        // head 0 A row 0 = [.2,.3,.5], G row 0 = [1,2,-1] -> [.2,.6,-.5] -> [.2,.6,0]
        // head 1 A row 0 = [.4,.4,.2], G row 0 = [0,-1,3] -> [0,-.4,.6] -> [0,0,.6]
        // other rows have G = 0. Ā row 0 = [.1,.3,.3]; R = I + Ā, CLS over patches = [.3,.3].
        float[] a = {.2f, .3f, .5f, .1f, .8f, .1f, .3f, .3f, .4f, .4f, .4f, .2f, .6f, .2f, .2f, .5f, .25f, .25f};
        float[] g = {1, 2, -1, 0, 0, 0, 0, 0, 0, 0, -1, 3, 0, 0, 0, 0, 0, 0};
        NDArray fused = RelevanceRollout.positiveHeadMean(m.create(g, new Shape(1, 2, 3, 3)),
                m.create(a, new Shape(1, 2, 3, 3)));
        assertArrayEquals(new float[] {.3f, .3f}, RelevanceRollout.clsRow(RelevanceRollout.rollout(List.of(fused), 0))[0], EPS);
    }

    @Test
    void badShapesAndStartFail() {
        NDArray a = m.zeros(new Shape(1, 3, 3));
        assertThrows(IllegalArgumentException.class, () -> RelevanceRollout.rollout(List.of(a), 1));
        assertThrows(IllegalArgumentException.class,
                () -> RelevanceRollout.rollout(List.of(a, m.zeros(new Shape(1, 2, 2))), 0));
        assertThrows(IllegalArgumentException.class,
                () -> RelevanceRollout.positiveHeadMean(m.zeros(new Shape(1, 2, 3, 3)), m.zeros(new Shape(1, 1, 3, 3))));
    }
}
