package org.vitbench.methods.gradient;

import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import org.vitbench.api.ModelInfo;
import org.vitbench.api.Parameter;

/**
 * How a pixel attribution {@code [B, C, S, S]} becomes a patch map {@code [B, P]}: the ViT Shapley
 * benchmark's {@code patchsum} and {@code patchabssum} (suinleelab/vit-shapley,
 * {@code notebooks/2_1_benchmarking.ipynb}, {@code attributions_pixel_process}; whitebox brief,
 * section 3.11), i.e. a sum over the channels and the {@code p x p} pixels of each patch, of the
 * signed values or of their absolute values. Sums run in double, in a fixed pixel order, so a
 * sample's map does not depend on its batch.
 */
enum Aggregation {
    /** Signed sum ({@code patchsum}); the default, which keeps completeness of Integrated Gradients. */
    SUM,
    /** Sum of absolute values ({@code patchabssum}, the variant the notebook says "makes sense"). */
    ABS_SUM;

    /** The parameter name. */
    static final String KEY = "aggregation";

    /** The parameter value, e.g. {@code abs-sum}. */
    String id() {
        return name().toLowerCase(Locale.ROOT).replace('_', '-');
    }

    /** Reads {@code aggregation} (default {@code sum}). */
    /** The {@code aggregation} parameter. */
    static final Parameter<Aggregation> PARAMETER = Parameter.oneOf(KEY, SUM, List.of(values()), Aggregation::id,
            "how pixel attributions become patch scores: sum or abs-sum");

    /**
     * Sums each image's attribution over channels and patch pixels.
     *
     * @param pixels {@code rows * C * S * S} values, channel-major per image as {@code [B, C, S, S]}
     * @param rows the number of images {@code B}
     * @return {@code [B][P]} with patches in row-major grid order
     */
    float[][] toPatches(float[] pixels, int rows, ModelInfo info) {
        int c = info.channels();
        int s = info.imageSize();
        int p = info.patchSize();
        int grid = info.grid();
        int size = c * s * s;
        if (pixels.length != rows * size) {
            throw new IllegalArgumentException(pixels.length + " attribution values for " + rows
                    + " images of " + size + " pixels");
        }
        float[][] maps = new float[rows][];
        double[] sums = new double[info.numPatches()];
        for (int b = 0; b < rows; b++) {
            Arrays.fill(sums, 0.0);
            for (int ch = 0; ch < c; ch++) {
                for (int y = 0; y < s; y++) {
                    int offset = b * size + (ch * s + y) * s;
                    int patchRow = (y / p) * grid;
                    for (int x = 0; x < s; x++) {
                        float v = pixels[offset + x];
                        sums[patchRow + x / p] += this == ABS_SUM ? Math.abs(v) : v;
                    }
                }
            }
            maps[b] = new float[sums.length];
            for (int i = 0; i < sums.length; i++) {
                maps[b][i] = (float) sums[i];
            }
        }
        return maps;
    }
}
