package org.vitbench.models;

/**
 * The architecture of a ViT as timm's {@code VisionTransformer} builds it: pre-norm blocks with
 * fused qkv, learned absolute position embeddings, and a token layout and head that cover the
 * published families (timm's plain ViT, DeiT and DeiT distilled, DeiT III, models with register
 * tokens or average pooling; Hugging Face's {@code ViTForImageClassification} is a plain ViT).
 *
 * <p>Tokens are ordered as timm orders them: class token, distillation token, register tokens
 * (the prefix), then the patches in row-major order.
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
 * @param layerNormEps LayerNorm epsilon (timm ViT: 1e-6; Hugging Face ViT: 1e-12)
 * @param tokens which prefix tokens the model has and where the position embedding applies
 *     (null: a class token only, as a plain ViT)
 * @param pool how the head reads the tokens (null: {@link Pool#TOKEN})
 * @param fcNorm whether the final LayerNorm is applied after pooling ({@code fc_norm}, timm's default
 *     for average pooling) instead of to every token before it ({@code norm})
 * @param layerScale whether each branch is scaled per channel ({@code ls1.gamma}, {@code ls2.gamma}:
 *     DeiT III, DINOv2 and others with {@code init_values})
 */
public record VitConfig(int imageSize, int patchSize, int channels, int dim, int depth, int heads,
        double mlpRatio, int numClasses, boolean qkvBias, double layerNormEps, Tokens tokens, Pool pool,
        boolean fcNorm, boolean layerScale) {

    /** Limits far above any published ViT, checked before anything is allocated. */
    static final int MAX_IMAGE = 4096;
    static final int MAX_DIM = 16384;
    static final int MAX_DEPTH = 256;
    static final int MAX_CLASSES = 1_000_000;
    static final int MAX_REGISTERS = 256;

    /**
     * The prefix tokens.
     *
     * @param cls a class token ({@code cls_token})
     * @param distillation a distillation token ({@code dist_token}) read by a second head
     *     ({@code head_dist}); the logits are the mean of both heads, as timm evaluates DeiT distilled
     * @param registers register tokens ({@code reg_token}, Darcet et al. 2024), read by nothing
     * @param noEmbedClass whether the position embedding covers the patches only, the prefix tokens
     *     being concatenated after it is added (timm {@code no_embed_class}: DeiT III, registers)
     */
    public record Tokens(boolean cls, boolean distillation, int registers, boolean noEmbedClass) {

        /** A class token with its own position embedding: the plain ViT. */
        public static final Tokens CLS = new Tokens(true, false, 0, false);

        public Tokens {
            require(registers >= 0 && registers <= MAX_REGISTERS,
                    "register tokens must be 0 to " + MAX_REGISTERS + ", got " + registers);
            require(!distillation || (cls && registers == 0 && !noEmbedClass),
                    "a distillation token comes with a class token and neither registers nor no_embed_class "
                            + "(timm's VisionTransformerDistilled)");
        }

        /** Number of prefix tokens before the patches. */
        public int prefix() {
            return (cls ? 1 : 0) + (distillation ? 1 : 0) + registers;
        }
    }

    /** How the head reads the last block's tokens. */
    public enum Pool {
        /** The class token (and the distillation token for a second head). */
        TOKEN,
        /** The mean of the patch tokens (prefix tokens excluded), timm {@code global_pool='avg'}. */
        AVG
    }

    public VitConfig {
        require(imageSize > 0 && imageSize <= MAX_IMAGE && patchSize > 0 && imageSize % patchSize == 0,
                "imageSize " + imageSize + " must be a positive multiple of patchSize " + patchSize + " up to "
                        + MAX_IMAGE);
        require(channels > 0 && channels <= 64, "channels must be 1 to 64, got " + channels);
        require(dim > 0 && dim <= MAX_DIM && heads > 0 && dim % heads == 0,
                "dim " + dim + " must be a positive multiple of heads " + heads + " up to " + MAX_DIM);
        require(depth > 0 && depth <= MAX_DEPTH, "depth must be 1 to " + MAX_DEPTH + ", got " + depth);
        require(mlpRatio > 0 && mlpRatio <= 64 && Math.rint(dim * mlpRatio) == dim * mlpRatio,
                "mlpRatio " + mlpRatio + " must give an integer MLP width for dim " + dim);
        require(numClasses > 0 && numClasses <= MAX_CLASSES,
                "numClasses must be 1 to " + MAX_CLASSES + ", got " + numClasses);
        require(layerNormEps > 0, "layerNormEps must be positive, got " + layerNormEps);
        tokens = tokens == null ? Tokens.CLS : tokens;
        pool = pool == null ? Pool.TOKEN : pool;
        require(pool != Pool.TOKEN || tokens.cls(), "token pooling needs a class token; use pool AVG");
        require(!tokens.distillation() || pool == Pool.TOKEN, "a distillation head reads tokens, not an average");
    }

    /** A plain ViT with a class token, token pooling and no layer scale. */
    public VitConfig(int imageSize, int patchSize, int channels, int dim, int depth, int heads, double mlpRatio,
            int numClasses, boolean qkvBias, double layerNormEps) {
        this(imageSize, patchSize, channels, dim, depth, heads, mlpRatio, numClasses, qkvBias, layerNormEps,
                Tokens.CLS, Pool.TOKEN, false, false);
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

    public VitConfig withTokens(Tokens t) {
        return new VitConfig(imageSize, patchSize, channels, dim, depth, heads, mlpRatio, numClasses, qkvBias,
                layerNormEps, t, pool, fcNorm, layerScale);
    }

    public VitConfig withHead(Pool p, boolean useFcNorm) {
        return new VitConfig(imageSize, patchSize, channels, dim, depth, heads, mlpRatio, numClasses, qkvBias,
                layerNormEps, tokens, p, useFcNorm, layerScale);
    }

    public VitConfig withLayerScale(boolean v) {
        return new VitConfig(imageSize, patchSize, channels, dim, depth, heads, mlpRatio, numClasses, qkvBias,
                layerNormEps, tokens, pool, fcNorm, v);
    }

    public VitConfig withNumClasses(int k) {
        return new VitConfig(imageSize, patchSize, channels, dim, depth, heads, mlpRatio, k, qkvBias,
                layerNormEps, tokens, pool, fcNorm, layerScale);
    }

    /** Whether this is the plain layout: a class token only, token pooling, no layer scale. */
    public boolean plainLayout() {
        return tokens.equals(Tokens.CLS) && pool == Pool.TOKEN && !fcNorm && !layerScale;
    }

    public int grid() {
        return imageSize / patchSize;
    }

    public int numPatches() {
        return grid() * grid();
    }

    /** Prefix tokens (class, distillation, registers) before the patches. */
    public int numPrefixTokens() {
        return tokens.prefix();
    }

    /** The sequence length: prefix tokens and patches. */
    public int numTokens() {
        return numPatches() + numPrefixTokens();
    }

    /** Rows of the position embedding: every token, or the patches only with {@code noEmbedClass}. */
    public int positionTokens() {
        return tokens.noEmbedClass() ? numPatches() : numTokens();
    }

    public int headDim() {
        return dim / heads;
    }

    public int mlpHidden() {
        return (int) Math.round(dim * mlpRatio);
    }
}
