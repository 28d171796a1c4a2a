package org.vitbench.models;

import ai.djl.Device;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.LinkedHashMap;
import java.util.Map;
import org.vitbench.api.ConfigurationException;
import org.vitbench.models.checkpoint.Safetensors;
import org.vitbench.models.checkpoint.Tensor;
import org.vitbench.models.published.HuggingFaceVit;
import org.vitbench.models.published.TimmHub;

/**
 * A model directory: {@code model.safetensors} (weights under timm keys) and {@code config.json}
 * ({@link ModelConfig}) beside it. Loading is strict: every key of the architecture must be
 * present with its shape, and no other key may be.
 *
 * <p>The overloads with a {@link Device} build the model's base manager on that device, so its
 * weights and normalisation constants, and every batch created from {@code model.manager()}, live
 * there. Those without one use the engine's default device, as DJL's
 * {@code NDManager.newBaseManager()} does (the first GPU when the engine sees one, else the CPU);
 * the model providers always pass a device, {@code cpu} unless asked ({@link Devices}).
 */
public final class Checkpoints {

    public static final String WEIGHTS = "model.safetensors";
    public static final String CONFIG = "config.json";
    /** A Hugging Face model's preprocessing, beside its config. */
    public static final String PROCESSOR = "preprocessor_config.json";

    private static final ObjectMapper JSON = new ObjectMapper()
            .enable(SerializationFeature.INDENT_OUTPUT)
            .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);

    private Checkpoints() {
    }

    /** Loads the model in {@code dir} (or the directory of a given {@code .safetensors} file). */
    public static VisionTransformer load(Path dir) {
        return load(dir, Engine.getInstance().defaultDevice());
    }

    /** As {@link #load(Path)}, onto {@code device}. */
    public static VisionTransformer load(Path dir, Device device) {
        Path base = Files.isRegularFile(dir) ? dir.toAbsolutePath().getParent() : dir;
        Path weightsFile = Files.isRegularFile(dir) ? dir : base.resolve(WEIGHTS);
        Path configFile = base.resolve(CONFIG);
        JsonNode root = readTree(configFile);
        ModelConfig config = readConfig(root, configFile);
        checkDeclared(config, Safetensors.shapes(weightsFile), HuggingFaceVit.isHuggingFaceConfig(root),
                weightsFile);
        Map<String, Tensor> tensors = Safetensors.read(weightsFile);
        if (HuggingFaceVit.isHuggingFaceConfig(root)) {
            tensors = HuggingFaceVit.toTimmKeys(tensors, weightsFile.toString());
        }
        return fromTensors(config, tensors, device);
    }

    /**
     * Checks the tensors a weights file declares against the architecture before any data is
     * read, so that a small file declaring huge or foreign tensors is refused without allocating:
     * names and shapes in timm's layout; in Hugging Face's (renamed and fused on reading) the
     * number of values, which must not exceed the architecture's.
     */
    private static void checkDeclared(ModelConfig config, Map<String, long[]> declared, boolean huggingFace,
            Path file) {
        if (!huggingFace) {
            VisionTransformer.checkKeys(config, declared);
            return;
        }
        long expected = 0;
        for (long[] shape : ParameterKeys.of(config.architecture()).values()) {
            expected += java.util.Arrays.stream(shape).reduce(1, Math::multiplyExact);
        }
        long found = 0;
        for (long[] shape : declared.values()) {
            found = Math.addExact(found, java.util.Arrays.stream(shape).reduce(1, Math::multiplyExact));
        }
        if (found > expected) {
            throw new CheckpointMismatchException(file + " declares " + found + " values but model " + config.name()
                    + " has " + expected + " parameters; the weights belong to another (larger) model");
        }
    }

    /** Builds a model from tensors already read (checked against the architecture). */
    public static VisionTransformer fromTensors(ModelConfig config, Map<String, Tensor> tensors) {
        return fromTensors(config, tensors, Engine.getInstance().defaultDevice());
    }

    /** Builds a model on {@code device} from tensors already read (checked against the architecture). */
    public static VisionTransformer fromTensors(ModelConfig config, Map<String, Tensor> tensors, Device device) {
        NDManager manager = NDManager.newBaseManager(device);
        try {
            Map<String, NDArray> weights = new LinkedHashMap<>();
            for (Map.Entry<String, Tensor> e : tensors.entrySet()) {
                float[] values = e.getValue().values();
                for (int i = 0; i < values.length; i++) {
                    if (!Float.isFinite(values[i])) {
                        // one such weight turns every prediction into NaN; say so instead of failing every cell
                        throw new CheckpointMismatchException("parameter '" + e.getKey() + "' of model " + config.name()
                                + " holds " + values[i] + " at index " + i + "; the weights are damaged (a diverged "
                                + "training or a broken conversion)");
                    }
                }
                weights.put(e.getKey(), manager.create(e.getValue().values(), new Shape(e.getValue().shape())));
            }
            return new VisionTransformer(config, manager, weights);
        } catch (RuntimeException e) {
            manager.close();
            throw e;
        }
    }

    /** Loads a model shipped as a class-path resource directory (e.g. the embedded model). */
    public static VisionTransformer loadResource(String resourceDir) {
        return loadResource(resourceDir, Engine.getInstance().defaultDevice());
    }

    /** Loads a model shipped as a class-path resource directory onto {@code device}. */
    public static VisionTransformer loadResource(String resourceDir, Device device) {
        try (InputStream configIn = resource(resourceDir + "/" + CONFIG);
                InputStream weightsIn = resource(resourceDir + "/" + WEIGHTS)) {
            ModelConfig config = JSON.readValue(configIn, ModelConfig.class);
            Path tmp = Files.createTempFile("vitbench-model", ".safetensors");
            try {
                Files.copy(weightsIn, tmp, StandardCopyOption.REPLACE_EXISTING);
                return fromTensors(config, Safetensors.read(tmp), device);
            } finally {
                Files.deleteIfExists(tmp);
            }
        } catch (IOException e) {
            throw new ConfigurationException("cannot read the model resource " + resourceDir + ": " + e.getMessage(), e);
        }
    }

    private static InputStream resource(String name) {
        InputStream in = Checkpoints.class.getResourceAsStream(name);
        if (in == null) {
            throw new ConfigurationException("model resource " + name + " is missing from the class path; "
                    + "rebuild vitbench (./mvnw package) or pass a checkpoint directory");
        }
        return in;
    }

    /**
     * The model config in {@code file}, in any of the layouts vitbench reads: its own
     * ({@link ModelConfig} as JSON), a timm hub {@code config.json} ({@link TimmHub}) or a Hugging
     * Face ViT's ({@link HuggingFaceVit}, with {@code preprocessor_config.json} beside it).
     */
    public static ModelConfig readConfig(Path file) {
        return readConfig(readTree(file), file);
    }

    private static ModelConfig readConfig(JsonNode root, Path file) {
        if (TimmHub.isTimmConfig(root)) {
            return TimmHub.read(root, file.toString());
        }
        if (HuggingFaceVit.isHuggingFaceConfig(root)) {
            Path processor = file.resolveSibling(PROCESSOR);
            Path dir = file.toAbsolutePath().getParent();
            return HuggingFaceVit.read(root, Files.isRegularFile(processor) ? readTree(processor)
                    : com.fasterxml.jackson.databind.node.MissingNode.getInstance(),
                    dir == null || dir.getFileName() == null ? "huggingface-vit" : dir.getFileName().toString(),
                    file.toString());
        }
        try {
            return JSON.treeToValue(root, ModelConfig.class);
        } catch (com.fasterxml.jackson.databind.exc.ValueInstantiationException e) {
            // the record's own check: its message without Jackson's "Cannot construct instance of" wrapper
            Throwable cause = e.getCause() != null ? e.getCause() : e;
            throw new ConfigurationException("invalid model config " + file + ": " + cause.getMessage(), e);
        } catch (IOException | IllegalArgumentException e) {
            throw new ConfigurationException("invalid model config " + file + ": " + e.getMessage()
                    + "; vitbench reads its own config, a timm hub config.json (with 'architecture') or a Hugging "
                    + "Face ViT's (with 'model_type')", e);
        }
    }

    private static JsonNode readTree(Path file) {
        if (!Files.isRegularFile(file)) {
            throw new ConfigurationException("no model config at " + file + "; a checkpoint directory needs "
                    + CONFIG + " (vitbench's, timm's or Hugging Face's) beside " + WEIGHTS);
        }
        try {
            JsonNode root = JSON.readTree(file.toFile());
            if (root == null || !root.isObject()) {
                throw new ConfigurationException("model config " + file + " is not a JSON object");
            }
            return root;
        } catch (IOException e) {
            throw new ConfigurationException("invalid model config " + file + ": " + e.getMessage(), e);
        }
    }

    /** Writes {@code config.json} atomically. */
    public static void writeConfig(Path file, ModelConfig config) throws IOException {
        Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
        JSON.writeValue(tmp.toFile(), config);
        Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    }

    /** Writes the weights and the config of {@code model} into {@code dir}, each atomically. */
    public static void save(Path dir, ModelConfig config, Map<String, NDArray> weights) throws IOException {
        Files.createDirectories(dir);
        Safetensors.write(dir.resolve(WEIGHTS), toTensors(weights), Map.of("format", "pt"));
        writeConfig(dir.resolve(CONFIG), config);
    }

    /** Host copies of arrays, in the given order. */
    public static Map<String, Tensor> toTensors(Map<String, NDArray> arrays) {
        Map<String, Tensor> tensors = new LinkedHashMap<>();
        arrays.forEach((k, v) -> tensors.put(k, new Tensor("F32", v.getShape().getShape(), v.toFloatArray())));
        return tensors;
    }

    /** The JSON mapper for configs and training state (strict on unknown properties). */
    public static ObjectMapper json() {
        return JSON;
    }
}
