package org.vitbench.models.vitshapley;

import ai.djl.Device;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Activation;
import ai.djl.nn.core.Linear;
import ai.djl.nn.norm.LayerNorm;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.TreeMap;
import org.vitbench.api.ConfigurationException;
import org.vitbench.api.GraphConstants;
import org.vitbench.models.Checkpoints;
import org.vitbench.models.Initialization;
import org.vitbench.models.ModelConfig;
import org.vitbench.models.VisionTransformer;
import org.vitbench.models.VitConfig;
import org.vitbench.models.checkpoint.Safetensors;
import org.vitbench.models.checkpoint.Tensor;

/**
 * ViT Shapley's explainer network (brief, section 3.1): a ViT backbone initialised from the
 * surrogate, whose final-norm tokens go through one extra transformer block without its first
 * LayerNorm (the tokens are normalised already) and a per-token MLP head
 * {@code LN -> Linear(D, rD) -> GELU -> Linear(rD, rD) -> GELU -> Linear(rD, K)} with {@code r = 4},
 * then {@code tanh}; the CLS row is dropped, leaving {@code [B, P, K]}: a value per patch and class.
 * {@link #values} adds the additive efficient normalisation
 * {@code phi_i += (v(1) - v(empty) - sum_j phi_j) / P}, per image and class.
 *
 * <p>Stored as a directory: {@code model.safetensors} (the backbone's timm keys, the surrogate's
 * unused classification head included, and the new layers under {@code explainer.}),
 * {@code config.json} (the backbone's architecture and preprocessing) and {@code explainer.json}
 * ({@link ExplainerSpec}).
 */
public final class ShapleyExplainerModel implements AutoCloseable {

    public static final String SPEC = "explainer.json";
    static final String BLOCK = "explainer.block.";
    static final String HEAD = "explainer.head.";

    private final VisionTransformer backbone;
    private final Map<String, NDArray> layers;
    private final ExplainerSpec spec;

    private ShapleyExplainerModel(VisionTransformer backbone, Map<String, NDArray> layers, ExplainerSpec spec) {
        this.backbone = backbone;
        this.layers = Collections.unmodifiableMap(new TreeMap<>(layers));
        this.spec = spec;
    }

    /**
     * A new explainer whose backbone is a copy of {@code surrogate}'s weights and whose added
     * layers are seeded (truncated normal, std 0.02, zero biases, as timm and the reference's
     * refactor initialise them).
     */
    public static ShapleyExplainerModel initialise(VisionTransformer surrogate, ExplainerSpec spec, long seed) {
        ModelConfig config = surrogate.config();
        VisionTransformer backbone = Checkpoints.fromTensors(config, Checkpoints.toTensors(surrogate.weights()));
        SplittableRandom random = new SplittableRandom(seed);
        Map<String, NDArray> layers = new LinkedHashMap<>();
        NDManager m = backbone.manager();
        layerShapes(config.architecture(), spec.headRatio()).forEach((key, shape) -> {
            if (key.endsWith("norm2.weight") || key.endsWith("norm.weight")) {
                layers.put(key, m.ones(new Shape(shape)));
            } else if (key.endsWith(".weight")) {
                layers.put(key, Initialization.truncatedNormal(m, new Shape(shape), 0.02, random));
            } else {
                layers.put(key, m.zeros(new Shape(shape)));
            }
        });
        return new ShapleyExplainerModel(backbone, layers, spec);
    }

    /** The added layers' keys and shapes. */
    static Map<String, long[]> layerShapes(VitConfig a, int ratio) {
        long d = a.dim();
        long h = a.mlpHidden();
        long r = (long) ratio * d;
        Map<String, long[]> s = new LinkedHashMap<>();
        s.put(BLOCK + "attn.qkv.weight", new long[] {3 * d, d});
        if (a.qkvBias()) {
            s.put(BLOCK + "attn.qkv.bias", new long[] {3 * d});
        }
        s.put(BLOCK + "attn.proj.weight", new long[] {d, d});
        s.put(BLOCK + "attn.proj.bias", new long[] {d});
        s.put(BLOCK + "norm2.weight", new long[] {d});
        s.put(BLOCK + "norm2.bias", new long[] {d});
        s.put(BLOCK + "mlp.fc1.weight", new long[] {h, d});
        s.put(BLOCK + "mlp.fc1.bias", new long[] {h});
        s.put(BLOCK + "mlp.fc2.weight", new long[] {d, h});
        s.put(BLOCK + "mlp.fc2.bias", new long[] {d});
        s.put(HEAD + "norm.weight", new long[] {d});
        s.put(HEAD + "norm.bias", new long[] {d});
        s.put(HEAD + "fc1.weight", new long[] {r, d});
        s.put(HEAD + "fc1.bias", new long[] {r});
        s.put(HEAD + "fc2.weight", new long[] {r, r});
        s.put(HEAD + "fc2.bias", new long[] {r});
        s.put(HEAD + "fc3.weight", new long[] {a.numClasses(), r});
        s.put(HEAD + "fc3.bias", new long[] {a.numClasses()});
        return s;
    }

    /** Loads an explainer directory onto the engine's default device. */
    public static ShapleyExplainerModel load(Path dir) {
        return load(dir, Engine.getInstance().defaultDevice());
    }

    /** Loads an explainer directory onto {@code device}. */
    public static ShapleyExplainerModel load(Path dir, Device device) {
        if (!Files.isRegularFile(dir.resolve(SPEC))) {
            throw new ConfigurationException("no ViT Shapley explainer at " + dir.toAbsolutePath() + " (" + SPEC
                    + " is missing); train one with 'vitbench train explainer --out " + dir + "'");
        }
        try {
            ExplainerSpec spec = Checkpoints.json().readValue(dir.resolve(SPEC).toFile(), ExplainerSpec.class);
            return fromTensors(Checkpoints.readConfig(dir.resolve(Checkpoints.CONFIG)), spec,
                    Safetensors.read(dir.resolve(Checkpoints.WEIGHTS)), dir.toString(), device);
        } catch (IOException e) {
            throw new ConfigurationException("invalid explainer spec " + dir.resolve(SPEC) + ": " + e.getMessage(), e);
        }
    }

    /** Loads an explainer shipped as a class-path resource directory onto the engine's default device. */
    public static ShapleyExplainerModel loadResource(String resourceDir) {
        return loadResource(resourceDir, Engine.getInstance().defaultDevice());
    }

    /** Loads an explainer shipped as a class-path resource directory onto {@code device}. */
    public static ShapleyExplainerModel loadResource(String resourceDir, Device device) {
        try (InputStream specIn = resource(resourceDir + "/" + SPEC);
                InputStream configIn = resource(resourceDir + "/" + Checkpoints.CONFIG);
                InputStream weightsIn = resource(resourceDir + "/" + Checkpoints.WEIGHTS)) {
            ExplainerSpec spec = Checkpoints.json().readValue(specIn, ExplainerSpec.class);
            ModelConfig config = Checkpoints.json().readValue(configIn, ModelConfig.class);
            Path tmp = Files.createTempFile("vitbench-explainer", ".safetensors");
            try {
                Files.copy(weightsIn, tmp, StandardCopyOption.REPLACE_EXISTING);
                return fromTensors(config, spec, Safetensors.read(tmp), resourceDir, device);
            } finally {
                Files.deleteIfExists(tmp);
            }
        } catch (IOException e) {
            throw new ConfigurationException("cannot read the explainer resource " + resourceDir + ": "
                    + e.getMessage(), e);
        }
    }

    private static InputStream resource(String name) {
        InputStream in = ShapleyExplainerModel.class.getResourceAsStream(name);
        if (in == null) {
            throw new ConfigurationException("explainer resource " + name + " is missing from the class path; "
                    + "rebuild vitbench (./mvnw package) or pass an explainer directory");
        }
        return in;
    }

    private static ShapleyExplainerModel fromTensors(ModelConfig config, ExplainerSpec spec, Map<String, Tensor> all,
            String where, Device device) {
        if (!ExplainerSpec.FORMAT.equals(spec.format())) {
            throw new ConfigurationException(where + " holds format '" + spec.format() + "', expected '"
                    + ExplainerSpec.FORMAT + "'");
        }
        Map<String, Tensor> backboneTensors = new LinkedHashMap<>();
        Map<String, Tensor> layerTensors = new LinkedHashMap<>();
        all.forEach((k, t) -> (k.startsWith("explainer.") ? layerTensors : backboneTensors).put(k, t));
        Map<String, long[]> expected = layerShapes(config.architecture(), spec.headRatio());
        if (!expected.keySet().equals(layerTensors.keySet())) {
            throw new ConfigurationException("explainer " + where + " has layers " + layerTensors.keySet()
                    + " but its config needs " + expected.keySet());
        }
        VisionTransformer backbone = Checkpoints.fromTensors(config, backboneTensors, device);
        Map<String, NDArray> layers = new LinkedHashMap<>();
        layerTensors.forEach((k, t) -> {
            if (!java.util.Arrays.equals(t.shape(), expected.get(k))) {
                backbone.close();
                throw new ConfigurationException("explainer layer " + k + " in " + where + " has shape "
                        + java.util.Arrays.toString(t.shape()) + ", expected " + java.util.Arrays.toString(expected.get(k)));
            }
            layers.put(k, backbone.manager().create(t.values(), new Shape(t.shape())));
        });
        return new ShapleyExplainerModel(backbone, layers, spec);
    }

    /** Writes the explainer to {@code dir} (weights, backbone config, spec), each file atomically. */
    public void save(Path dir, ExplainerSpec withSpec) throws IOException {
        Map<String, NDArray> all = new LinkedHashMap<>(backbone.weights());
        all.putAll(layers);
        Checkpoints.save(dir, backbone.config(), all);
        Path tmp = dir.resolve(SPEC + ".tmp");
        Checkpoints.json().writeValue(tmp.toFile(), withSpec);
        Files.move(tmp, dir.resolve(SPEC), StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    }

    public ExplainerSpec spec() {
        return spec;
    }

    public ModelConfig config() {
        return backbone.config();
    }

    public NDManager manager() {
        return backbone.manager();
    }

    /**
     * The trainable arrays: the backbone without the surrogate's classification head (which the
     * explainer never reads) and the added layers.
     */
    public Map<String, NDArray> trainable() {
        Map<String, NDArray> t = new LinkedHashMap<>();
        backbone.weights().forEach((k, v) -> {
            if (!k.startsWith("head.")) {
                t.put(k, v);
            }
        });
        t.putAll(layers);
        return t;
    }

    /** The raw values before normalisation, {@code tanh(head(block(backbone(x))))}: [B, C, S, S] -> [B, P, K]. */
    public NDArray raw(NDArray images) {
        NDArray z = backbone.features(images); // [B, N, D]
        z = backbone.block(layers, BLOCK, false, z); // [B, N, D]
        VitConfig a = backbone.config().architecture();
        NDArray h = LayerNorm.layerNorm(z, new Shape(a.dim()), layers.get(HEAD + "norm.weight"),
                layers.get(HEAD + "norm.bias"), (float) a.layerNormEps()).head();
        h = Activation.gelu(Linear.linear(h, layers.get(HEAD + "fc1.weight"), layers.get(HEAD + "fc1.bias")).head());
        h = Activation.gelu(Linear.linear(h, layers.get(HEAD + "fc2.weight"), layers.get(HEAD + "fc2.bias")).head());
        h = Linear.linear(h, layers.get(HEAD + "fc3.weight"), layers.get(HEAD + "fc3.bias")).head(); // [B, N, K]
        return h.get(":, 1:, :").tanh(); // drop CLS: [B, P, K]
    }

    /**
     * Shapley values with additive efficient normalisation: {@code [B, P, K]} whose sum over
     * patches equals {@code grand - empty} per image and class.
     *
     * @param grand {@code [B, K]} the surrogate's softmax output on the full images, v(1)
     * @param empty {@code [K]} its output with every patch held out, v(empty) (the same for every image)
     */
    public NDArray values(NDArray images, NDArray grand, NDArray empty) {
        return normalise(raw(images), grand, empty);
    }

    /** {@code phi_i + (grand - empty - sum_j phi_j) / P} per image and class. */
    static NDArray normalise(NDArray phi, NDArray grand, NDArray empty) {
        long p = phi.getShape().get(1);
        NDArray gap = GraphConstants.div(grand.sub(empty).sub(phi.sum(new int[] {1})), p); // [B, K]
        return phi.add(gap.expandDims(1));
    }

    @Override
    public void close() {
        backbone.close();
    }
}
