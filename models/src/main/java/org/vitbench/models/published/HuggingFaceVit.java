package org.vitbench.models.published;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.vitbench.api.ConfigurationException;
import org.vitbench.api.Preprocessing;
import org.vitbench.models.ModelConfig;
import org.vitbench.models.VitConfig;
import org.vitbench.models.checkpoint.Tensor;

/**
 * Reads a Hugging Face {@code ViTForImageClassification} directory: {@code config.json}
 * ({@code model_type: vit}, sizes, {@code layer_norm_eps}, {@code id2label}),
 * {@code preprocessor_config.json} ({@code image_mean}, {@code image_std}, {@code resample}) and
 * {@code model.safetensors} with Hugging Face's key names, which {@link #toTimmKeys} renames to
 * timm's, fusing the separate query, key and value projections into {@code attn.qkv} (rows q, k, v).
 * The network is timm's plain ViT: CLS pooling after the final LayerNorm, exact GELU.
 */
public final class HuggingFaceVit {

    private static final Pattern LAYER = Pattern.compile("vit\\.encoder\\.layer\\.(\\d+)\\.(.+)");
    private static final Map<String, String> BLOCK_KEYS = Map.of(
            "layernorm_before", "norm1",
            "attention.output.dense", "attn.proj",
            "layernorm_after", "norm2",
            "intermediate.dense", "mlp.fc1",
            "output.dense", "mlp.fc2");
    private static final Map<String, String> TOP_KEYS = Map.of(
            "vit.embeddings.cls_token", "cls_token",
            "vit.embeddings.position_embeddings", "pos_embed",
            "vit.embeddings.patch_embeddings.projection.weight", "patch_embed.proj.weight",
            "vit.embeddings.patch_embeddings.projection.bias", "patch_embed.proj.bias",
            "vit.layernorm.weight", "norm.weight",
            "vit.layernorm.bias", "norm.bias",
            "classifier.weight", "head.weight",
            "classifier.bias", "head.bias");
    /** PIL's resampling filters by their number in a Hugging Face processor config. */
    private static final Map<Integer, String> RESAMPLE = Map.of(2, "bilinear", 3, "bicubic");

    private HuggingFaceVit() {
    }

    /** Whether {@code root} is a Hugging Face ViT config. */
    public static boolean isHuggingFaceConfig(JsonNode root) {
        return root.has("model_type") && root.has("hidden_size");
    }

    /**
     * The model config of a Hugging Face ViT.
     *
     * @param processor the parsed {@code preprocessor_config.json}, or a missing node (then
     *     {@code ViTImageProcessor}'s defaults: mean and std 0.5, bilinear)
     * @param name the model's name (its directory's)
     */
    public static ModelConfig read(JsonNode root, JsonNode processor, String name, String where) {
        String type = root.get("model_type").asText();
        if (!type.equals("vit")) {
            throw new ConfigurationException(where + ": model_type '" + type + "' is not a ViT; vitbench reads Hugging "
                    + "Face 'vit' models (ViTForImageClassification) and timm hub directories");
        }
        String act = root.path("hidden_act").asText("gelu");
        if (!act.equals("gelu")) {
            throw new ConfigurationException(where + ": hidden_act '" + act + "' is not supported; vitbench's ViT uses "
                    + "exact GELU ('gelu')");
        }
        int dim = TimmHub.positive(root.get("hidden_size"), where + ": hidden_size");
        int heads = TimmHub.positive(root.get("num_attention_heads"), where + ": num_attention_heads");
        int hidden = TimmHub.positive(root.get("intermediate_size"), where + ": intermediate_size");
        JsonNode labels = root.path("id2label");
        int classes = labels.isObject() && labels.size() > 0 ? labels.size() : root.path("num_labels").asInt(2);
        List<String> names = new ArrayList<>();
        for (int i = 0; i < classes; i++) {
            JsonNode n = labels.get(Integer.toString(i));
            names.add(n == null ? "LABEL_" + i : n.asText());
        }
        VitConfig arch;
        try {
            arch = new VitConfig(TimmHub.positive(root.get("image_size"), where + ": image_size"),
                    TimmHub.positive(root.get("patch_size"), where + ": patch_size"),
                    root.has("num_channels") ? TimmHub.positive(root.get("num_channels"), where + ": num_channels") : 3,
                    dim, TimmHub.positive(root.get("num_hidden_layers"), where + ": num_hidden_layers"), heads,
                    hidden / (double) dim, classes, TimmHub.bool(root, "qkv_bias", true, where + ": "),
                    root.path("layer_norm_eps").asDouble(1e-12));
        } catch (IllegalArgumentException e) {
            throw new ConfigurationException(where + ": " + e.getMessage(), e);
        }
        float[] mean = TimmHub.floats(processor.path("image_mean"), new float[] {0.5f, 0.5f, 0.5f}, arch.channels(),
                where + ": image_mean");
        float[] std = TimmHub.floats(processor.path("image_std"), new float[] {0.5f, 0.5f, 0.5f}, arch.channels(),
                where + ": image_std");
        int resample = processor.path("resample").asInt(2);
        String interpolation = RESAMPLE.get(resample);
        if (interpolation == null) {
            throw new ConfigurationException(where + ": resample " + resample + " is not supported; 2 (bilinear) or "
                    + "3 (bicubic)");
        }
        Map<String, Object> provenance = new LinkedHashMap<>();
        provenance.put("format", "huggingface");
        if (!processor.path("do_resize").asBoolean(true)) {
            throw new ConfigurationException(where + ": do_resize false (images fed at their own size) is not supported: "
                    + "vitbench resizes every image to the model's input size");
        }
        JsonNode size = processor.path("size");
        if (size.isObject() && (size.path("height").asInt(arch.imageSize()) != arch.imageSize()
                || size.path("width").asInt(arch.imageSize()) != arch.imageSize())) {
            throw new ConfigurationException(where + ": the processor resizes to " + size + " but the model takes "
                    + arch.imageSize() + " x " + arch.imageSize());
        }
        // ViTImageProcessor resizes straight to (height, width) with no crop: a squash at crop share 1
        return new ModelConfig(name, arch, mean, std, interpolation, names, provenance, 1.0,
                Preprocessing.Resize.SQUASH);
    }

    /**
     * Hugging Face keys to timm keys: every key renamed, query/key/value fused. Strict: a key
     * neither renamed nor fused is an error naming it.
     */
    public static Map<String, Tensor> toTimmKeys(Map<String, Tensor> hf, String where) {
        Map<String, Tensor> out = new LinkedHashMap<>();
        Map<String, Tensor[]> qkv = new LinkedHashMap<>(); // timm key -> {q, k, v}
        for (Map.Entry<String, Tensor> e : hf.entrySet()) {
            String key = e.getKey();
            if (TOP_KEYS.containsKey(key)) {
                out.put(TOP_KEYS.get(key), e.getValue());
                continue;
            }
            Matcher m = LAYER.matcher(key);
            if (!m.matches()) {
                throw unknown(key, where);
            }
            String block = "blocks." + m.group(1) + ".";
            String rest = m.group(2);
            int dot = rest.lastIndexOf('.');
            String module = rest.substring(0, dot);
            String field = rest.substring(dot + 1); // weight or bias
            int part = switch (module) {
                case "attention.attention.query" -> 0;
                case "attention.attention.key" -> 1;
                case "attention.attention.value" -> 2;
                default -> -1;
            };
            if (part >= 0) {
                qkv.computeIfAbsent(block + "attn.qkv." + field, k -> new Tensor[3])[part] = e.getValue();
            } else if (BLOCK_KEYS.containsKey(module)) {
                out.put(block + BLOCK_KEYS.get(module) + "." + field, e.getValue());
            } else {
                throw unknown(key, where);
            }
        }
        for (Map.Entry<String, Tensor[]> e : qkv.entrySet()) {
            Tensor[] parts = e.getValue();
            for (int i = 0; i < 3; i++) {
                if (parts[i] == null) {
                    throw new ConfigurationException(where + ": " + e.getKey() + " needs query, key and value; the "
                            + new String[] {"query", "key", "value"}[i] + " is missing");
                }
            }
            out.put(e.getKey(), concatRows(parts, e.getKey(), where));
        }
        return out;
    }

    /** [r, ...] x 3 -> [3r, ...]: row-major arrays, so the values simply follow each other. */
    private static Tensor concatRows(Tensor[] parts, String key, String where) {
        long[] shape = parts[0].shape();
        int length = parts[0].values().length;
        for (Tensor t : parts) {
            if (!java.util.Arrays.equals(t.shape(), shape)) {
                throw new ConfigurationException(where + ": the query, key and value of " + key + " differ in shape");
            }
        }
        float[] values = new float[3 * length];
        for (int i = 0; i < 3; i++) {
            System.arraycopy(parts[i].values(), 0, values, i * length, length);
        }
        long[] fused = shape.clone();
        fused[0] *= 3;
        return new Tensor("F32", fused, values);
    }

    private static ConfigurationException unknown(String key, String where) {
        return new ConfigurationException(where + ": unknown parameter '" + key + "' for a Hugging Face "
                + "ViTForImageClassification (a ViTModel with a pooler, or another architecture?)");
    }
}
