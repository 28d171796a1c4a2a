package org.vitbench.methods.perturbation;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.vitbench.api.Arguments;
import org.vitbench.api.ConfigurationException;
import org.vitbench.api.Context;
import org.vitbench.api.Explainer;
import org.vitbench.api.ExplainerInfo;
import org.vitbench.api.Family;
import org.vitbench.api.Heatmaps;
import org.vitbench.api.MethodDeclaration;
import org.vitbench.api.ModelInfo;
import org.vitbench.api.Parameter;
import org.vitbench.api.Parameters;
import org.vitbench.api.Removal;
import org.vitbench.api.Removal.PixelBaseline;
import org.vitbench.api.Requirement;
import org.vitbench.api.Sample;
import org.vitbench.models.masking.MaskedEvaluator;
import org.vitbench.models.masking.MaskedEvaluator.Output;

/**
 * Occlusion on the patch grid: the attribution of a patch is how much the output drops when a
 * window of patches around it is removed (Zeiler &amp; Fergus 2014, "Visualizing and Understanding
 * Convolutional Networks", ECCV, arXiv 1311.2901), with leave-one-out and the token ablation map as
 * its one-patch special cases.
 *
 * <p>A {@code w x w} window of patches slides over the {@code g x g} grid with anchors
 * {@code 0, stride, 2 stride, ...} up to {@code g - w}, plus {@code g - w} when the stride does not
 * reach it, so every patch is covered. With {@code v} the explained output of every class,
 * <pre>
 *   score(window)  = v(all) - v(all without the window)           ([K] per window)
 *   phi_c[i]       = mean of score_c over the windows covering i   ([K][P], row-major grid)
 * </pre>
 * Averaging follows captum's {@code Occlusion}; xplique sums over the covering windows instead, which
 * scales patches covered by more windows up. Cost: {@code 1 + a^2} evaluations for {@code a}
 * anchors per side, all classes from the same evaluations.
 *
 * <p>Three registered ids:
 * <ul>
 *   <li>{@code leave-one-out}: window 1, stride 1, so {@code phi_i = v(all) - v(all without i)} in
 *       {@code P + 1} evaluations (Covert, Kim, Lee 2023, the leave-one-out baseline of ViT
 *       Shapley, arXiv 2206.05282). Defaults as there: {@code removal=pixel-mean} (its
 *       "zero-input" on the classifier), {@code output=probability}. Parameters: {@code removal},
 *       {@code output}, {@code batchSize}.
 *   <li>{@code occlusion}: parameters {@code window} (patches per side, default 2), {@code stride}
 *       (default 1), {@code removal} (default {@code pixel-mean}: the classic grey occluder),
 *       {@code output} (default {@code probability}), {@code batchSize}. Window 1 and stride 1 is
 *       leave-one-out exactly.
 *   <li>{@code tam}, the token ablation map (Brocki &amp; Chung 2023, "Class-Discriminative
 *       Attention Maps for Vision Transformers", arXiv 2312.02364): leave-one-out with the token
 *       dropped from the sequence on the logits, {@code TAM_i = logit_c(all) - logit_c(without
 *       token i)}, signed. Only {@code batchSize} is a parameter.
 * </ul>
 * {@code batchSize} is the number of masked copies per forward pass, default 0 (sized from a 512
 * MiB activation budget).
 *
 * <p>Deterministic; a window larger than the grid fails with the grid's size. Instances are
 * immutable and thread-safe.
 */
public final class Occlusion implements Explainer {

    static final String WINDOW = "window";
    static final String STRIDE = "stride";

    /** The three registered methods this class implements. */
    public enum Variant {
        /** One patch at a time, ViT Shapley's leave-one-out baseline. */
        LEAVE_ONE_OUT(new ExplainerInfo("leave-one-out", "Leave-one-out", Family.PERTURBATION,
                Set.of(Requirement.MASKING), true,
                "Covert, Kim, Lee 2023 (leave-one-out baseline of ViT Shapley), arXiv 2206.05282")),
        /** A sliding window of patches (Zeiler &amp; Fergus 2014). */
        OCCLUSION(new ExplainerInfo("occlusion", "Occlusion", Family.PERTURBATION,
                Set.of(Requirement.MASKING), true,
                "Zeiler & Fergus 2014, Visualizing and Understanding Convolutional Networks, arXiv 1311.2901")),
        /** Leave-one-out by dropping the token, on logits (Brocki &amp; Chung 2023). */
        TAM(new ExplainerInfo("tam", "Token ablation map", Family.PERTURBATION,
                Set.of(Requirement.MASKING), true,
                "Brocki & Chung 2023, Class-Discriminative Attention Maps for Vision Transformers, arXiv 2312.02364"));

        private final ExplainerInfo info;

        Variant(ExplainerInfo info) {
            this.info = info;
        }

        public ExplainerInfo info() {
            return info;
        }

        /** The stable id, e.g. {@code leave-one-out}. */
        public String id() {
            return info.id();
        }
    }

    private static final Parameter<Integer> WINDOW_PARAMETER = Parameter.integer(WINDOW, 2, 1, 1 << 12,
            "patches per side of the occluding window");
    private static final Parameter<Integer> STRIDE_PARAMETER = Parameter.integer(STRIDE, 1, 1, 1 << 12,
            "patches between window positions");
    private static final Parameter<Removal> REMOVAL = Removal.parameter(Removal.pixel(PixelBaseline.MEAN));

    /** The registration of occlusion. */
    public static final MethodDeclaration OCCLUSION = MethodDeclaration.of(Variant.OCCLUSION.info(),
            List.of(WINDOW_PARAMETER, STRIDE_PARAMETER, REMOVAL, Perturbation.OUTPUT_PARAMETER,
                    Perturbation.BATCH_SIZE_PARAMETER), a -> new Occlusion(Variant.OCCLUSION, a));

    /** The registration of leave-one-out. */
    public static final MethodDeclaration LEAVE_ONE_OUT = MethodDeclaration.of(Variant.LEAVE_ONE_OUT.info(),
            List.of(REMOVAL, Perturbation.OUTPUT_PARAMETER, Perturbation.BATCH_SIZE_PARAMETER),
            a -> new Occlusion(Variant.LEAVE_ONE_OUT, a));

    /** The registration of the token ablation map: token dropping and logits, as its reference. */
    public static final MethodDeclaration TAM = MethodDeclaration.of(Variant.TAM.info(),
            List.of(Perturbation.BATCH_SIZE_PARAMETER), a -> new Occlusion(Variant.TAM, a));

    private final Variant variant;
    private final Arguments arguments;
    private final int window;
    private final int stride;
    private final Removal removal;
    private final Output output;
    private final int batchSize;

    /** Occlusion with its defaults: 2 x 2 windows at stride 1, pixel-mean removal, probabilities. */
    public Occlusion() {
        this(Variant.OCCLUSION, OCCLUSION.resolve(Map.of()));
    }

    private Occlusion(Variant variant, Arguments arguments) {
        boolean window = variant == Variant.OCCLUSION;
        this.variant = variant;
        this.arguments = arguments;
        this.window = window ? arguments.get(WINDOW_PARAMETER) : 1;
        this.stride = window ? arguments.get(STRIDE_PARAMETER) : 1;
        this.removal = variant == Variant.TAM ? Removal.TOKEN_DROP : arguments.get(REMOVAL);
        this.output = variant == Variant.TAM ? Output.LOGITS : arguments.get(Perturbation.OUTPUT_PARAMETER);
        this.batchSize = arguments.get(Perturbation.BATCH_SIZE_PARAMETER);
    }

    /** Leave-one-out with the given removal, output and batch size (0: from the memory budget). */
    public static Occlusion leaveOneOut(Removal removal, Output output, int batchSize) {
        return (Occlusion) LEAVE_ONE_OUT.create(Map.of(Perturbation.REMOVAL, removal.id(), Perturbation.OUTPUT,
                Perturbation.outputId(output), Perturbation.BATCH_SIZE, Integer.toString(batchSize)));
    }

    /** Occlusion with the given window, stride, removal, output and batch size. */
    public static Occlusion occlusion(int window, int stride, Removal removal, Output output, int batchSize) {
        return (Occlusion) OCCLUSION.create(Map.of(WINDOW, Integer.toString(window), STRIDE, Integer.toString(stride),
                Perturbation.REMOVAL, removal.id(), Perturbation.OUTPUT, Perturbation.outputId(output),
                Perturbation.BATCH_SIZE, Integer.toString(batchSize)));
    }

    /** The token ablation map with the given batch size. */
    public static Occlusion tam(int batchSize) {
        return (Occlusion) TAM.create(Map.of(Perturbation.BATCH_SIZE, Integer.toString(batchSize)));
    }

    /** Creates {@code variant} from parameters; unknown keys fail. */
    public static Occlusion create(Variant variant, Parameters parameters) {
        MethodDeclaration declaration = switch (variant) {
            case OCCLUSION -> OCCLUSION;
            case LEAVE_ONE_OUT -> LEAVE_ONE_OUT;
            case TAM -> TAM;
        };
        return (Occlusion) declaration.create(parameters);
    }

    public Variant variant() {
        return variant;
    }

    @Override
    public ExplainerInfo info() {
        return variant.info();
    }

    /** The resolved parameters of the variant, defaults included. */
    @Override
    public Parameters parameters() {
        return arguments.parameters();
    }

    @Override
    public Heatmaps explain(Context context, List<Sample> batch, int[] targets) {
        ModelInfo info = context.model().info();
        int g = info.grid();
        if (window > g) {
            throw new ConfigurationException("window " + window + " of " + variant.id() + " exceeds the " + g + " x "
                    + g + " patch grid of model " + info.name() + "; allowed: 1 to " + g);
        }
        int[] anchors = anchors(g, window, stride);
        boolean[][] keep = masks(g, window, anchors);
        MaskedEvaluator evaluator = Perturbation.evaluator(removal, batchSize, context);
        return Perturbation.explainEach(context, batch, targets, (image, sample, target, progress) -> {
            double[][] scores = evaluator.evaluate(context.model(), image, keep, output, 0, progress);
            return attributions(scores, keep);
        });
    }

    /**
     * Window anchors along one side: {@code 0, stride, ...} while {@code <= g - w}, then {@code g - w}
     * if it was not reached.
     */
    static int[] anchors(int g, int window, int stride) {
        List<Integer> anchors = new ArrayList<>();
        for (int a = 0; a <= g - window; a += stride) {
            anchors.add(a);
        }
        if (anchors.get(anchors.size() - 1) != g - window) {
            anchors.add(g - window);
        }
        return anchors.stream().mapToInt(Integer::intValue).toArray();
    }

    /** Row 0 keeps every patch; row {@code 1 + j} removes window {@code j} (anchors row-major). */
    static boolean[][] masks(int g, int window, int[] anchors) {
        boolean[][] keep = new boolean[1 + anchors.length * anchors.length][g * g];
        Arrays.fill(keep[0], true);
        int row = 1;
        for (int top : anchors) {
            for (int left : anchors) {
                Arrays.fill(keep[row], true);
                for (int y = top; y < top + window; y++) {
                    Arrays.fill(keep[row], y * g + left, y * g + left + window, false);
                }
                row++;
            }
        }
        return keep;
    }

    /**
     * The mean window score over the windows covering each patch.
     *
     * @param scores {@code [1 + W][K]}: the full input, then each window removed
     * @param keep the masks of {@link #masks}
     * @return {@code [K][P]}
     */
    static double[][] attributions(double[][] scores, boolean[][] keep) {
        int k = scores[0].length;
        int p = keep[0].length;
        double[][] sums = new double[k][p];
        int[] covering = new int[p];
        for (int w = 1; w < keep.length; w++) {
            for (int i = 0; i < p; i++) {
                if (!keep[w][i]) {
                    covering[i]++;
                    for (int c = 0; c < k; c++) {
                        sums[c][i] += scores[0][c] - scores[w][c];
                    }
                }
            }
        }
        for (double[] map : sums) {
            for (int i = 0; i < p; i++) {
                map[i] /= covering[i]; // >= 1: the anchors cover every patch
            }
        }
        return sums;
    }

    @Override
    public String toString() {
        return variant.id() + parameters();
    }
}
