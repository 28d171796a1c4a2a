package org.vitbench.models.published;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.vitbench.api.ConfigurationException;
import org.vitbench.api.Preprocessing;
import org.vitbench.models.ModelConfig;
import org.vitbench.models.VitConfig;

/**
 * Reads a timm hub {@code config.json} as timm's {@code save_config_for_hf} writes it
 * ({@code architecture}, {@code num_classes}, {@code num_features}, {@code global_pool},
 * {@code pretrained_cfg}, optional {@code model_args} and {@code label_names}) into a
 * {@link ModelConfig}, so that a directory downloaded from the hub loads unchanged.
 *
 * <p>The architecture comes from its name, read with the table below (timm's
 * {@code vision_transformer.py} and {@code deit.py} definitions), then {@code model_args} override
 * it, as {@code timm.create_model} does; the input size and channels come from
 * {@code pretrained_cfg.input_size}. Supported families ({@link #FAMILIES}):
 * <ul>
 *   <li>{@code vit_<size>_patch<P>_<S>}: plain ViT (class token, token pooling);</li>
 *   <li>{@code deit_<size>_patch16_<S>}: the same architecture;</li>
 *   <li>{@code deit_<size>_distilled_patch16_<S>}: with a distillation token and head;</li>
 *   <li>{@code deit3_<size>_patch<P>_<S>}: {@code no_embed_class}, layer scale;</li>
 *   <li>{@code vit_<size>_patch<P>_reg<R>_gap_<S>}: R register tokens, no class token,
 *       {@code no_embed_class}, average pooling with {@code fc_norm};</li>
 * </ul>
 * with sizes tiny (D 192, depth 12, 3 heads), small (384, 12, 6), medium (512, 12, 8), base (768,
 * 12, 12), large (1024, 24, 16) and huge (1280, 32, 16), MLP ratio 4, qkv bias, LayerNorm eps
 * 1e-6. Training-only {@code model_args} (drop rates, weight init) are ignored; any other argument
 * that changes the computation and is not supported is an error that names it.
 */
public final class TimmHub {

    /** The families, for messages. */
    public static final String FAMILIES = "vit_{tiny,small,medium,base,large,huge}_patch{8,14,16,32}_{224,384}, "
            + "deit_{tiny,small,base}[_distilled]_patch16_{224,384}, deit3_{small,medium,base,large,huge}_patch{14,16}"
            + "_{224,384}, vit_<size>_patch<P>_reg<R>_gap_<S>";

    private static final Pattern VIT = Pattern.compile("vit_(tiny|small|medium|base|large|huge)_patch(\\d+)_(\\d+)");
    private static final Pattern REG_GAP = Pattern.compile(
            "vit_(tiny|small|medium|base|large|huge)_patch(\\d+)_reg(\\d+)_gap_(\\d+)");
    private static final Pattern DEIT = Pattern.compile("deit_(tiny|small|base)(_distilled)?_patch(\\d+)_(\\d+)");
    private static final Pattern DEIT3 = Pattern.compile("deit3_(small|medium|base|large|huge)_patch(\\d+)_(\\d+)");

    /** D, depth, heads per size name. */
    private static final Map<String, int[]> SIZES = Map.of(
            "tiny", new int[] {192, 12, 3},
            "small", new int[] {384, 12, 6},
            "medium", new int[] {512, 12, 8},
            "base", new int[] {768, 12, 12},
            "large", new int[] {1024, 24, 16},
            "huge", new int[] {1280, 32, 16});

    /** model_args that only matter for training. */
    private static final Set<String> TRAINING_ONLY = Set.of("drop_rate", "pos_drop_rate", "patch_drop_rate",
            "proj_drop_rate", "attn_drop_rate", "drop_path_rate", "weight_init", "fix_init");

    private static final Set<String> SUPPORTED_ARGS = Set.of("img_size", "patch_size", "in_chans", "num_classes",
            "embed_dim", "depth", "num_heads", "mlp_ratio", "qkv_bias", "class_token", "no_embed_class", "reg_tokens",
            "global_pool", "fc_norm", "init_values", "distilled");

    private TimmHub() {
    }

    /** Whether {@code root} is a timm hub config: a string {@code architecture}. */
    public static boolean isTimmConfig(JsonNode root) {
        return root.path("architecture").isTextual();
    }

    /**
     * The model config of a timm hub {@code config.json}.
     *
     * @param where the file, for messages
     * @throws ConfigurationException when the architecture is outside the table or an argument is
     *     unsupported or malformed
     */
    public static ModelConfig read(JsonNode root, String where) {
        String architecture = root.get("architecture").asText();
        String name = architecture.contains(".") ? architecture.substring(0, architecture.indexOf('.')) : architecture;
        JsonNode pretrained = root.path("pretrained_cfg");
        JsonNode args = root.path("model_args");
        Arch a = fromName(name, where);

        JsonNode inputSize = pretrained.path("input_size");
        if (inputSize.isArray() && inputSize.size() == 3) {
            a.channels = positive(inputSize.get(0), where + ": pretrained_cfg.input_size[0]");
            int h = positive(inputSize.get(1), where + ": pretrained_cfg.input_size[1]");
            int w = positive(inputSize.get(2), where + ": pretrained_cfg.input_size[2]");
            if (h != w) {
                throw new ConfigurationException(where + ": input size " + h + " x " + w + " is not square; vitbench "
                        + "models take square images");
            }
            a.imageSize = h;
        }
        if (root.has("num_classes")) {
            a.classes = positive(root.get("num_classes"), where + ": num_classes");
        } else if (pretrained.has("num_classes")) {
            a.classes = positive(pretrained.get("num_classes"), where + ": pretrained_cfg.num_classes");
        }
        if (args.isObject()) {
            override(a, args, where);
        }
        VitConfig arch;
        try {
            arch = new VitConfig(a.imageSize, a.patch, a.channels, a.dim, a.depth, a.heads, a.mlpRatio, a.classes,
                    a.qkvBias, 1e-6, new VitConfig.Tokens(a.cls, a.distilled, a.registers, a.noEmbedClass), a.pool,
                    a.fcNorm == null ? a.pool == VitConfig.Pool.AVG : a.fcNorm, a.layerScale);
        } catch (IllegalArgumentException e) {
            throw new ConfigurationException(where + ": " + e.getMessage(), e);
        }
        float[] mean = floats(pretrained.path("mean"), new float[] {0.5f, 0.5f, 0.5f}, arch.channels(), where + ": mean");
        float[] std = floats(pretrained.path("std"), new float[] {0.5f, 0.5f, 0.5f}, arch.channels(), where + ": std");
        String interpolation = pretrained.path("interpolation").asText("bicubic");
        Map<String, Object> provenance = new LinkedHashMap<>();
        provenance.put("format", "timm-hub");
        provenance.put("architecture", architecture);
        if (pretrained.has("tag")) {
            provenance.put("tag", pretrained.get("tag").asText());
        }
        double cropPct = pretrained.path("crop_pct").asDouble(0.9); // timm's ViT default (_cfg)
        if (!(cropPct > 0 && cropPct <= 1)) {
            throw new ConfigurationException(where + ": pretrained_cfg.crop_pct must be in (0, 1], got " + cropPct);
        }
        String cropMode = pretrained.path("crop_mode").asText("center");
        Preprocessing.Resize resize = switch (cropMode) {
            case "center" -> Preprocessing.Resize.SHORTER_SIDE;
            case "squash" -> Preprocessing.Resize.SQUASH;
            default -> throw new ConfigurationException(where + ": pretrained_cfg.crop_mode '" + cropMode
                    + "' is not supported; vitbench prepares 'center' and 'squash'");
        };
        if (!interpolation.equals("bicubic") && !interpolation.equals("bilinear")) {
            throw new ConfigurationException(where + ": interpolation '" + interpolation + "' is not supported; "
                    + "bicubic or bilinear");
        }
        String modelName = pretrained.has("tag") ? name + "." + pretrained.get("tag").asText() : architecture;
        return new ModelConfig(modelName, arch, mean, std, interpolation, labels(root, arch.numClasses(), where),
                provenance, cropPct, resize);
    }

    /** Mutable architecture fields while the name and the arguments are read. */
    private static final class Arch {
        int imageSize;
        int patch;
        int channels = 3;
        int dim;
        int depth;
        int heads;
        double mlpRatio = 4;
        int classes = 1000;
        boolean qkvBias = true;
        boolean cls = true;
        boolean distilled;
        int registers;
        boolean noEmbedClass;
        VitConfig.Pool pool = VitConfig.Pool.TOKEN;
        Boolean fcNorm;
        boolean layerScale;

        void size(String size) {
            int[] s = SIZES.get(size);
            dim = s[0];
            depth = s[1];
            heads = s[2];
        }
    }

    private static Arch fromName(String name, String where) {
        Arch a = new Arch();
        Matcher m;
        if ((m = REG_GAP.matcher(name)).matches()) {
            a.size(m.group(1));
            a.patch = Integer.parseInt(m.group(2));
            a.registers = Integer.parseInt(m.group(3));
            a.imageSize = Integer.parseInt(m.group(4));
            a.cls = false;
            a.noEmbedClass = true;
            a.pool = VitConfig.Pool.AVG;
        } else if ((m = VIT.matcher(name)).matches()) {
            a.size(m.group(1));
            a.patch = Integer.parseInt(m.group(2));
            a.imageSize = Integer.parseInt(m.group(3));
        } else if ((m = DEIT.matcher(name)).matches()) {
            a.size(m.group(1));
            a.distilled = m.group(2) != null;
            a.patch = Integer.parseInt(m.group(3));
            a.imageSize = Integer.parseInt(m.group(4));
        } else if ((m = DEIT3.matcher(name)).matches()) {
            a.size(m.group(1));
            a.patch = Integer.parseInt(m.group(2));
            a.imageSize = Integer.parseInt(m.group(3));
            a.noEmbedClass = true;
            a.layerScale = true;
        } else {
            throw new ConfigurationException(where + ": timm architecture '" + name + "' is not one vitbench builds; "
                    + "supported families: " + FAMILIES + ". For another plain ViT, name the closest one and give its "
                    + "sizes in the config's model_args (img_size, patch_size, embed_dim, depth, num_heads, mlp_ratio, "
                    + "class_token, reg_tokens, no_embed_class, global_pool, fc_norm, init_values)");
        }
        return a;
    }

    private static void override(Arch a, JsonNode args, String where) {
        Set<String> unsupported = new TreeSet<>();
        for (Iterator<String> it = args.fieldNames(); it.hasNext();) {
            String key = it.next();
            if (!SUPPORTED_ARGS.contains(key) && !TRAINING_ONLY.contains(key)) {
                unsupported.add(key);
            }
        }
        if (!unsupported.isEmpty()) {
            throw new ConfigurationException(where + ": model_args " + unsupported + " change the architecture in ways "
                    + "vitbench does not build; supported: " + new TreeSet<>(SUPPORTED_ARGS));
        }
        String at = where + ": model_args.";
        if (args.has("img_size")) {
            JsonNode s = args.get("img_size");
            a.imageSize = s.isArray() ? square(s, at + "img_size") : positive(s, at + "img_size");
        }
        a.patch = args.has("patch_size") ? positive(args.get("patch_size"), at + "patch_size") : a.patch;
        a.channels = args.has("in_chans") ? positive(args.get("in_chans"), at + "in_chans") : a.channels;
        a.classes = args.has("num_classes") ? positive(args.get("num_classes"), at + "num_classes") : a.classes;
        a.dim = args.has("embed_dim") ? positive(args.get("embed_dim"), at + "embed_dim") : a.dim;
        a.depth = args.has("depth") ? positive(args.get("depth"), at + "depth") : a.depth;
        a.heads = args.has("num_heads") ? positive(args.get("num_heads"), at + "num_heads") : a.heads;
        if (args.has("mlp_ratio")) {
            a.mlpRatio = args.get("mlp_ratio").asDouble();
        }
        a.qkvBias = bool(args, "qkv_bias", a.qkvBias, at);
        a.cls = bool(args, "class_token", a.cls, at);
        a.noEmbedClass = bool(args, "no_embed_class", a.noEmbedClass, at);
        a.distilled = bool(args, "distilled", a.distilled, at);
        if (args.has("reg_tokens")) {
            a.registers = nonNegative(args.get("reg_tokens"), at + "reg_tokens");
        }
        if (args.has("global_pool")) {
            String pool = args.get("global_pool").asText();
            a.pool = switch (pool) {
                case "token" -> VitConfig.Pool.TOKEN;
                case "avg" -> VitConfig.Pool.AVG;
                default -> throw new ConfigurationException(at + "global_pool '" + pool + "' is not supported; "
                        + "vitbench builds 'token' and 'avg'");
            };
        }
        if (args.has("fc_norm") && !args.get("fc_norm").isNull()) {
            a.fcNorm = bool(args, "fc_norm", false, at);
        }
        if (args.has("init_values")) {
            a.layerScale = !args.get("init_values").isNull();
        }
    }

    private static List<String> labels(JsonNode root, int classes, String where) {
        JsonNode names = root.has("label_names") ? root.get("label_names") : root.path("pretrained_cfg").path("label_names");
        List<String> out = new ArrayList<>();
        if (names.isArray()) {
            names.forEach(n -> out.add(n.asText()));
        } else if (names.isObject()) {
            for (int i = 0; i < classes; i++) {
                JsonNode n = names.get(Integer.toString(i));
                out.add(n == null ? "class-" + i : n.asText());
            }
        } else {
            for (int i = 0; i < classes; i++) {
                out.add("class-" + i);
            }
        }
        if (out.size() != classes) {
            throw new ConfigurationException(where + ": label_names lists " + out.size() + " names for " + classes
                    + " classes");
        }
        return out;
    }

    static boolean bool(JsonNode args, String key, boolean fallback, String at) {
        if (!args.has(key)) {
            return fallback;
        }
        JsonNode v = args.get(key);
        if (!v.isBoolean()) {
            throw new ConfigurationException(at + key + " must be true or false, got " + v);
        }
        return v.asBoolean();
    }

    static int positive(JsonNode v, String what) {
        if (v == null || !v.canConvertToInt() || !v.isIntegralNumber() || v.asInt() <= 0) {
            throw new ConfigurationException(what + " must be a positive whole number, got " + v);
        }
        return v.asInt();
    }

    private static int nonNegative(JsonNode v, String what) {
        if (v == null || !v.isIntegralNumber() || !v.canConvertToInt() || v.asInt() < 0) {
            throw new ConfigurationException(what + " must be a whole number >= 0, got " + v);
        }
        return v.asInt();
    }

    private static int square(JsonNode s, String what) {
        if (s.size() != 2 || positive(s.get(0), what) != positive(s.get(1), what)) {
            throw new ConfigurationException(what + " must be square, got " + s);
        }
        return s.get(0).asInt();
    }

    static float[] floats(JsonNode node, float[] fallback, int channels, String what) {
        if (node.isMissingNode() || node.isNull()) {
            if (fallback.length != channels) {
                throw new ConfigurationException(what + " is missing and the default has " + fallback.length
                        + " channels, not " + channels);
            }
            return fallback;
        }
        if (!node.isArray() || node.size() != channels) {
            throw new ConfigurationException(what + " must list " + channels + " numbers, got " + node);
        }
        float[] out = new float[channels];
        for (int i = 0; i < channels; i++) {
            if (!node.get(i).isNumber()) {
                throw new ConfigurationException(what + " must list numbers, got " + node);
            }
            out[i] = (float) node.get(i).asDouble();
        }
        return out;
    }
}
