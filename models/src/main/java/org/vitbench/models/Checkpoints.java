package org.vitbench.models;

import ai.djl.Device;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import com.fasterxml.jackson.databind.DeserializationFeature;
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
        ModelConfig config = readConfig(base.resolve(CONFIG));
        return fromTensors(config, Safetensors.read(weightsFile), device);
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

    public static ModelConfig readConfig(Path file) {
        if (!Files.isRegularFile(file)) {
            throw new ConfigurationException("no model config at " + file + "; a checkpoint directory needs "
                    + CONFIG + " (architecture, preprocessing, class names) beside " + WEIGHTS);
        }
        try {
            return JSON.readValue(file.toFile(), ModelConfig.class);
        } catch (IOException | IllegalArgumentException e) {
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
