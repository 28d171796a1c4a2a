package org.vitbench.api;

import java.util.List;

/**
 * What methods and metrics may know about a model without touching its weights.
 *
 * @param name model name (for reports)
 * @param channels input channels
 * @param imageSize input height and width in pixels (square)
 * @param patchSize patch height and width in pixels
 * @param depth number of transformer blocks
 * @param heads attention heads per block
 * @param dim embedding dimension
 * @param classNames one name per output class
 * @param preprocessing input normalisation
 */
public record ModelInfo(String name, int channels, int imageSize, int patchSize, int depth, int heads,
        int dim, List<String> classNames, Preprocessing preprocessing) {

    public ModelInfo {
        if (imageSize % patchSize != 0) {
            throw new IllegalArgumentException(
                    "image size " + imageSize + " is not a multiple of patch size " + patchSize);
        }
        classNames = List.copyOf(classNames);
    }

    /** Patches per side; the patch grid is {@code grid x grid}. */
    public int grid() {
        return imageSize / patchSize;
    }

    /** Number of patch tokens, {@code grid * grid}. */
    public int numPatches() {
        return grid() * grid();
    }

    /** Sequence length with the CLS token, {@code numPatches + 1}. */
    public int numTokens() {
        return numPatches() + 1;
    }

    public int numClasses() {
        return classNames.size();
    }
}
