package org.vitbench.methods.attention;

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
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.vitbench.api.ConfigurationException;
import org.vitbench.api.GraphConstants;
import org.vitbench.api.ModelInfo;
import org.vitbench.api.ModelWeights;
import org.vitbench.api.VitModel;

/**
 * The LRP relevance {@code R^{A,l}} of every block's attention map, by the top-down relprop sweep
 * of Chefer, Gur &amp; Wolf 2021 ("Transformer Interpretability Beyond Attention Visualization",
 * CVPR, arXiv 2012.09838; reference {@code hila-chefer/Transformer-Explainability},
 * {@code modules/layers_ours.py} and {@code baselines/ViT/ViT_LRP.py}; whitebox brief §3.4).
 *
 * <p>A forward in plain NDArray ops from the model's weights (no gradients) saves every layer
 * input the rules read; the sweep then starts from {@code R = onehot_c} (value 1) at the logits:
 * <ul>
 *   <li>Linear (head, qkv, proj, fc1, fc2): α=1, β=0 without bias,
 *       {@code Z = X⁺W⁺ᵀ + X⁻W⁻ᵀ, S = sdiv(R, Z), R_in = X⁺⊙(S·W⁺) + X⁻⊙(S·W⁻)};
 *   <li>GELU, softmax, LayerNorm (norm1, norm2, final), dropout and the {@code 1/sqrt(d_h)} scale:
 *       identity;
 *   <li>Add (both residual joins): z-rule, then each share rescaled to
 *       {@code |ΣRa| / (|ΣRa| + |ΣRb|) · ΣR};
 *   <li>Clone (the residual fork): the branch relevances add;
 *   <li>A·V and Q·Kᵀ: z-rule on both operands ({@code Z} of Q·Kᵀ is the unscaled product, as the
 *       reference's einsum), every result halved; the halved relevance of A is {@code R^{A,l}};
 *   <li>CLS pooling: the relevance lands on the CLS row only.
 * </ul>
 * with {@code sdiv(a, b) = a / (b + 1e-9)} where {@code b ≠ 0}, else 0 (a denominator that lands on
 * exactly 0 gets 1e-9), as the reference's {@code safe_divide}.
 *
 * <p>Differences from the reference, all deliberate: (1) every image is swept on its own, so the
 * Add rule's sums run over one image's tensor, where the reference sweeps batch element 0 only
 * (its sums over the whole batch tensor equal these at batch size 1); (2) pooling and Clone pass
 * relevance through exactly, where the reference's z-rule forms ({@code X ⊙ sdiv(R, X)}) scale it by
 * {@code X / (X + 1e-9)}, a relative change of at most {@code 1e-9 / |X|}; (3) the forward uses the
 * model's own LayerNorm eps for the final norm (timm's 1e-6), where {@code ViT_LRP.py} builds it with
 * 1e-5; (4) the sweep stops at block 0's attention map, since nothing below it is read.
 *
 * <p>Precision: the forward and the sweep run in float64 (weights and pixels converted), the
 * result is returned in float32. The rules divide by sums that can nearly cancel (Add's
 * {@code a + b}, the attention matmuls' {@code Z}), which amplifies rounding: in float32, the same
 * image swept alone and in a batch (different kernels, different rounding) differed by 1e-3
 * relative on the tiny test ViT, where float64 keeps both, and the float64 Python reference, equal.
 *
 * <p>Only models with the {@link ModelWeights} capability, whose weights it reads. Stateless and thread-safe; results
 * live on the manager of the images.
 */
final class CheferRelevance {

    /** The stabiliser of the reference's {@code safe_divide}. */
    static final double EPS = 1e-9;

    private CheferRelevance() {
    }

    /**
     * Runs the forward and the sweep for one batch.
     *
     * @param model a model with the {@link ModelWeights} capability
     * @param images {@code [B, C, S, S]} in [0, 1]
     * @param targets one class per image
     * @param method the explainer id, for the error message
     * @return per block {@code [B, H, N, N]}, on the manager of {@code images}
     * @throws ConfigurationException when {@code model} does not expose its weights
     */
    static List<NDArray> attentionRelevance(VitModel model, NDArray images, int[] targets, String method) {
        ModelWeights weights = require(model, method);
        int b = (int) images.getShape().get(0);
        int k = model.info().classNames().size();
        if (targets.length != b) {
            throw new IllegalArgumentException(targets.length + " targets for " + b + " images");
        }
        float[] onehot = new float[b * k];
        for (int i = 0; i < b; i++) {
            if (targets[i] < 0 || targets[i] >= k) {
                throw new IllegalArgumentException("target " + targets[i] + " of sample " + i
                        + " is not a class of model " + model.info().name() + " (0 to " + (k - 1) + ")");
            }
            onehot[i * k + targets[i]] = 1f;
        }
        NDManager out = images.getManager();
        try (NDManager scope = out.newSubManager()) {
            Sweep sweep = new Sweep(model.info(), weights, scope);
            List<NDArray> relevance = sweep.run(images, scope.create(onehot, new Shape(b, k)));
            for (NDArray r : relevance) {
                r.attach(out);
            }
            return relevance;
        }
    }

    private static ModelWeights require(VitModel model, String method) {
        return model.capability(ModelWeights.class).orElseThrow(() -> new ConfigurationException(method
                + " relevance=chefer runs Chefer's relprop sweep on the model's weights, and model "
                + model.info().name() + " does not expose them (the ModelWeights capability); use "
                + "relevance=gradient-rules with this model"));
    }

    /** {@code sdiv(a, b) = a / (b + 1e-9)} where {@code b ≠ 0}, else 0; a denominator of exactly 0 gets 1e-9. */
    static NDArray sdiv(NDArray a, NDArray b) {
        NDArray den = b.add(EPS);
        den = den.add(GraphConstants.mul(den.eq(0f).toType(b.getDataType(), false), EPS));
        return a.div(den).mul(b.neq(0f).toType(b.getDataType(), false));
    }

    /**
     * Linear α=1, β=0 without bias.
     *
     * @param x the layer input {@code [..., in]}
     * @param weight {@code [out, in]} on a manager the caller closes (W⁺ and W⁻ are made there)
     * @param r relevance at the output {@code [..., out]}
     * @return relevance at the input {@code [..., in]}
     */
    static NDArray linear(NDArray x, NDArray weight, NDArray r) {
        NDArray xp = GraphConstants.maximum(x, 0);
        NDArray xn = GraphConstants.minimum(x, 0);
        NDArray wp = GraphConstants.maximum(weight, 0);
        NDArray wn = GraphConstants.minimum(weight, 0);
        // [..., in] x [in, out] -> [..., out]
        NDArray z = Linear.linear(xp, wp, null).head().add(Linear.linear(xn, wn, null).head());
        NDArray s = sdiv(r, z);
        // [..., out] x [out, in] -> [..., in]
        return xp.mul(s.matMul(wp)).add(xn.mul(s.matMul(wn)));
    }

    /**
     * Add with renormalisation; the sums run over each image's tensor.
     *
     * @param a first summand {@code [B, ...]}
     * @param b second summand, same shape
     * @param r relevance at {@code a + b}
     * @return the relevance of {@code a} and of {@code b}
     */
    static NDArray[] add(NDArray a, NDArray b, NDArray r) {
        NDArray s = sdiv(r, a.add(b));
        NDArray ra = a.mul(s);
        NDArray rb = b.mul(s);
        int[] axes = new int[r.getShape().dimension() - 1];
        Arrays.setAll(axes, i -> i + 1);
        NDArray sa = ra.sum(axes, true); // [B, ...] -> [B, 1, ...]
        NDArray sb = rb.sum(axes, true);
        NDArray sr = r.sum(axes, true);
        NDArray total = sa.abs().add(sb.abs());
        NDArray fa = sdiv(sa.abs(), total).mul(sr);
        NDArray fb = sdiv(sb.abs(), total).mul(sr);
        return new NDArray[] {ra.mul(sdiv(fa, sa)), rb.mul(sdiv(fb, sb))};
    }

    /**
     * The z-rule for {@code Z = x · y} on the last two axes, both operands.
     *
     * @param x {@code [..., n, m]}
     * @param y {@code [..., m, p]}
     * @param r {@code [..., n, p]}
     * @return the relevance of {@code x} and of {@code y}
     */
    static NDArray[] matMul(NDArray x, NDArray y, NDArray r) {
        NDArray s = sdiv(r, x.matMul(y));
        int d = r.getShape().dimension();
        int[] swap = new int[d];
        Arrays.setAll(swap, i -> i);
        swap[d - 2] = d - 1;
        swap[d - 1] = d - 2;
        // [..., n, p] x [..., p, m] -> [..., n, m];  [..., m, n] x [..., n, p] -> [..., m, p]
        return new NDArray[] {x.mul(s.matMul(y.transpose(swap))), y.mul(x.transpose(swap).matMul(s))};
    }

    /**
     * One batch in float64: the saved forward, then the sweep. Each block's weights are converted on
     * a sub-manager closed at the end of that block, so at most one block's float64 weights (and
     * their positive and negative parts) exist at a time.
     */
    private static final class Sweep {

        private static final DataType F64 = DataType.FLOAT64;

        private final ModelInfo arch;
        private final double eps;
        private final Map<String, NDArray> weights;
        private final NDManager scope;
        private NDManager weightScope;

        Sweep(ModelInfo info, ModelWeights model, NDManager scope) {
            this.arch = info;
            this.eps = model.layerNormEps();
            this.weights = model.weights();
            this.scope = scope;
        }

        /** A float64 copy of a weight on the current weight scope (never on the model's manager). */
        private NDArray w(String key) {
            NDArray copy = weights.get(key).toType(F64, true);
            copy.attach(weightScope);
            return copy;
        }

        private NDArray layerNorm(NDArray x, String prefix) {
            return LayerNorm.layerNorm(x, new Shape(arch.dim()), w(prefix + ".weight"), w(prefix + ".bias"),
                    (float) eps).head();
        }

        List<NDArray> run(NDArray pixels, NDArray onehot) {
            long b = pixels.getShape().get(0);
            int n = arch.numTokens();
            int d = arch.dim();
            int c = arch.channels();
            NDArray mean = scope.create(arch.preprocessing().mean(), new Shape(1, c, 1, 1)).toType(F64, false);
            NDArray std = scope.create(arch.preprocessing().std(), new Shape(1, c, 1, 1)).toType(F64, false);
            NDArray z;
            try (NDManager ws = scope.newSubManager()) {
                weightScope = ws;
                NDArray x = mean.neg().add(pixels.toType(F64, false)).div(std); // (pixels - mean) / std
                // [B, C, S, S] -> [B, D, g, g] -> [B, D, P] -> [B, P, D]
                NDArray patches = Conv2d.conv2d(x, w("patch_embed.proj.weight"), w("patch_embed.proj.bias"),
                        new Shape(arch.patchSize(), arch.patchSize())).head()
                        .reshape(b, d, arch.numPatches()).transpose(0, 2, 1);
                NDArray cls = w("cls_token").broadcast(b, 1, d); // [1, 1, D] -> [B, 1, D]
                cls.attach(scope);
                z = cls.concat(patches, 1).add(w("pos_embed")); // [B, N, D]
            }
            // Each layer's forward and relprop run in a sub-scope: what the rules read is kept in the
            // sweep's scope, every other intermediate is freed with the layer (at ViT-B/16, keeping
            // them all held several GB per image in float64)
            List<Block> blocks = new ArrayList<>();
            for (int l = 0; l < arch.depth(); l++) {
                try (NDManager ws = scope.newSubManager()) {
                    weightScope = ws;
                    ws.tempAttachAll(z); // so that the results of operations on it land in ws
                    Block s = forward(l, z);
                    z = s.z1.add(s.mlpOut);
                    z.attach(scope);
                    s.keepIn(scope);
                    blocks.add(s);
                }
            }
            NDArray r;
            try (NDManager ws = scope.newSubManager()) {
                weightScope = ws;
                NDArray pooled = layerNorm(z, "norm").get(":, 0, :"); // [B, N, D] -> [B, D]
                // head: [B, K] -> [B, D]; final norm: identity; CLS pooling: [B, D] -> [B, 1, D] -> [B, N, D]
                NDArray rCls = linear(pooled, w("head.weight"), onehot.toType(F64, false));
                r = rCls.expandDims(1).concat(scope.zeros(new Shape(b, n - 1, d), F64), 1);
            }
            NDArray[] relevance = new NDArray[arch.depth()];
            for (int l = arch.depth() - 1; l >= 0; l--) {
                Block s = blocks.get(l);
                NDArray above = r;
                try (NDManager ws = scope.newSubManager()) {
                    weightScope = ws;
                    ws.tempAttachAll(r);
                    ws.tempAttachAll(s.arrays());
                    NDArray next = backward(l, s, r, relevance);
                    relevance[l].attach(scope);
                    if (next != null) {
                        next.attach(scope);
                    }
                    r = next;
                }
                s.close(); // the layer's saved inputs are read by its relprop only
                above.close();
            }
            List<NDArray> out = new ArrayList<>();
            for (NDArray rA : relevance) {
                out.add(rA.toType(DataType.FLOAT32, false)); // the gradients it meets are float32
            }
            return out;
        }

        /** Block {@code l}'s forward from its input {@code z} {@code [B, N, D]}, saving what the rules read. */
        private Block forward(int l, NDArray z) {
            String p = "blocks." + l + ".";
            long b = z.getShape().get(0);
            int n = arch.numTokens();
            int h = arch.heads();
            int dh = arch.dim() / arch.heads();
            Block s = new Block();
            s.z = z;
            s.u = layerNorm(z, p + "norm1");
            // [B, N, 3D] -> [B, N, 3, H, D/H] -> [3, B, H, N, D/H]
            NDArray qkv = Linear.linear(s.u, w(p + "attn.qkv.weight"),
                    weights.containsKey(p + "attn.qkv.bias") ? w(p + "attn.qkv.bias") : null).head()
                    .reshape(b, n, 3, h, dh).transpose(2, 0, 3, 1, 4);
            s.q = qkv.get(0);
            s.k = qkv.get(1);
            s.v = qkv.get(2);
            // [B, H, N, D/H] x [B, H, D/H, N] -> [B, H, N, N]
            s.a = GraphConstants.mul(s.q, 1.0 / Math.sqrt(dh)).matMul(s.k.transpose(0, 1, 3, 2)).softmax(-1);
            // [B, H, N, N] x [B, H, N, D/H] -> [B, H, N, D/H] -> [B, N, H, D/H] -> [B, N, D]
            s.o = s.a.matMul(s.v).transpose(0, 2, 1, 3).reshape(b, n, arch.dim());
            s.attnOut = Linear.linear(s.o, w(p + "attn.proj.weight"), w(p + "attn.proj.bias")).head();
            s.z1 = z.add(s.attnOut);
            s.u2 = layerNorm(s.z1, p + "norm2");
            s.g = Activation.gelu(Linear.linear(s.u2, w(p + "mlp.fc1.weight"), w(p + "mlp.fc1.bias")).head());
            s.mlpOut = Linear.linear(s.g, w(p + "mlp.fc2.weight"), w(p + "mlp.fc2.bias")).head();
            return s;
        }

        /**
         * Block {@code l}'s relprop: relevance {@code r} at its output {@code [B, N, D]} to its input;
         * stores {@code R^{A,l}} in {@code relevance[l]}. Block 0 returns null: nothing below its
         * attention map is read.
         */
        private NDArray backward(int l, Block s, NDArray r, NDArray[] relevance) {
            String p = "blocks." + l + ".";
            long b = r.getShape().get(0);
            int n = arch.numTokens();
            int h = arch.heads();
            int dh = arch.dim() / arch.heads();
            NDArray[] mlpAdd = add(s.z1, s.mlpOut, r);
            NDArray rMlp = linear(s.g, w(p + "mlp.fc2.weight"), mlpAdd[1]); // [B, N, D] -> [B, N, 4D]; GELU: identity
            rMlp = linear(s.u2, w(p + "mlp.fc1.weight"), rMlp); // [B, N, 4D] -> [B, N, D]; norm2: identity
            NDArray rMid = mlpAdd[0].add(rMlp); // clone: the branches add

            NDArray[] attnAdd = add(s.z, s.attnOut, rMid);
            // proj: [B, N, D] -> [B, N, D]; then [B, N, D] -> [B, N, H, D/H] -> [B, H, N, D/H]
            NDArray rHeads = linear(s.o, w(p + "attn.proj.weight"), attnAdd[1]).reshape(b, n, h, dh)
                    .transpose(0, 2, 1, 3);
            NDArray[] av = matMul(s.a, s.v, rHeads);
            NDArray rA = GraphConstants.div(av[0], 2); // [B, H, N, N]
            relevance[l] = rA;
            if (l == 0) {
                return null;
            }
            NDArray rV = GraphConstants.div(av[1], 2); // [B, H, N, D/H]
            // softmax and the 1/sqrt(d_h) scale: identity; Z is the unscaled Q·Kᵀ, as the reference's einsum
            NDArray[] qk = matMul(s.q, s.k.transpose(0, 1, 3, 2), rA);
            NDArray rQ = GraphConstants.div(qk[0], 2); // [B, H, N, D/H]
            NDArray rK = GraphConstants.div(qk[1], 2).transpose(0, 1, 3, 2); // [B, H, D/H, N] -> [B, H, N, D/H]
            // 3 x [B, H, N, D/H] -> [3, B, H, N, D/H] -> [B, N, 3, H, D/H] -> [B, N, 3D]
            NDArray rQkv = NDArrays.stack(new NDList(rQ, rK, rV)).transpose(1, 3, 0, 2, 4).reshape(b, n, 3L * arch.dim());
            NDArray rU = linear(s.u, w(p + "attn.qkv.weight"), rQkv); // [B, N, 3D] -> [B, N, D]; norm1: identity
            return attnAdd[0].add(rU); // clone: the branches add
        }
    }

    /** The layer inputs of one block that the rules read. */
    private static final class Block {
        NDArray z;       // block input [B, N, D]
        NDArray u;       // norm1 output [B, N, D]
        NDArray q;       // [B, H, N, D/H]
        NDArray k;       // [B, H, N, D/H]
        NDArray v;       // [B, H, N, D/H]
        NDArray a;       // attention probabilities [B, H, N, N]
        NDArray o;       // A·V with heads merged [B, N, D]
        NDArray attnOut; // proj(o) [B, N, D]
        NDArray z1;      // z + attnOut [B, N, D]
        NDArray u2;      // norm2 output [B, N, D]
        NDArray g;       // GELU(fc1(u2)) [B, N, 4D]
        NDArray mlpOut;  // fc2(g) [B, N, D]

        NDArray[] arrays() {
            return new NDArray[] {z, u, q, k, v, a, o, attnOut, z1, u2, g, mlpOut};
        }

        /** Moves the saved arrays to {@code manager}, out of the layer's sub-scope. */
        void keepIn(NDManager manager) {
            for (NDArray x : arrays()) {
                x.attach(manager);
            }
        }

        void close() {
            for (NDArray x : arrays()) {
                x.close();
            }
        }
    }
}
