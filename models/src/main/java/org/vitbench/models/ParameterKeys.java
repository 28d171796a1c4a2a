package org.vitbench.models;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The exact timm parameter keys and shapes of a {@link VitConfig}: a timm {@code model.safetensors}
 * of that architecture has exactly these keys (Hugging Face checkpoints are renamed to them on
 * loading).
 */
public final class ParameterKeys {

    private ParameterKeys() {
    }

    /** Key to shape, in forward order. */
    public static Map<String, long[]> of(VitConfig c) {
        Map<String, long[]> keys = new LinkedHashMap<>();
        long d = c.dim();
        VitConfig.Tokens t = c.tokens();
        if (t.cls()) {
            keys.put("cls_token", new long[] {1, 1, d});
        }
        if (t.distillation()) {
            keys.put("dist_token", new long[] {1, 1, d});
        }
        if (t.registers() > 0) {
            keys.put("reg_token", new long[] {1, t.registers(), d});
        }
        keys.put("pos_embed", new long[] {1, c.positionTokens(), d});
        keys.put("patch_embed.proj.weight", new long[] {d, c.channels(), c.patchSize(), c.patchSize()});
        keys.put("patch_embed.proj.bias", new long[] {d});
        for (int l = 0; l < c.depth(); l++) {
            String p = "blocks." + l + ".";
            keys.put(p + "norm1.weight", new long[] {d});
            keys.put(p + "norm1.bias", new long[] {d});
            keys.put(p + "attn.qkv.weight", new long[] {3 * d, d});
            if (c.qkvBias()) {
                keys.put(p + "attn.qkv.bias", new long[] {3 * d});
            }
            keys.put(p + "attn.proj.weight", new long[] {d, d});
            keys.put(p + "attn.proj.bias", new long[] {d});
            if (c.layerScale()) {
                keys.put(p + "ls1.gamma", new long[] {d});
            }
            keys.put(p + "norm2.weight", new long[] {d});
            keys.put(p + "norm2.bias", new long[] {d});
            keys.put(p + "mlp.fc1.weight", new long[] {c.mlpHidden(), d});
            keys.put(p + "mlp.fc1.bias", new long[] {c.mlpHidden()});
            keys.put(p + "mlp.fc2.weight", new long[] {d, c.mlpHidden()});
            keys.put(p + "mlp.fc2.bias", new long[] {d});
            if (c.layerScale()) {
                keys.put(p + "ls2.gamma", new long[] {d});
            }
        }
        String norm = c.fcNorm() ? "fc_norm" : "norm";
        keys.put(norm + ".weight", new long[] {d});
        keys.put(norm + ".bias", new long[] {d});
        keys.put("head.weight", new long[] {c.numClasses(), d});
        keys.put("head.bias", new long[] {c.numClasses()});
        if (t.distillation()) {
            keys.put("head_dist.weight", new long[] {c.numClasses(), d});
            keys.put("head_dist.bias", new long[] {c.numClasses()});
        }
        return keys;
    }
}
