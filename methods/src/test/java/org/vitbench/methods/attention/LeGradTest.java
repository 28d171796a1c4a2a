package org.vitbench.methods.attention;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.vitbench.api.ConfigurationException;
import org.vitbench.api.ModelInfo;
import org.vitbench.api.Parameters;
import org.vitbench.api.VitModel;
import org.vitbench.models.TinyVit;

/** LeGrad's per-layer map, aggregation, scaling and layer selection against hand-computed values. */
class LeGradTest {

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
}
