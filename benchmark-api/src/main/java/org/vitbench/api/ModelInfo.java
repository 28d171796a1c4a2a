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
 * @param prefixTokens tokens before the patches (class, distillation, register tokens): 1 for a
 *     plain ViT, whose token 0 is the class token and token {@code 1 + i} patch i
 * @param plainLayout whether the model is a plain ViT: one class token read by the head, no
 *     layer scale (methods that need it declare {@link Requirement#PLAIN_LAYOUT})
 */
public record ModelInfo(String name, int channels, int imageSize, int patchSize, int depth, int heads,
        int dim, List<String> classNames, Preprocessing preprocessing, int prefixTokens, boolean plainLayout) {

    public ModelInfo {
        if (imageSize % patchSize != 0) {
            throw new IllegalArgumentException(
                    "image size " + imageSize + " is not a multiple of patch size " + patchSize);
        }
        if (prefixTokens < 0 || (plainLayout && prefixTokens != 1)) {
            throw new IllegalArgumentException("prefix tokens must be >= 0, and 1 in the plain layout; got "
                    + prefixTokens);
        }
        classNames = List.copyOf(classNames);
    }

    /** A plain ViT's info: one class token before the patches. */
    public ModelInfo(String name, int channels, int imageSize, int patchSize, int depth, int heads, int dim,
            List<String> classNames, Preprocessing preprocessing) {
        this(name, channels, imageSize, patchSize, depth, heads, dim, classNames, preprocessing, 1, true);
    }

    /** Patches per side; the patch grid is {@code grid x grid}. */
    public int grid() {
        return imageSize / patchSize;
    }

    /** Number of patch tokens, {@code grid * grid}. */
    public int numPatches() {
        return grid() * grid();
    }

    /** Sequence length, {@code prefixTokens + numPatches}. */
    public int numTokens() {
        return prefixTokens + numPatches();
    }

    public int numClasses() {
        return classNames.size();
    }
}
