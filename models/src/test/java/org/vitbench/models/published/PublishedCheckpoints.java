package org.vitbench.models.published;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.vitbench.models.checkpoint.Safetensors;
import org.vitbench.models.checkpoint.Tensor;

/**
 * The random-weight checkpoints of {@code fixtures/published/} (see its
 * {@code make_published_fixtures.py}): config files as the libraries publish them, weights
 * regenerated bit for bit from the manifest, so that a directory is laid out exactly as a user's
 * download. Published in the models test-jar for tests of other modules.
 */
public final class PublishedCheckpoints {

    /** The layouts, by fixture folder. */
    public static final List<String> LAYOUTS = List.of("timm-vit-tiny", "timm-deit-tiny-distilled",
            "timm-reg4-gap-layerscale", "hf-vit-tiny");

    private static final long GOLDEN = 0x9E3779B97F4A7C15L;
    private static final ObjectMapper JSON = new ObjectMapper();
    /** A timm ({@code blocks.N.}) or Hugging Face ({@code encoder.layer.N.}) block key. */
    private static final java.util.regex.Pattern BLOCK_KEY = java.util.regex.Pattern.compile(
            "(?:^blocks|encoder\\.layer)\\.(\\d+)\\.");

    private PublishedCheckpoints() {
    }

    /** Writes layout {@code name}'s checkpoint directory into {@code dir}: configs and {@code model.safetensors}. */
    public static Path write(String name, Path dir) {
        return write(name, dir, 0);
    }

    /**
     * As {@link #write(String, Path)}, with only the first {@code depth} blocks (0: all): the
     * config says so as its library would (timm: {@code model_args.depth}; Hugging Face:
     * {@code num_hidden_layers}) and the weights of later blocks are left out. Every other size,
     * token and key stays as published; for tests whose cost grows with depth.
     */
    public static Path write(String name, Path dir, int depth) {
        try {
            Files.createDirectories(dir);
            for (String file : List.of("config.json", "preprocessor_config.json")) {
                try (InputStream in = resource(name, file, true)) {
                    if (in != null) {
                        Files.copy(in, dir.resolve(file));
                    }
                }
            }
            if (depth > 0) {
                ObjectNode config = (ObjectNode) JSON.readTree(dir.resolve("config.json").toFile());
                if (config.has("model_type")) {
                    config.put("num_hidden_layers", depth);
                } else {
                    config.with("model_args").put("depth", depth);
                }
                JSON.writerWithDefaultPrettyPrinter().writeValue(dir.resolve("config.json").toFile(), config);
            }
            Map<String, Tensor> tensors = new LinkedHashMap<>();
            for (JsonNode p : read(name, "manifest.json")) {
                if (depth > 0 && blockOf(p.get("key").asText()) >= depth) {
                    continue;
                }
                long[] shape = JSON.convertValue(p.get("shape"), long[].class);
                long count = 1;
                for (long s : shape) {
                    count *= s;
                }
                tensors.put(p.get("key").asText(), new Tensor("F32", shape, values(Long.parseUnsignedLong(
                        p.get("seed").asText()), Math.toIntExact(count), p.get("scale").asDouble(),
                        p.get("offset").asDouble())));
            }
            Safetensors.write(dir.resolve("model.safetensors"), tensors, Map.of("format", "pt"));
            return dir;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The input of the reference logits, {@code [2, 3, 224, 224]} in [0, 1], row-major. */
    public static float[] input(String name) {
        JsonNode in = read(name, "reference.json").get("input");
        long count = 1;
        for (JsonNode s : in.get("shape")) {
            count *= s.asLong();
        }
        return values(Long.parseUnsignedLong(in.get("seed").asText()), Math.toIntExact(count),
                in.get("scale").asDouble(), in.get("offset").asDouble());
    }

    /** PyTorch's logits for {@link #input}, {@code [2][K]}. */
    public static float[][] referenceLogits(String name) {
        return JSON.convertValue(read(name, "reference.json").get("logits"), float[][].class);
    }

    /**
     * Element i is {@code float(offset + scale * (2u - 1))} with
     * {@code u = (splitmix64(seed + (i + 1) * golden) >>> 40) / 2^24}, as the script computes it.
     */
    static float[] values(long seed, int count, double scale, double offset) {
        float[] out = new float[count];
        for (int i = 0; i < count; i++) {
            long z = seed + (i + 1L) * GOLDEN;
            z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
            z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
            z ^= z >>> 31;
            double u = (z >>> 40) / (double) (1 << 24);
            out[i] = (float) (offset + scale * (2.0 * u - 1.0));
        }
        return out;
    }

    /** The block index of a timm ({@code blocks.N.}) or Hugging Face ({@code encoder.layer.N.}) key, else -1. */
    private static int blockOf(String key) {
        java.util.regex.Matcher m = BLOCK_KEY.matcher(key);
        return m.find() ? Integer.parseInt(m.group(1)) : -1;
    }

    private static JsonNode read(String name, String file) {
        try (InputStream in = resource(name, file, false)) {
            return JSON.readTree(in);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static InputStream resource(String name, String file, boolean optional) {
        InputStream in = PublishedCheckpoints.class.getResourceAsStream("/fixtures/published/" + name + "/" + file);
        if (in == null && !optional) {
            throw new IllegalStateException("fixture " + name + "/" + file + " is missing from the test class path");
        }
        return in;
    }
}
