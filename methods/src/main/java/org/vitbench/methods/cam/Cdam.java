package org.vitbench.methods.cam;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.norm.LayerNorm;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import org.vitbench.api.Arguments;
import org.vitbench.api.Batches;
import org.vitbench.api.ConfigurationException;
import org.vitbench.api.Context;
import org.vitbench.api.Explainer;
import org.vitbench.api.ExplainerInfo;
import org.vitbench.api.Family;
import org.vitbench.api.ForwardTrace;
import org.vitbench.api.Heatmaps;
import org.vitbench.api.MethodDeclaration;
import org.vitbench.api.ModelInfo;
import org.vitbench.api.ModelWeights;
import org.vitbench.api.Parameter;
import org.vitbench.api.Parameters;
import org.vitbench.api.Requirement;
import org.vitbench.api.Sample;
import org.vitbench.api.TraceOptions;
import org.vitbench.api.VitModel;

/**
 * CDAM, class-discriminative attention maps: the gradient of a target score times the tokens that
 * enter the last attention, summed over the embedding dimensions (Brocki &amp; Chung 2023,
 * "Class-Discriminative Attention Maps for Vision Transformers", arXiv 2312.02364; reference
 * {@code lenbrocki/CDAM} {@code CDAM.ipynb}, whitebox brief section 3.9).
 *
 * <p>With {@code T} the last block's LayerNorm-1 output {@code [N, D]} of one sample (the
 * reference hooks {@code final_block_norm1}) and {@code s} the target score:
 * <pre>
 *   map_i = sum_d T[1 + i, d] * ds/dT[1 + i, d]        i = r * grid + c, CLS dropped
 * </pre>
 * The map is <b>signed</b> (positive: evidence for the target; negative: against) and is not
 * normalised, as in the reference (its nearest-neighbour upsampling and optional quantile clipping
 * are display steps). Summed over every token, CLS included, it is the directional derivative
 * {@code d/de s(T (1 + e))} at 0, since {@code s} depends on the image only through {@code T}
 * here.
 *
 * <p>Modes ({@code mode}, default {@code class}, the reference's main use):
 * <ul>
 *   <li>{@code class}: {@code s} is the pre-softmax logit of the target class.
 *   <li>{@code concept}: {@code s = <e(x), c>}, the dot product (not a cosine, as the reference)
 *       of the image's final CLS embedding {@code e(x) = LN_final(z_L)[CLS]} (the reference
 *       replaces the head by the identity) with the concept vector {@code c}, the plain mean of
 *       {@code e} over the PNG images in the directory {@code concepts} (not L2-normalised, as the
 *       reference). The target class is ignored. The images are loaded when the method is
 *       created and converted to the model's channels and size as {@link ConceptImages} says.
 *       This mode needs the final LayerNorm's weights: the model's {@link ModelWeights}
 *       capability (the runner skips the method on a model without it).
 * </ul>
 * Edge cases: a missing, empty or unreadable concept directory fails at creation with a
 * {@link ConfigurationException} naming the directory and the fix; {@code concepts} without
 * {@code mode=concept} fails rather than being ignored.
 *
 * <p>One forward and one backward of {@code sum_b s[b]} per batch (plus, in concept mode, one
 * forward of the concept images); target maps only. Instances are immutable and thread-safe.
 */
public final class Cdam implements Explainer {

    /** The stable id. */
    public static final String ID = "cdam";

    private static final ExplainerInfo INFO = new ExplainerInfo(ID, "CDAM", Family.GRADIENT,
            Set.of(Requirement.GRADIENTS, Requirement.PLAIN_LAYOUT), false,
            "Brocki & Chung 2023, Class-Discriminative Attention Maps for Vision Transformers, arXiv 2312.02364");

    // mode=concept reads the final LayerNorm's weights
    private static final ExplainerInfo CONCEPT_INFO = new ExplainerInfo(ID, INFO.name(), INFO.family(),
            Set.of(Requirement.GRADIENTS, Requirement.PLAIN_LAYOUT, Requirement.WEIGHTS), false, INFO.reference());

    /** What the differentiated score is. */
    public enum Mode {
        /** The target class's logit. */
        CLASS,
        /** The dot product of the CLS embedding with a concept vector. */
        CONCEPT;

        /** The parameter value, e.g. {@code class}. */
        public String id() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    private static final Parameter<Mode> MODE = Parameter.oneOf("mode", Mode.CLASS, List.of(Mode.values()),
            Mode::id, "class (the class's own direction) or concept (the mean embedding of concept images)");
    private static final Parameter<String> CONCEPTS = Parameter.of("concepts", "", text -> Path.of(text).toString(),
            text -> text, "a directory of PNG images showing the concept",
            "the concept images of mode=concept").onlyWhen("mode", "concept");

    /** The registration: parameters and factory. */
    public static final MethodDeclaration DECLARATION = MethodDeclaration.of(INFO, List.of(MODE, CONCEPTS),
            Cdam::new);

    private final Arguments arguments;
    private final Mode mode;
    private final ConceptImages concepts;

    /** Class-discriminative maps (mode=class). */
    public Cdam() {
        this(DECLARATION.resolve(Map.of()));
    }

    private Cdam(Arguments arguments) {
        this.arguments = arguments;
        this.mode = arguments.get(MODE);
        if (mode == Mode.CLASS) {
            this.concepts = null;
            return;
        }
        String dir = arguments.get(CONCEPTS);
        if (dir.isEmpty()) {
            throw new ConfigurationException(ID + " with mode=concept needs concepts=<a directory of PNG images"
                    + " showing the concept>");
        }
        this.concepts = ConceptImages.load(Path.of(dir), ID);
    }

    /** Concept maps from the images in {@code conceptDir}. */
    public static Cdam concept(Path conceptDir) {
        return (Cdam) DECLARATION.create(Map.of("mode", Mode.CONCEPT.id(), "concepts", conceptDir.toString()));
    }

    /** Creates the method from parameters; unknown keys fail. */
    public static Cdam create(Parameters parameters) {
        return (Cdam) DECLARATION.create(parameters);
    }

    @Override
    public ExplainerInfo info() {
        return mode == Mode.CONCEPT ? CONCEPT_INFO : INFO;
    }

    @Override
    public Parameters parameters() {
        return arguments.parameters();
    }

    @Override
    public Heatmaps explain(Context context, List<Sample> batch, int[] targets) {
        ModelInfo info = context.model().info();
        float[][] tokens = tokenRelevance(context, batch, targets);
        float[][] maps = new float[tokens.length][];
        for (int b = 0; b < maps.length; b++) {
            maps[b] = new float[info.numPatches()];
            System.arraycopy(tokens[b], 1, maps[b], 0, maps[b].length); // drop CLS (token 0)
        }
        return Heatmaps.of(info.grid(), maps);
    }

    /**
     * {@code sum_d T[t, d] * ds/dT[t, d]} for every token t, CLS (t = 0) included.
     *
     * @return {@code [B][N]}
     */
    float[][] tokenRelevance(Context context, List<Sample> batch, int[] targets) {
        VitModel model = context.model();
        ModelInfo info = model.info();
        LayerGradients.checkTargets(targets, batch.size(), info.numClasses());
        if (batch.isEmpty()) {
            return new float[0][];
        }
        LayerGradients.Pair pair;
        try (NDManager scope = context.manager().newSubManager()) {
            NDArray images = Batches.images(scope, batch, info);
            Function<ForwardTrace, NDArray> score;
            if (mode == Mode.CLASS) {
                score = t -> LayerGradients.targetLogits(t.logits(), targets);
            } else {
                ModelWeights weights = requireWeights(model);
                NDArray concept = conceptVector(model, weights, scope); // [D]
                score = t -> clsEmbedding(info, weights, t).mul(concept).sum(); // [B, D] * [D] -> scalar
            }
            pair = LayerGradients.lastNorm1(model, images, score);
        }
        int b = (int) pair.shape()[0];
        int n = (int) pair.shape()[1];
        int d = (int) pair.shape()[2];
        float[][] relevance = new float[b][n];
        for (int s = 0; s < b; s++) {
            for (int t = 0; t < n; t++) {
                relevance[s][t] = tokenSum(pair.activation(), pair.gradient(), (s * n + t) * d, d);
            }
        }
        return relevance;
    }

    /** {@code sum_d u[offset + d] * g[offset + d]}, accumulated in double. */
    static float tokenSum(float[] u, float[] g, int offset, int d) {
        double sum = 0;
        for (int e = 0; e < d; e++) {
            sum += (double) u[offset + e] * g[offset + e];
        }
        return (float) sum;
    }

    /** The mean final CLS embedding of the concept images, {@code [D]}, computed without gradients. */
    private NDArray conceptVector(VitModel model, ModelWeights weights, NDManager scope) {
        NDArray images = concepts.stack(scope, model.info());
        ForwardTrace trace = model.trace(images, TraceOptions.NONE.withTokens(true));
        return clsEmbedding(model.info(), weights, trace).mean(new int[] {0}); // [M, D] -> [D]
    }

    /** {@code LN_final(z_L)[:, CLS]}: the embedding the reference's identity head returns, {@code [B, D]}. */
    private static NDArray clsEmbedding(ModelInfo info, ModelWeights weights, ForwardTrace trace) {
        List<NDArray> tokens = trace.tokens();
        NDArray last = tokens.get(tokens.size() - 1); // [B, N, D]: output of the last block
        NDArray cls = last.get(":, 0, :"); // [B, N, D] -> [B, D]
        Map<String, NDArray> w = weights.weights();
        return LayerNorm.layerNorm(cls, new Shape(info.dim()), w.get("norm.weight"), w.get("norm.bias"),
                (float) weights.layerNormEps()).head();
    }

    private static ModelWeights requireWeights(VitModel model) {
        return model.capability(ModelWeights.class).orElseThrow(() -> new ConfigurationException(ID
                + " mode=concept needs the final LayerNorm of the model, and model " + model.info().name()
                + " does not expose its weights (the ModelWeights capability); use mode=class with this model"));
    }

    @Override
    public String toString() {
        return ID + parameters();
    }
}
