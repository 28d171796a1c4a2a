package org.vitbench.runner.run;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLParser;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import org.vitbench.api.ConfigurationException;

/**
 * Reads a run config from YAML, strictly: an unknown key fails naming the key and the allowed
 * ones. Plug-ins are written either as spec strings ({@code "kernel-shap:budget=2048"}) or as maps
 * with an {@code id} and parameters ({@code {id: kernel-shap, budget: 2048}}). Keys left out stay
 * {@code null} so that command-line options and defaults fill them.
 *
 * <pre>
 * model: embedded
 * dataset: {id: fashion-mnist-embedded}
 * limit: 100
 * methods: [attention-rollout, random]
 * metrics:
 *   - deletion:preset=vit-shapley
 * seed: 0
 * batch-size: 16
 * out: vitbench-out
 * device: cpu
 * shard: 1/4
 * heatmap-cache: vitbench-out/heatmaps
 * gallery-samples: 4
 * spark: local[2]
 * spark-tasks: 8
 * </pre>
 *
 * @param model the model, or null
 * @param evaluationModel the model the metrics evaluate, or null
 * @param dataset the dataset, or null
 * @param limit the sample limit, or null
 * @param methods the methods, or null
 * @param metrics the metrics, or null
 * @param seed the seed, or null
 * @param batchSize the batch size, or null
 * @param out the output directory (relative to the working directory), or null
 * @param shard the part of the samples this process evaluates ({@code i/n}), or null
 * @param device the device of the model and evaluation model ({@code cpu}, {@code gpu},
 *     {@code gpu:N}), or null
 * @param heatmapCache the heatmap cache directory (relative to the working directory), or null
 * @param gallerySamples samples in the report's heatmap gallery (0 for none), or null
 * @param memory the memory the run may use ({@link MemoryBudget}), or null
 * @param timeout the time a plug-in call may take per sample ({@link PluginCalls}), or null
 * @param spark the Spark master to run on ({@code local[2]}, {@code yarn}, ...), or null to run in this process
 * @param sparkTasks the number of Spark tasks the samples are split into, or null for the default
 */
public record ConfigFile(PluginSpec model, PluginSpec evaluationModel, PluginSpec dataset, Integer limit, List<PluginSpec> methods,
        List<PluginSpec> metrics, Long seed, Integer batchSize, Path out, Shard shard, String device, Path heatmapCache,
        Integer gallerySamples, MemoryBudget memory, Duration timeout, String spark, Integer sparkTasks) {

    static final Set<String> KEYS = Set.of("model", "evaluation-model", "dataset", "limit", "methods", "metrics", "seed", "batch-size", "out",
            "shard", "device", "heatmap-cache", "gallery-samples", "memory", "timeout", "spark", "spark-tasks");

    public static final ConfigFile EMPTY = new ConfigFile(null, null, null, null, null, null, null, null, null, null, null, null,
            null, null, null, null, null);

    /** The largest config file read: configs are a few hundred bytes; a huge one is a mistake or an attack. */
    static final long MAX_BYTES = 1 << 20;

    public static ConfigFile read(Path file) {
        String text;
        try {
            if (Files.exists(file) && !Files.isRegularFile(file)) {
                throw new ConfigurationException("config file " + file + " is not a regular file; give a YAML file");
            }
            if (Files.exists(file) && Files.size(file) > MAX_BYTES) {
                throw new ConfigurationException("config file " + file + " has " + Files.size(file) + " bytes, more "
                        + "than the limit of " + MAX_BYTES + "; a run config is a few lines of YAML");
            }
            text = Files.readString(file);
        } catch (NoSuchFileException e) {
            throw new ConfigurationException("config file " + file.toAbsolutePath() + " does not exist");
        } catch (java.nio.charset.CharacterCodingException e) {
            throw new ConfigurationException("config file " + file + " is not UTF-8 text; give a YAML file");
        } catch (IOException e) {
            throw new ConfigurationException("cannot read config file " + file + ": " + e.getMessage(), e);
        }
        return parse(text, file.toString());
    }

    static ConfigFile parse(String yaml, String source) {
        if (yaml.length() > MAX_BYTES) {
            throw new ConfigurationException("config " + source + " has " + yaml.length() + " characters, more than the "
                    + "limit of " + MAX_BYTES + "; a run config is a few lines of YAML");
        }
        JsonNode root;
        try {
            root = readStrict(yaml, source);
        } catch (JsonProcessingException e) {
            throw new ConfigurationException("config " + source + " is not valid YAML: " + e.getOriginalMessage(), e);
        } catch (IOException e) {
            throw new ConfigurationException("cannot read config " + source + ": " + e.getMessage(), e);
        }
        if (root == null || root.isMissingNode() || root.isNull()) {
            return EMPTY;
        }
        if (!root.isObject()) {
            throw new ConfigurationException("config " + source + " must be a map of keys; allowed keys: "
                    + String.join(", ", new TreeSet<>(KEYS)));
        }
        for (Iterator<String> it = root.fieldNames(); it.hasNext();) {
            String key = it.next();
            if (!KEYS.contains(key)) {
                throw new ConfigurationException("unknown key '" + key + "' in config " + source + "; allowed keys: "
                        + String.join(", ", new TreeSet<>(KEYS)));
            }
        }
        return new ConfigFile(optionalPlugin(root, "model", source), optionalPlugin(root, "evaluation-model", source),
                optionalPlugin(root, "dataset", source),
                integer(root, "limit", source), plugins(root, "methods", source), plugins(root, "metrics", source),
                root.has("seed") ? longValue(root.get("seed"), "seed", source) : null,
                integer(root, "batch-size", source), root.has("out") ? localPath(text(root.get("out"), "out", source), source) : null,
                root.has("shard") ? Shard.parse(text(root.get("shard"), "shard", source), "'shard' in config " + source)
                        : null,
                root.has("device") ? text(root.get("device"), "device", source) : null,
                root.has("heatmap-cache") ? Path.of(text(root.get("heatmap-cache"), "heatmap-cache", source)) : null,
                integer(root, "gallery-samples", source),
                root.has("memory") ? MemoryBudget.parse(text(root.get("memory"), "memory", source), "'memory' in config "
                        + source) : null,
                root.has("timeout") ? PluginCalls.parseLimit(text(root.get("timeout"), "timeout", source),
                        "'timeout' in config " + source) : null,
                root.has("spark") ? text(root.get("spark"), "spark", source) : null,
                integer(root, "spark-tasks", source));
    }

    /** The key {@code out} as a local path; a file-system URI is refused, since a path would not keep it. */
    private static Path localPath(String text, String source) {
        if (ClusterRunner.isUri(text)) {
            throw new ConfigurationException("'out' in config " + source + " is the URI " + text + "; give a URI with "
                    + "--out on the command line (a Spark run writes there), the key out takes a local directory");
        }
        return Path.of(text);
    }

    /**
     * One YAML document as a tree, refusing what YAML allows but a config must not have: a key
     * given twice (YAML forbids it, parsers keep the last), aliases ({@code *name}, which would
     * silently read as the anchor's name) and further documents after the first.
     */
    private static JsonNode readStrict(String yaml, String source) throws IOException {
        YAMLMapper mapper = YAMLMapper.builder().enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION).build();
        try (YAMLParser parser = (YAMLParser) mapper.getFactory().createParser(yaml)) {
            while (parser.nextToken() != null) {
                if (parser.isCurrentAlias()) {
                    throw new ConfigurationException("config " + source + " uses the YAML alias '*" + parser.getText()
                            + "' at line " + parser.currentLocation().getLineNr() + "; aliases are not supported, "
                            + "write the value out");
                }
            }
        } catch (JsonProcessingException e) {
            if (e.getOriginalMessage() != null && e.getOriginalMessage().startsWith("Duplicate field")) {
                throw new ConfigurationException("config " + source + ": " + e.getOriginalMessage().replace(
                        "Duplicate field", "the key") + " is given twice; give each key once");
            }
            throw e;
        }
        try (JsonParser parser = mapper.getFactory().createParser(yaml)) {
            JsonNode root = mapper.readTree(parser);
            if (parser.nextToken() != null) {
                throw new ConfigurationException("config " + source + " holds more than one YAML document (a second "
                        + "'---'); put the whole config in one document");
            }
            return root;
        }
    }

    private static PluginSpec optionalPlugin(JsonNode root, String key, String source) {
        return root.has(key) ? plugin(root.get(key), key, source) : null;
    }

    private static PluginSpec plugin(JsonNode node, String key, String source) {
        if (node.isTextual()) {
            return PluginSpec.parse(node.asText());
        }
        if (node.isObject()) {
            if (!node.has("id") || !node.get("id").isTextual()) {
                throw new ConfigurationException("'" + key + "' in config " + source
                        + " is a map without a string 'id'; write for example {id: random, seed: 1}");
            }
            Map<String, String> params = new LinkedHashMap<>();
            for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext();) {
                Map.Entry<String, JsonNode> e = it.next();
                if (!e.getKey().equals("id")) {
                    if (!e.getValue().isValueNode() || e.getValue().isNull()) {
                        throw new ConfigurationException("parameter '" + e.getKey() + "' of '" + key + "' in config "
                                + source + " must be a single value, got " + e.getValue());
                    }
                    params.put(e.getKey(), e.getValue().asText());
                }
            }
            return PluginSpec.of(node.get("id").asText(), new TreeMap<>(params));
        }
        throw new ConfigurationException("invalid value " + node + " for '" + key + "' in config " + source
                + "; allowed: a spec string such as \"id:key=value\" or a map with 'id'");
    }

    private static List<PluginSpec> plugins(JsonNode root, String key, String source) {
        if (!root.has(key)) {
            return null;
        }
        JsonNode node = root.get(key);
        List<PluginSpec> out = new ArrayList<>();
        if (node.isArray()) {
            for (JsonNode item : node) {
                out.add(plugin(item, key, source));
            }
        } else {
            out.add(plugin(node, key, source));
        }
        return out;
    }

    private static Integer integer(JsonNode root, String key, String source) {
        if (!root.has(key)) {
            return null;
        }
        long v = longValue(root.get(key), key, source);
        if (v < 0 || v > Integer.MAX_VALUE) {
            throw new ConfigurationException("invalid value " + v + " for '" + key + "' in config " + source
                    + "; allowed: an integer from 0 to " + Integer.MAX_VALUE);
        }
        return (int) v;
    }

    private static long longValue(JsonNode node, String key, String source) {
        if (!node.isIntegralNumber() || !node.canConvertToLong()) {
            throw new ConfigurationException("invalid value " + node + " for '" + key + "' in config " + source
                    + "; allowed: an integer");
        }
        return node.asLong();
    }

    private static String text(JsonNode node, String key, String source) {
        if (!node.isTextual()) {
            throw new ConfigurationException("invalid value " + node + " for '" + key + "' in config " + source
                    + "; allowed: a string");
        }
        return node.asText();
    }
}
