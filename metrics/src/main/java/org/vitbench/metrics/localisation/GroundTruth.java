package org.vitbench.metrics.localisation;

import java.util.Arrays;
import java.util.List;
import org.vitbench.api.ConfigurationException;
import org.vitbench.api.Heatmaps;
import org.vitbench.api.ModelInfo;
import org.vitbench.api.Sample;
import org.vitbench.metrics.internal.Inputs;

/** The inputs every localisation metric shares: checked masks and pixel-resolution maps. */
final class GroundTruth {

    private GroundTruth() {
    }

    /**
     * Checks the batch as {@link Inputs#check} does and that every sample has a mask at the model's
     * input size.
     *
     * @throws ConfigurationException naming the first sample without a mask and the metric
     * @throws IllegalArgumentException for the problems {@link Inputs#check} reports, or a mask of
     *     the wrong size
     */
    static void check(String metricId, ModelInfo info, List<Sample> batch, int[] targets, Heatmaps heatmaps) {
        Inputs.check(info, batch, targets, heatmaps);
        int pixels = info.imageSize() * info.imageSize();
        for (Sample sample : batch) {
            if (sample.mask() == null) {
                throw new ConfigurationException("sample " + sample.id() + " has no ground-truth mask, which metric "
                        + metricId + " needs; the dataset provides no localisation masks, use one that does (for"
                        + " example fashion-mnist-canvas) or drop " + metricId);
            }
            if (sample.mask().length != pixels) {
                throw new IllegalArgumentException("mask of sample " + sample.id() + " has " + sample.mask().length
                        + " values, model " + info.name() + " takes " + info.imageSize() + "x" + info.imageSize()
                        + " = " + pixels + " pixels");
            }
        }
    }

    /** The target-class map of sample {@code b} at pixel resolution, {@code [S * S]} row-major. */
    static float[] pixels(Heatmaps heatmaps, int b, ModelInfo info) {
        return Heatmaps.toPixels(heatmaps.target()[b], heatmaps.grid(), info.patchSize());
    }

    /**
     * Fails unless {@code map} and {@code mask} have {@code side * side} values.
     *
     * @throws IllegalArgumentException naming both lengths
     */
    static void checkSizes(float[] map, float[] mask, int side) {
        if (side < 1 || map.length != side * side || mask.length != side * side) {
            throw new IllegalArgumentException("a " + side + "x" + side + " image needs " + side * side
                    + " map and mask values, got " + map.length + " and " + mask.length);
        }
    }

    /**
     * The map's tie groups from the highest value down: for each distinct value ({@code 0} and
     * {@code -0} are one), how many pixels hold it and how many of those lie on the mask.
     *
     * @return {@code [2][G]}: the groups' sizes, then their pixels on the mask
     */
    static int[][] tieGroups(float[] map, float[] mask) {
        Integer[] order = new Integer[map.length];
        for (int i = 0; i < order.length; i++) {
            order[i] = i;
        }
        Arrays.sort(order, (i, j) -> Float.compare(map[j], map[i]));
        int[] sizes = new int[map.length];
        int[] onMask = new int[map.length];
        int groups = 0;
        for (int start = 0; start < order.length; groups++) {
            int end = start;
            while (end < order.length && map[order[end]] == map[order[start]]) {
                if (mask[order[end]] != 0f) {
                    onMask[groups]++;
                }
                end++;
            }
            sizes[groups] = end - start;
            start = end;
        }
        return new int[][] {Arrays.copyOf(sizes, groups), Arrays.copyOf(onMask, groups)};
    }

    /**
     * The expected number of mask pixels among the map's {@code k} highest: where a tie group of
     * {@code g} pixels, {@code h} of them on the mask, straddles the cut with {@code m} places left,
     * it adds {@code h m / g}, its expectation under a uniformly random order of the tie.
     *
     * @param groups {@link #tieGroups} of the map and mask
     * @param k places, at most the number of pixels
     */
    static double expectedTopHits(int[][] groups, int k) {
        double hits = 0;
        int left = k;
        for (int g = 0; g < groups[0].length && left > 0; g++) {
            int group = groups[0][g];
            int onObject = groups[1][g];
            if (group <= left) {
                hits += onObject;
                left -= group;
            } else {
                hits += (double) onObject * left / group;
                left = 0;
            }
        }
        return hits;
    }

    /** A pixel map and a mask of the same pixels, or an {@link IllegalArgumentException} naming both lengths. */
    static void requireSameLength(float[] map, float[] mask) {
        if (map.length != mask.length) {
            throw new IllegalArgumentException("map has " + map.length + " values, mask " + mask.length);
        }
    }

    /** Pixels in the mask: every non-zero value counts, as Quantus' {@code s.astype(bool)}. */
    static int count(float[] mask) {
        int n = 0;
        for (float v : mask) {
            if (v != 0f) {
                n++;
            }
        }
        return n;
    }
}
