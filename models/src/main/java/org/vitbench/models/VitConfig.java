package org.vitbench.models;

/**
 * The architecture of a plain ViT with a CLS token and learned absolute position embeddings, as
 * timm's {@code VisionTransformer} with {@code class_token=True, global_pool='token'}.
 *
 * @param imageSize input height and width in pixels
 * @param patchSize patch height and width
 * @param channels input channels
 * @param dim embedding dimension D
 * @param depth number of blocks
 * @param heads attention heads; {@code dim % heads == 0}
 * @param mlpRatio hidden width of the MLP as a multiple of D (timm: 4)
 * @param numClasses output classes
 * @param qkvBias whether the fused qkv projection has a bias (timm: true)
 * @param layerNormEps LayerNorm epsilon (timm ViT: 1e-6)
 */
public record VitConfig(int imageSize, int patchSize, int channels, int dim, int depth, int heads,
        double mlpRatio, int numClasses, boolean qkvBias, double layerNormEps) {

    public VitConfig {
        require(imageSize > 0 && patchSize > 0 && imageSize % patchSize == 0,
                "imageSize " + imageSize + " must be a positive multiple of patchSize " + patchSize);
        require(channels > 0, "channels must be positive, got " + channels);
        require(dim > 0 && heads > 0 && dim % heads == 0,
                "dim " + dim + " must be a positive multiple of heads " + heads);
        require(depth > 0, "depth must be positive, got " + depth);
        require(mlpRatio > 0 && Math.rint(dim * mlpRatio) == dim * mlpRatio,
                "mlpRatio " + mlpRatio + " must give an integer MLP width for dim " + dim);
        require(numClasses > 0, "numClasses must be positive, got " + numClasses);
        require(layerNormEps > 0, "layerNormEps must be positive, got " + layerNormEps);
    }

    /** timm defaults (qkv bias, eps 1e-6) for the given sizes. */
    public static VitConfig of(int imageSize, int patchSize, int channels, int dim, int depth, int heads,
            double mlpRatio, int numClasses) {
        return new VitConfig(imageSize, patchSize, channels, dim, depth, heads, mlpRatio, numClasses, true, 1e-6);
    }

    private static void require(boolean ok, String message) {
        if (!ok) {
            throw new IllegalArgumentException("invalid ViT architecture: " + message);
        }
    }

    public int grid() {
        return imageSize / patchSize;
    }

    public int numPatches() {
        return grid() * grid();
    }

    public int numTokens() {
        return numPatches() + 1;
    }

    public int headDim() {
        return dim / heads;
    }

    public int mlpHidden() {
        return (int) Math.round(dim * mlpRatio);
    }
}
