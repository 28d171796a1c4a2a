package org.vitbench.methods.shapley;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.WeakHashMap;
import org.vitbench.api.Arguments;
import org.vitbench.api.Batches;
import org.vitbench.api.ConfigurationException;
import org.vitbench.api.Context;
import org.vitbench.api.Explainer;
import org.vitbench.api.ExplainerInfo;
import org.vitbench.api.Family;
import org.vitbench.api.Heatmaps;
import org.vitbench.api.MethodDeclaration;
import org.vitbench.api.ModelInfo;
import org.vitbench.api.ModelWeights;
import org.vitbench.api.Parameter;
import org.vitbench.api.Parameters;
import org.vitbench.api.Registry;
import org.vitbench.api.Removal;
import org.vitbench.api.Requirement;
import org.vitbench.api.Sample;
import org.vitbench.api.VitModel;
import org.vitbench.models.Devices;
import org.vitbench.models.vitshapley.ExplainerSpec;
import org.vitbench.models.vitshapley.ShapleyExplainerModel;

/**
 * ViT Shapley (Covert, Kim, Lee, ICLR 2023, arXiv 2206.05282): Shapley values of the surrogate's
 * softmax outputs for every patch and class from one pass of a trained explainer plus one pass of
 * the surrogate on the full image, whose output {@code v(1)} the additive efficient normalisation
 * needs ({@code v(empty)} is the same for every image and computed once). Every map therefore sums
 * exactly to {@code v(1) - v(empty)} of its class.
 *
 * <p>Parameter {@code explainer}: {@code embedded} (default; the explainer shipped for the
 * embedded model) or an explainer directory written by {@code vitbench train explainer}. The
 * explainer records the fingerprints of its surrogate and of the classifier the surrogate imitates;
 * explaining any other model fails with an error that says how to train an explainer for it.
 *
 * <p>The surrogate: the run's evaluation model ({@link Context#evaluationModel()}) when its
 * fingerprint is the one the explainer was trained against, as in the default run, so it is not
 * loaded twice; otherwise the explainer's own surrogate. The explainer network, and the surrogate
 * when it is the method's own, are loaded on first use onto the device of the model being
 * explained, belong to this instance and are released by {@link #close()}. Instances are
 * thread-safe.
 */
public final class VitShapley implements Explainer {

    /** The stable id. */
    public static final String ID = "vit-shapley";
    /** The class-path directory of the explainer shipped for the embedded model. */
    public static final String EMBEDDED = "/org/vitbench/models/embedded/vit-fashion-mnist-vit-shapley";

    private static final ExplainerInfo INFO = new ExplainerInfo(ID, "ViT Shapley", Family.SHAPLEY,
            Set.of(Requirement.TRAINED_ARTIFACT), true,
            "Covert, Kim, Lee 2023, Learning to Estimate Shapley Values with Vision Transformers, arXiv 2206.05282");

    private static final Map<VitModel, String> FINGERPRINTS = new WeakHashMap<>();
    private static final Map<VitModel, float[]> EMPTY = new WeakHashMap<>();

    private static final Parameter<String> EXPLAINER = Parameter.of("explainer", "embedded", text -> {
        if (text.isEmpty()) {
            throw new ConfigurationException("empty");
        }
        return text;
    }, text -> text, "embedded, or a directory written by 'vitbench train explainer'",
            "the trained explainer (and its surrogate) to load");

    /** The registration: parameters and factory. */
    public static final MethodDeclaration DECLARATION = MethodDeclaration.of(INFO, List.of(EXPLAINER),
            VitShapley::new);

    private final Arguments arguments;
    private final String location;
    /** What this instance loaded, per device of the explained model; guarded by itself. */
    private final Map<Device, Loaded> loaded = new HashMap<>();

    /** @param location {@code embedded} or a directory written by {@code vitbench train explainer} */
    public VitShapley(String location) {
        this(DECLARATION.resolve(Map.of("explainer", location)));
    }

    /** The explainer trained for the embedded model. */
    public VitShapley() {
        this(DECLARATION.resolve(Map.of()));
    }

    private VitShapley(Arguments arguments) {
        this.arguments = arguments;
        this.location = arguments.get(EXPLAINER);
    }

    /** Creates the method from parameters; unknown keys fail. */
    public static VitShapley create(Parameters parameters) {
        return (VitShapley) DECLARATION.create(parameters);
    }

    @Override
    public ExplainerInfo info() {
        return INFO;
    }

    @Override
    public Parameters parameters() {
        return arguments.parameters();
    }

    @Override
    public Heatmaps explain(Context context, List<Sample> batch, int[] targets) {
        Loaded own = loaded(context.model());
        ShapleyExplainerModel explainer = own.explainer();
        checkModel(explainer.spec(), context.model());
        VitModel surrogate = surrogate(context, own);
        var info = context.model().info();
        int k = info.classNames().size();
        int p = info.grid() * info.grid();
        float[] flat;
        float[] vEmpty = empty(surrogate);
        try (NDManager m = explainer.manager().newSubManager()) {
            NDArray images = Batches.images(m, batch, info);
            NDArray grand;
            try (NDManager s = surrogate.manager().newSubManager()) {
                float[] probabilities = surrogate.logits(Batches.images(s, batch, info)).softmax(1).toFloatArray();
                grand = m.create(probabilities, new Shape(batch.size(), k)); // v(1): [B, K]
            }
            NDArray empty = m.create(vEmpty);
            flat = explainer.values(images, grand, empty).transpose(0, 2, 1).toFloatArray(); // [B, K, P]
        }
        float[][][] perClass = new float[batch.size()][k][];
        for (int b = 0; b < batch.size(); b++) {
            for (int c = 0; c < k; c++) {
                perClass[b][c] = java.util.Arrays.copyOfRange(flat, (b * k + c) * p, (b * k + c + 1) * p);
            }
        }
        return Heatmaps.ofAllClasses(info.grid(), perClass, targets);
    }

    /** The explainer network, and the own surrogate once needed, on the device of {@code model}. */
    private Loaded loaded(VitModel model) {
        Device device = model.manager().getDevice();
        synchronized (loaded) {
            return loaded.computeIfAbsent(device, d -> new Loaded(location.equals("embedded")
                    ? ShapleyExplainerModel.loadResource(EMBEDDED, d) : ShapleyExplainerModel.load(Path.of(location), d),
                    d));
        }
    }

    /** The surrogate this method uses in {@code context} (see the class documentation). */
    VitModel surrogate(Context context) {
        return surrogate(context, loaded(context.model()));
    }

    /** The run's evaluation model when it is the explainer's surrogate, else the explainer's own. */
    private VitModel surrogate(Context context, Loaded own) {
        VitModel offered = context.evaluationModel();
        if (offered != null && own.explainer().spec().surrogateFingerprint().equals(fingerprint(offered))) {
            return offered;
        }
        synchronized (loaded) {
            if (own.surrogate == null) {
                own.surrogate = loadSurrogate(own.explainer().spec(), location, own.device());
            }
            return own.surrogate;
        }
    }

    /** The surrogate named in the explainer's spec, on {@code device} (given to the model provider unless cpu). */
    private static VitModel loadSurrogate(ExplainerSpec spec, String location, Device device) {
        String[] id = new String[1];
        Parameters params = Parameters.parseSpec(spec.surrogate(), id);
        if (!device.equals(Device.cpu()) && !params.has(Devices.KEY)) {
            Map<String, String> onDevice = new LinkedHashMap<>(params.asMap());
            onDevice.put(Devices.KEY, Devices.format(device));
            params = Parameters.of(id[0], onDevice);
        }
        VitModel surrogate = Registry.load().model(id[0]).load(params);
        String found = fingerprint(surrogate);
        if (!spec.surrogateFingerprint().equals(found)) {
            surrogate.close();
            throw new ConfigurationException(ID + ": explainer " + location + " was trained against surrogate "
                    + spec.surrogate() + " with fingerprint " + spec.surrogateFingerprint() + ", but that model now "
                    + (found == null ? "does not expose its weights (the ModelWeights capability)"
                            : "has fingerprint " + found) + "; retrain the explainer with 'vitbench train explainer "
                    + "--surrogate " + spec.surrogate() + "'");
        }
        return surrogate;
    }

    /** Releases the explainer networks and own surrogates this instance loaded. */
    @Override
    public void close() {
        synchronized (loaded) {
            for (Loaded l : loaded.values()) {
                l.explainer().close();
                if (l.surrogate != null) {
                    l.surrogate.close();
                }
            }
            loaded.clear();
        }
    }

    /** The explainer network on one device and, once needed, the method's own surrogate there. */
    private static final class Loaded {
        private final ShapleyExplainerModel explainer;
        private final Device device;
        private VitModel surrogate;

        Loaded(ShapleyExplainerModel explainer, Device device) {
            this.explainer = explainer;
            this.device = device;
        }

        ShapleyExplainerModel explainer() {
            return explainer;
        }

        Device device() {
            return device;
        }
    }

    private void checkModel(ExplainerSpec spec, VitModel model) {
        String fingerprint = fingerprint(model);
        if (fingerprint != null && (fingerprint.equals(spec.surrogateFingerprint())
                || fingerprint.equals(spec.classifierFingerprint()))) {
            return;
        }
        throw new ConfigurationException(ID + ": explainer " + location + " estimates the Shapley values of surrogate "
                + spec.surrogate() + " (fingerprint " + spec.surrogateFingerprint() + ") of classifier "
                + spec.classifier() + " (fingerprint " + spec.classifierFingerprint() + "), but the model being "
                + "explained is " + model.info().name() + (fingerprint == null ? "" : " (fingerprint " + fingerprint
                + ")") + "; train a surrogate and an explainer for it ('vitbench train surrogate --from MODEL', then "
                + "'vitbench train explainer --surrogate checkpoint:path=DIR') and pass vit-shapley:explainer=DIR");
    }

    private static String fingerprint(VitModel model) {
        ModelWeights weights = model.capability(ModelWeights.class).orElse(null);
        if (weights == null) {
            return null;
        }
        synchronized (FINGERPRINTS) {
            return FINGERPRINTS.computeIfAbsent(model, m -> weights.fingerprint());
        }
    }

    /** {@code v(empty)}: the surrogate's softmax output with every patch masked, {@code [K]}; computed once. */
    private static float[] empty(VitModel surrogate) {
        synchronized (EMPTY) {
            float[] known = EMPTY.get(surrogate);
            if (known != null) {
                return known;
            }
        }
        float[] empty = computeEmpty(surrogate);
        synchronized (EMPTY) {
            EMPTY.put(surrogate, empty);
        }
        return empty;
    }

    private static float[] computeEmpty(VitModel surrogate) {
        ModelInfo info = surrogate.info();
        try (NDManager m = surrogate.manager().newSubManager()) {
            NDArray x = m.zeros(new Shape(1, info.channels(), info.imageSize(), info.imageSize()));
            NDArray keep = m.zeros(new Shape(1, info.numPatches()));
            return surrogate.logits(x, keep, Removal.ATTENTION_MASK).softmax(1).toFloatArray();
        }
    }

    @Override
    public String toString() {
        return ID + parameters();
    }
}
