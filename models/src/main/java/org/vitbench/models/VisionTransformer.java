package org.vitbench.models;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Activation;
import ai.djl.nn.convolutional.Conv2d;
import ai.djl.nn.core.Linear;
import ai.djl.nn.norm.LayerNorm;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.vitbench.api.ConfigurationException;
import org.vitbench.api.ForwardTrace;
import org.vitbench.api.GraphConstants;
import org.vitbench.api.Hashes;
import org.vitbench.api.ModelInfo;
import org.vitbench.api.ModelWeights;
import org.vitbench.api.Randomisable;
import org.vitbench.api.Removal;
import org.vitbench.api.TraceOptions;
import org.vitbench.api.VitModel;

/**
 * A plain Vision Transformer (Dosovitskiy et al. 2021, arXiv 2010.11929) as timm implements it:
 * pre-norm blocks, fused qkv (rows q, k, v), exact GELU, CLS pooling, learned absolute position
 * embeddings, parameter keys exactly as timm's ({@link ParameterKeys}).
 *
 * <p>The forward is a function over a map of weight arrays rather than DJL blocks, because
 * explainers need attention probabilities, token states and gradients at points that DJL's
 * blocks neither expose nor hook. Attention is computed explicitly (never fused) so that the
 * probabilities exist.
 *
 * <p>Held-out patches ({@link Removal}) are removed by attention masking as in ViT Shapley (Covert
 * et al. 2023, Appendix A: held-out patch tokens masked as keys in every layer and head, CLS always
 * visible), by dropping their tokens, or by replacing their pixels.
 *
 * <p>Thread-safety: the weights are never modified after construction (training updates them in
 * place, but only from the training thread), so concurrent inference is safe.
 */
public final class VisionTransformer implements VitModel, ModelWeights, Randomisable {

    private final ModelConfig config;
    private final VitConfig arch;
    private final ModelInfo info;
    private final NDManager manager;
    private final Map<String, NDArray> weights;
    private final NDArray mean;
    private final NDArray std;

    /**
     * Wraps weights keyed by timm names; takes ownership of {@code manager}.
     *
     * @throws CheckpointMismatchException when a key is missing, unknown or mis-shaped
     */
    public VisionTransformer(ModelConfig config, NDManager manager, Map<String, NDArray> weights) {
        this.config = config;
        this.arch = config.architecture();
        this.manager = manager;
        Map<String, long[]> shapes = new LinkedHashMap<>();
        weights.forEach((k, w) -> shapes.put(k, w.getShape().getShape()));
        checkKeys(config, shapes);
        this.weights = Collections.unmodifiableMap(new TreeMap<>(weights));
        this.info = new ModelInfo(config.name(), arch.channels(), arch.imageSize(), arch.patchSize(),
                arch.depth(), arch.heads(), arch.dim(), config.classNames(), config.preprocessing(),
                arch.numPrefixTokens(), arch.plainLayout());
        this.mean = manager.create(config.mean(), new Shape(1, arch.channels(), 1, 1));
        this.std = manager.create(config.std(), new Shape(1, arch.channels(), 1, 1));
    }

    /**
     * Checks parameter names and shapes against the architecture.
     *
     * @throws CheckpointMismatchException when a key is missing, unknown or mis-shaped
     */
    public static void checkKeys(ModelConfig config, Map<String, long[]> weights) {
        Map<String, long[]> expected = ParameterKeys.of(config.architecture());
        for (Map.Entry<String, long[]> e : expected.entrySet()) {
            long[] w = weights.get(e.getKey());
            if (w == null) {
                throw new CheckpointMismatchException("missing parameter '" + e.getKey() + "' for model "
                        + config.name() + " (expected shape " + new Shape(e.getValue()) + ")");
            }
            if (!java.util.Arrays.equals(w, e.getValue())) {
                throw new CheckpointMismatchException("parameter '" + e.getKey() + "' of model " + config.name()
                        + " has shape " + new Shape(w) + " but the architecture needs " + new Shape(e.getValue()));
            }
        }
        for (String key : weights.keySet()) {
            if (!expected.containsKey(key)) {
                throw new CheckpointMismatchException("unknown parameter '" + key + "' for model " + config.name()
                        + ": not part of a plain ViT with " + config.architecture());
            }
        }
    }

    public ModelConfig config() {
        return config;
    }

    /**
     * A content hash of the weights: the first 16 hex digits of SHA-256 over the keys in sorted
     * order, their shapes and their float32 values (little-endian). Two models with equal
     * fingerprints compute the same function; a ViT Shapley explainer records those of its
     * surrogate and classifier with it.
     */
    @Override
    public String fingerprint() {
        java.security.MessageDigest digest = Hashes.sha256();
        for (Map.Entry<String, NDArray> e : weights.entrySet()) { // a TreeMap: sorted keys
            digest.update(e.getKey().getBytes(java.nio.charset.StandardCharsets.UTF_8));
            digest.update(e.getValue().getShape().toString().getBytes(java.nio.charset.StandardCharsets.UTF_8));
            float[] values = e.getValue().toFloatArray();
            java.nio.ByteBuffer bytes = java.nio.ByteBuffer.allocate(values.length * 4)
                    .order(java.nio.ByteOrder.LITTLE_ENDIAN);
            bytes.asFloatBuffer().put(values);
            digest.update(bytes);
        }
        return Hashes.shortHex(digest.digest());
    }

    /** The weight arrays by timm key (read-only view; the arrays themselves are live). */
    @Override
    public Map<String, NDArray> weights() {
        return weights;
    }

    @Override
    public double layerNormEps() {
        return arch.layerNormEps();
    }

    @Override
    public RandomisedCascade cascade(long seed, boolean embedding) {
        return RandomisedCascade.build(this, seed, embedding);
    }

    @Override
    public ModelInfo info() {
        return info;
    }

    @Override
    public NDManager manager() {
        return manager;
    }

    @Override
    public NDArray logits(NDArray images) {
        checkImages(images);
        return forward(embedded(images), null, null, TraceOptions.NONE, null);
    }

    @Override
    public NDArray logits(NDArray images, NDArray keep, Removal removal) {
        checkImages(images);
        checkKeep(images, keep);
        return switch (removal.kind()) {
            // A held-out token masked as a key in every block never reaches a kept token, the prefix or
            // the pooling, so dropping it computes the same logits (to float rounding) with less work;
            // with gradients recorded the masked full sequence runs, as training expects.
            case ATTENTION_MASK -> releasesActivations(null) ? tokenDrop(images, keep)
                    : forward(embed(images), keyBias(keep), keep, TraceOptions.NONE, null);
            case TOKEN_DROP -> tokenDrop(images, keep);
            case PIXEL -> forward(embedded(PixelRemoval.apply(images, keep, removal.baseline(), info)), null, null,
                    TraceOptions.NONE, null);
        };
    }

    @Override
    public ForwardTrace trace(NDArray images, TraceOptions options) {
        checkImages(images);
        checkTraceable(options);
        NDArray input = images;
        if (options.inputGradient()) {
            input = images.duplicate();
            input.setRequiresGradient(true);
        }
        Recorder rec = new Recorder();
        NDArray logits = forward(embed(input), null, null, options, rec);
        return new ForwardTrace(input, rec.tokens, rec.norm1, rec.attention, rec.attentionTaps, rec.norm1Taps, logits,
                rec.readouts);
    }

    /**
     * {@link #embed} for the logits paths: when nothing is differentiated, its intermediates
     * (normalised image, patch grid, prefix copies) are freed before the blocks run; the tokens
     * [B, N, D] belong to the images' manager, as every output.
     */
    private NDArray embedded(NDArray images) {
        if (!releasesActivations(null)) {
            return embed(images);
        }
        NDManager owner = images.getManager();
        try (NDManager scope = owner.newSubManager()) {
            images.tempAttach(scope); // back to its owner when the scope closes
            NDArray tokens = embed(images);
            tokens.attach(owner);
            return tokens;
        }
    }

    /**
     * Whether a forward may free each block's intermediates as soon as the block is done: nothing
     * is recorded for a trace and the calling thread records no gradients, so no graph needs them.
     * Then at most one block's activations exist at a time instead of all blocks' (ViT-Ti/16 at
     * batch 64: about 0.3 GB instead of 3 GB).
     */
    private static boolean releasesActivations(Recorder rec) {
        return rec == null && !GradMode.isOn();
    }

    /**
     * [B, C, S, S] in [0, 1] -> [B, N, D]: normalise, patchify, prepend the prefix tokens (class,
     * distillation, registers) and add the position embedding, before the prefix is joined or
     * after ({@code noEmbedClass}), as timm's {@code _pos_embed}.
     */
    NDArray embed(NDArray images) {
        long b = images.getShape().get(0);
        int d = arch.dim();
        NDArray x = images.sub(mean).div(std);
        // [B, C, S, S] -> [B, D, g, g] -> [B, D, P] -> [B, P, D]
        NDArray patches = Conv2d.conv2d(x, w("patch_embed.proj.weight"), w("patch_embed.proj.bias"),
                new Shape(arch.patchSize(), arch.patchSize())).head()
                .reshape(b, d, arch.numPatches()).transpose(0, 2, 1);
        VitConfig.Tokens t = arch.tokens();
        if (t.prefix() == 0) {
            return patches.add(w("pos_embed"));
        }
        NDList prefix = new NDList();
        if (t.cls()) {
            prefix.add(expand(w("cls_token"), b, 1, images)); // [1, 1, D] -> [B, 1, D]
        }
        if (t.distillation()) {
            prefix.add(expand(w("dist_token"), b, 1, images)); // [1, 1, D] -> [B, 1, D]
        }
        if (t.registers() > 0) {
            prefix.add(expand(w("reg_token"), b, t.registers(), images)); // [1, R, D] -> [B, R, D]
        }
        if (t.noEmbedClass()) {
            prefix.add(patches.add(w("pos_embed")));
            return NDArrays.concat(prefix, 1);
        }
        prefix.add(patches);
        return NDArrays.concat(prefix, 1).add(w("pos_embed"));
    }

    /** A weight [1, r, D] broadcast to [B, r, D], the view owned by the batch, not by the weights. */
    private NDArray expand(NDArray token, long b, int r, NDArray images) {
        NDArray view = token.broadcast(b, r, arch.dim());
        view.attach(images.getManager());
        return view;
    }

    /**
     * Runs the blocks, the final norm and the head on tokens [B, n, D] -> logits [B, K].
     *
     * @param keep for attention masking, the kept patches [B, P] that average pooling reads; null
     *     when every patch token present is read
     */
    private NDArray forward(NDArray z, NDArray keyBias, NDArray keep, TraceOptions o, Recorder rec) {
        boolean release = releasesActivations(rec);
        for (int l = 0; l < arch.depth(); l++) {
            if (release) {
                z = releasingBlock("blocks." + l + ".", z, keyBias);
                continue;
            }
            if (rec != null && o.tokens()) {
                rec.tokens.add(z);
            }
            z = block(weights, "blocks." + l + ".", true, z, keyBias, o, rec);
            if (rec != null && o.readout() != TraceOptions.Readout.NONE) {
                rec.readouts.add(readout(z, o.readout(), o)); // in the graph: differentiable w.r.t. taps <= l
            }
        }
        if (rec != null && o.tokens()) {
            rec.tokens.add(z);
        }
        return head(z, keep, o);
    }

    /**
     * One block of this model on tokens {@code z} that the forward owns (made by it, never the
     * caller's), inside a scope that frees the block's intermediates and {@code z} when it is
     * done; the output belongs to {@code z}'s manager.
     */
    private NDArray releasingBlock(String prefix, NDArray z, NDArray keyBias) {
        NDManager owner = z.getManager();
        try (NDManager scope = owner.newSubManager()) {
            z.attach(scope);
            NDArray out = block(weights, prefix, true, z, keyBias, TraceOptions.NONE, null, true);
            out.attach(owner);
            return out;
        }
    }

    /**
     * The model's own head on the last block's tokens [B, n, D] -> [B, K]: for a plain ViT the CLS
     * readout (bit for bit the same code); with a distillation token the mean of the class head on
     * the class token and the distillation head on the distillation token, as timm evaluates DeiT;
     * with average pooling the mean of the patch tokens present, or of the kept ones under attention
     * masking, so that masking and dropping tokens agree (no patch kept: a zero vector).
     */
    private NDArray head(NDArray z, NDArray keep, TraceOptions o) {
        if (arch.pool() == VitConfig.Pool.TOKEN && !arch.tokens().distillation()) {
            return readout(z, TraceOptions.Readout.CLS, o);
        }
        if (arch.pool() == VitConfig.Pool.TOKEN) {
            NDArray x = layerNorm(z, "norm", o);
            NDArray cls = Linear.linear(x.get(":, 0, :"), w("head.weight"), w("head.bias")).head(); // [B, K]
            NDArray dist = Linear.linear(x.get(":, 1, :"), w("head_dist.weight"), w("head_dist.bias")).head();
            return GraphConstants.mul(cls.add(dist), 0.5);
        }
        int prefix = arch.numPrefixTokens();
        NDArray x = arch.fcNorm() ? z : layerNorm(z, "norm", o);
        NDArray patches = x.get(":, " + prefix + ":, :"); // [B, n, D] -> [B, n - prefix, D]
        NDArray pooled;
        if (keep == null) {
            long count = patches.getShape().get(1);
            pooled = GraphConstants.div(patches.sum(new int[] {1}), Math.max(count, 1)); // [B, D]
        } else {
            NDArray weight = keep.toType(DataType.FLOAT32, false).neq(0).toType(x.getDataType(), false); // [B, P]
            NDArray count = GraphConstants.maximum(weight.sum(new int[] {1}, true), 1); // [B, 1]
            pooled = patches.mul(weight.expandDims(2)).sum(new int[] {1}).div(count); // [B, P, D] -> [B, D]
        }
        if (arch.fcNorm()) {
            pooled = layerNorm(pooled, "fc_norm", o);
        }
        return Linear.linear(pooled, w("head.weight"), w("head.bias")).head(); // [B, D] -> [B, K]
    }

    /**
     * The final norm and head on pooled tokens: {@code head(norm(pool(z)))}, [B, n, D] -> [B, K].
     * The model's own logits are the CLS readout of the last block, computed by this same code, so
     * the last block's CLS readout equals them bit for bit.
     */
    private NDArray readout(NDArray z, TraceOptions.Readout pool, TraceOptions o) {
        NDArray pooled = switch (pool) {
            // LayerNorm acts per token, so norm-then-select is norm(pool(z)); kept in this order as the
            // model's forward always had it.
            case CLS -> layerNorm(z, "norm", o).get(":, 0, :"); // [B, n, D] -> [B, D]
            // The mean over all n tokens, CLS included, as the LeGrad reference's CLIP code.
            case TOKEN_MEAN -> layerNorm(z.mean(new int[] {1}), "norm", o); // [B, n, D] -> [B, D]
            case NONE -> throw new IllegalArgumentException("readout NONE has no pooling");
        };
        return Linear.linear(pooled, w("head.weight"), w("head.bias")).head(); // [B, D] -> [B, K]
    }

    /**
     * The final-norm token states {@code norm(z_L)}, [B, C, S, S] -> [B, N, D] (CLS first): what a
     * ViT Shapley explainer's backbone hands to its extra block.
     */
    public NDArray features(NDArray images) {
        checkImages(images);
        NDArray z = embed(images);
        for (int l = 0; l < arch.depth(); l++) {
            z = block(weights, "blocks." + l + ".", true, z, null, TraceOptions.NONE, null);
        }
        if (arch.fcNorm()) {
            throw new ConfigurationException("model " + config.name() + " normalises after pooling (fc_norm): it has "
                    + "no per-token final norm to hand to a ViT Shapley explainer");
        }
        return layerNorm(weights, z, "norm", TraceOptions.NONE);
    }

    /**
     * One pre-norm transformer block of this model's width and heads, with weights under
     * {@code prefix} in {@code blockWeights} (timm's block keys: {@code attn.qkv.weight},
     * {@code norm2.bias}, ...), for blocks outside the model such as a ViT Shapley explainer's.
     *
     * @param norm1 whether the block has its first LayerNorm; without it the keys {@code norm1.*}
     *     are not read and attention sees {@code z} itself
     */
    public NDArray block(Map<String, NDArray> blockWeights, String prefix, boolean norm1, NDArray z) {
        return block(blockWeights, prefix, norm1, z, null, TraceOptions.NONE, null);
    }

    private NDArray block(Map<String, NDArray> ws, String p, boolean norm1, NDArray z, NDArray keyBias,
            TraceOptions o, Recorder rec) {
        return block(ws, p, norm1, z, keyBias, o, rec, false);
    }

    /**
     * @param release whether nothing is differentiated or recorded ({@link #releasesActivations}), so
     *     each branch's intermediates may be freed as soon as the branch is done, and the attention
     *     scores as soon as their softmax exists
     */
    private NDArray block(Map<String, NDArray> ws, String p, boolean norm1, NDArray z, NDArray keyBias,
            TraceOptions o, Recorder rec, boolean release) {
        NDArray attnOut = scoped(release, z, x -> attention(ws, p, norm1, x, keyBias, o, rec, release));
        z = z.add(scaled(ws, p + "ls1.gamma", attnOut));
        NDArray mlpOut = scoped(release, z, x -> {
            NDArray h = Linear.linear(layerNorm(ws, x, p + "norm2", o), ws.get(p + "mlp.fc1.weight"),
                    ws.get(p + "mlp.fc1.bias")).head();
            return Linear.linear(gelu(h, o), ws.get(p + "mlp.fc2.weight"), ws.get(p + "mlp.fc2.bias")).head();
        });
        return z.add(scaled(ws, p + "ls2.gamma", mlpOut));
    }

    /** The attention branch of a block, [B, n, D] -> [B, n, D], before its residual sum. */
    private NDArray attention(Map<String, NDArray> ws, String p, boolean norm1, NDArray z, NDArray keyBias,
            TraceOptions o, Recorder rec, boolean release) {
        long b = z.getShape().get(0);
        long n = z.getShape().get(1);
        int heads = arch.heads();
        int dh = arch.headDim();

        NDArray u = norm1 ? layerNorm(ws, z, p + "norm1", o) : z;
        if (rec != null && o.norm1GradTaps()) {
            NDArray tap = u.getManager().zeros(u.getShape());
            tap.setRequiresGradient(true);
            rec.norm1Taps.add(tap);
            u = u.add(tap);
        }
        if (rec != null && o.tokens()) {
            rec.norm1.add(u);
        }
        // [B, n, 3D] -> [B, n, 3, H, D/H] -> [3, B, H, n, D/H]
        NDArray qkv = Linear.linear(u, ws.get(p + "attn.qkv.weight"), arch.qkvBias() ? ws.get(p + "attn.qkv.bias") : null)
                .head().reshape(b, n, 3, heads, dh).transpose(2, 0, 3, 1, 4);
        NDArray q = qkv.get(0);
        NDArray k = qkv.get(1);
        NDArray v = qkv.get(2);
        if (o.attentionUniformSplit()) {
            q = GraphConstants.scaleGradient(q, 0.25);
            k = GraphConstants.scaleGradient(k, 0.25);
            v = GraphConstants.scaleGradient(v, 0.5);
        }
        // [B, H, n, D/H] x [B, H, D/H, n] -> [B, H, n, n]; the scale is an engine-owned constant, as
        // the backward pass reads it (GraphConstants)
        NDArray scores = GraphConstants.mul(q, 1.0 / Math.sqrt(dh)).matMul(k.transpose(0, 1, 3, 2));
        if (keyBias != null) {
            NDArray biased = scores.add(keyBias);
            release(release, scores);
            scores = biased;
        }
        NDArray attn = scores.softmax(-1);
        release(release, scores);
        if (o.detachSoftmax()) {
            attn = attn.stopGradient();
        }
        if (rec != null && o.attentionGradTaps()) {
            NDArray tap = attn.getManager().zeros(attn.getShape());
            tap.setRequiresGradient(true);
            rec.attentionTaps.add(tap);
            attn = attn.add(tap);
        }
        if (rec != null && o.attention()) {
            rec.attention.add(attn);
        }
        // [B, H, n, n] x [B, H, n, D/H] -> [B, H, n, D/H] -> [B, n, H, D/H] -> [B, n, D]
        NDArray heads_ = attn.matMul(v).transpose(0, 2, 1, 3).reshape(b, n, arch.dim());
        release(release, attn);
        return Linear.linear(heads_, ws.get(p + "attn.proj.weight"), ws.get(p + "attn.proj.bias")).head();
    }

    /**
     * {@code step(input)}; when {@code release}, inside a scope that frees the step's
     * intermediates when it returns (the input stays with its owner, the output goes to it).
     */
    private static NDArray scoped(boolean release, NDArray input, java.util.function.UnaryOperator<NDArray> step) {
        if (!release) {
            return step.apply(input);
        }
        NDManager owner = input.getManager();
        try (NDManager scope = owner.newSubManager()) {
            input.tempAttach(scope); // back to its owner when the scope closes
            NDArray out = step.apply(input);
            out.attach(owner);
            return out;
        }
    }

    /** Frees an intermediate at once when {@code release}: an attention-sized array need not wait for its scope. */
    private static void release(boolean release, NDArray array) {
        if (release) {
            array.close();
        }
    }

    /** A branch times its layer-scale gamma [D] (timm {@code ls1}, {@code ls2}), or the branch when the block has none. */
    private static NDArray scaled(Map<String, NDArray> ws, String key, NDArray branch) {
        NDArray gamma = ws.get(key);
        return gamma == null ? branch : branch.mul(gamma);
    }

    private NDArray layerNorm(NDArray x, String prefix, TraceOptions o) {
        return layerNorm(weights, x, prefix, o);
    }

    private NDArray layerNorm(Map<String, NDArray> ws, NDArray x, String prefix, TraceOptions o) {
        NDArray gamma = ws.get(prefix + ".weight");
        NDArray beta = ws.get(prefix + ".bias");
        float eps = (float) arch.layerNormEps();
        if (!o.detachLayerNormStd() && !o.detachLayerNormMean()) {
            return LayerNorm.layerNorm(x, new Shape(arch.dim()), gamma, beta, eps).head();
        }
        // Written out so that mean and std can be cut from the backward pass (CP-LRP "LN rule").
        NDArray mu = x.mean(new int[] {-1}, true);
        if (o.detachLayerNormMean()) {
            mu = mu.stopGradient();
        }
        NDArray centred = x.sub(mu);
        NDArray sigma = centred.square().mean(new int[] {-1}, true).add(eps).sqrt();
        if (o.detachLayerNormStd()) {
            sigma = sigma.stopGradient();
        }
        return centred.div(sigma).mul(gamma).add(beta);
    }

    private static NDArray gelu(NDArray h, TraceOptions o) {
        NDArray g = Activation.gelu(h);
        if (!o.geluIdentity()) {
            return g;
        }
        // Forward value stays GELU(h) exactly; the backward factor becomes GELU(h) / (h + 1e-10).
        NDArray factor = g.div(h.add(1e-10f)).stopGradient();
        NDArray linear = h.mul(factor);
        return g.stopGradient().add(linear.sub(linear.stopGradient()));
    }

    /**
     * keep [B, n - prefix] (nonzero = present: a kept patch, or a real token of a packed row) ->
     * additive key bias [B, 1, 1, n]: 0 where visible (prefix tokens always: class, distillation
     * and registers are never removed), -inf where held out.
     */
    private NDArray keyBias(NDArray keep) {
        NDManager m = keep.getManager();
        long b = keep.getShape().get(0);
        NDArray visible = keep.toType(DataType.FLOAT32, false).neq(0); // [B, n - prefix]
        int prefix = arch.numPrefixTokens();
        if (prefix > 0) {
            visible = m.ones(new Shape(b, prefix), DataType.BOOLEAN).concat(visible, 1); // [B, n]
        }
        NDArray zeros = m.zeros(visible.getShape());
        NDArray minusInf = m.full(visible.getShape(), Float.NEGATIVE_INFINITY);
        return NDArrays.where(visible, zeros, minusInf).reshape(b, 1, 1, visible.getShape().get(1));
    }

    /**
     * Drops held-out patch tokens (the prefix tokens stay). Rows are sorted by kept count and packed
     * into groups ({@link TokenPacking}); each group runs as one dense batch as long as its longest
     * row, a shorter row padded at its end with positions masked as keys exactly as attention
     * masking masks a held-out patch. A padded position changes no real token (its key weight is
     * exactly 0) and is never read: the class token is token 0, and average pooling takes the mean
     * of the row's real patch tokens only. So every row computes what it would alone, while a
     * batch of mixed kept counts runs as a few full batches instead of one small batch per count.
     */
    private NDArray tokenDrop(NDArray images, NDArray keep) {
        NDArray tokens = embedded(images); // [B, N, D]
        float[] flat = keep.toType(DataType.FLOAT32, false).toFloatArray();
        int b = (int) keep.getShape().get(0);
        int p = arch.numPatches();
        int prefix = arch.numPrefixTokens();
        int[] counts = new int[b];
        for (int r = 0; r < b; r++) {
            for (int i = 0; i < p; i++) {
                counts[r] += flat[r * p + i] != 0 ? 1 : 0;
            }
        }
        int[] order = TokenPacking.byCount(counts);
        int[] groupEnds = TokenPacking.groups(order, counts, prefix, TokenPacking.overheadTokens(arch.dim()));
        NDManager m = images.getManager();
        int d = arch.dim();
        int fullN = arch.numTokens();
        NDArray flatTokens = tokens.reshape((long) b * fullN, d); // [B, N, D] -> [B*N, D]
        NDList parts = new NDList();
        long[] position = new long[b * arch.numClasses()];
        int from = 0;
        for (int end : groupEnds) {
            int rows = end - from;
            int longest = counts[order[end - 1]];
            int n = prefix + longest;
            long[] index = new long[rows * n];
            float[] real = new float[rows * longest]; // 1 where a patch position holds a kept patch
            for (int j = 0; j < rows; j++) {
                int r = order[from + j];
                for (int k = 0; k < arch.numClasses(); k++) {
                    position[r * arch.numClasses() + k] = from + j;
                }
                long rowStart = (long) r * fullN;
                int t = j * n;
                for (int q = 0; q < prefix; q++) {
                    index[t++] = rowStart + q; // class, distillation, registers
                }
                int kept = 0;
                for (int i = 0; i < p; i++) {
                    if (flat[r * p + i] != 0) {
                        real[j * longest + kept++] = 1f;
                        index[t++] = rowStart + prefix + i;
                    }
                }
                while (t < (j + 1) * n) {
                    index[t++] = rowStart; // padding: a finite token, masked as a key and never read
                }
            }
            // rows of [B*N, D] -> [rows * n, D] -> [rows, n, D]
            NDArray groupTokens = flatTokens.get(m.create(index)).reshape(rows, n, d);
            boolean padded = counts[order[from]] != longest;
            NDArray present = padded ? m.create(real, new Shape(rows, longest)) : null;
            parts.add(forward(groupTokens, padded ? keyBias(present) : null, present, TraceOptions.NONE, null));
            from = end;
        }
        NDArray grouped = NDArrays.concat(parts, 0); // [B, K] in packed order
        return grouped.gather(m.create(position, new Shape(b, arch.numClasses())), 0);
    }

    /**
     * The traced internals (attention, token states, taps, per-block readouts) are laid out for a
     * plain ViT: token 0 is the class token and patch i is token i + 1. Until every method states
     * what it does with other layouts, asking for them on another layout fails loudly rather than
     * read the wrong rows. The input gradient and the logits work on every layout.
     */
    private void checkTraceable(TraceOptions o) {
        boolean internals = o.attention() || o.tokens() || o.attentionGradTaps() || o.norm1GradTaps()
                || o.readout() != TraceOptions.Readout.NONE;
        if (internals && !arch.plainLayout()) {
            throw new ConfigurationException("model " + config.name() + " has " + describeLayout() + "; methods that "
                    + "read attention, token states or per-block readouts support a plain ViT (class token, token "
                    + "pooling, no layer scale) only so far: choose perturbation or input-gradient methods for it");
        }
    }

    /** The non-plain parts of the layout, for messages. */
    String describeLayout() {
        List<String> parts = new ArrayList<>();
        VitConfig.Tokens t = arch.tokens();
        parts.add(t.cls() ? "a class token" : "no class token");
        if (t.distillation()) {
            parts.add("a distillation token");
        }
        if (t.registers() > 0) {
            parts.add(t.registers() + " register tokens");
        }
        parts.add(arch.pool() == VitConfig.Pool.AVG ? "average pooling" : "token pooling");
        if (arch.layerScale()) {
            parts.add("layer scale");
        }
        return String.join(", ", parts);
    }

    private void checkImages(NDArray images) {
        Shape s = images.getShape();
        if (s.dimension() != 4 || s.get(1) != arch.channels() || s.get(2) != arch.imageSize()
                || s.get(3) != arch.imageSize()) {
            throw new ConfigurationException("model " + config.name() + " expects images of shape [B, "
                    + arch.channels() + ", " + arch.imageSize() + ", " + arch.imageSize() + "], got " + s
                    + "; resize the images or choose a model for this input size");
        }
    }

    private void checkKeep(NDArray images, NDArray keep) {
        Shape s = keep.getShape();
        if (s.dimension() != 2 || s.get(0) != images.getShape().get(0) || s.get(1) != arch.numPatches()) {
            throw new IllegalArgumentException("keep mask must be [B, P] = [" + images.getShape().get(0) + ", "
                    + arch.numPatches() + "], got " + s);
        }
    }

    private NDArray w(String key) {
        return weights.get(key);
    }

    @Override
    public void close() {
        manager.close();
    }

    /** Collects the tensors a trace asked for. */
    private static final class Recorder {
        final List<NDArray> tokens = new ArrayList<>();
        final List<NDArray> norm1 = new ArrayList<>();
        final List<NDArray> attention = new ArrayList<>();
        final List<NDArray> attentionTaps = new ArrayList<>();
        final List<NDArray> norm1Taps = new ArrayList<>();
        final List<NDArray> readouts = new ArrayList<>();
    }
}
