package org.vitbench.methods.cam;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.vitbench.api.Arguments;
import org.vitbench.api.Batches;
import org.vitbench.api.Context;
import org.vitbench.api.Explainer;
import org.vitbench.api.ExplainerInfo;
import org.vitbench.api.Family;
import org.vitbench.api.ForwardTrace;
import org.vitbench.api.Heatmaps;
import org.vitbench.api.MethodDeclaration;
import org.vitbench.api.ModelInfo;
import org.vitbench.api.Parameter;
import org.vitbench.api.Parameters;
import org.vitbench.api.Requirement;
import org.vitbench.api.Sample;
import org.vitbench.api.TraceOptions;
import org.vitbench.api.VitModel;
import org.vitbench.models.masking.MaskedEvaluator;

/**
 * Score-CAM on ViT tokens (Wang, Wang, Du, Yang, Zhang, Ding, Mardziel &amp; Hu 2020, "Score-CAM:
 * Score-Weighted Visual Explanations for Convolutional Neural Networks", CVPR workshops, arXiv
 * 1910.01279) as jacobgil/pytorch-grad-cam's {@code ScoreCAM} applies it to a ViT with
 * {@code reshape_transform}: GradCAM's layer (the last block's LayerNorm-1 tokens), patch tokens
 * as pixels and embedding dimensions as channels, no gradients. Per sample, with {@code U} the
 * {@code [P, D]} patch tokens on the {@code g x g} grid:
 * <pre>
 *   M_d   = bilinear upsampling of U[:, d] to S x S (align_corners=True, torch's UpsamplingBilinear2d)
 *   M_d   = (M_d - min M_d) / (max M_d - min M_d + 1e-8)
 *   s_d   = logit_target(model input * M_d)             one forward per channel d
 *   w     = softmax_d(s)
 *   cam_i = relu( sum_d w_d U[i, d] ), then min-max scaled as GradCAM
 * </pre>
 * pytorch-grad-cam multiplies the model's normalised input by the mask; vitbench's models take
 * pixels in [0, 1] and normalise inside, so the same input is {@code mean + M_d (x - mean)}, a
 * blend towards the normalisation mean. Parameters: {@code scale} (default {@code true});
 * {@code batchSize} masked images per forward (default 16, the reference's {@code BATCH_SIZE};
 * fewer when the run's memory budget requires). Cost: {@code D} forwards per image (64 for the
 * embedded model, 768 for ViT-B/16). Checked against the torch reference fixture
 * ({@code make_whitebox_fixtures.py}). Immutable and thread-safe.
 */
public final class ScoreCam implements Explainer {

    /** The stable id. */
    public static final String ID = "scorecam";

    /** The reference's guard in the mask normalisation. */
    static final double MASK_EPS = 1e-8;

    private static final ExplainerInfo INFO = new ExplainerInfo(ID, "Score-CAM (tokens, LayerNorm-1)",
            Family.PERTURBATION, Set.of(Requirement.PLAIN_LAYOUT), false,
            "Wang et al. 2020, Score-CAM, arXiv 1910.01279; token variant of jacobgil/pytorch-grad-cam");

    private static final Parameter<Integer> BATCH_SIZE = Parameter.integer("batchSize", 16, 1, 1 << 16,
            "masked images per forward pass (the reference's BATCH_SIZE)");

    /** The registration: parameters and factory. */
    public static final MethodDeclaration DECLARATION = MethodDeclaration.of(INFO, List.of(TokenCam.SCALE,
            BATCH_SIZE), ScoreCam::new);

    private final Arguments arguments;
    private final boolean scale;
    private final int batchSize;

    /** The reference configuration: scaled maps, 16 masked images per forward. */
    public ScoreCam() {
        this(DECLARATION.resolve(Map.of()));
    }

    private ScoreCam(Arguments arguments) {
        this.arguments = arguments;
        this.scale = arguments.get(TokenCam.SCALE);
        this.batchSize = arguments.get(BATCH_SIZE);
    }

    /** Creates the method from validated parameters; unknown keys fail. */
    public static ScoreCam create(Parameters parameters) {
        return (ScoreCam) DECLARATION.create(parameters);
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
        VitModel model = context.model();
        ModelInfo info = model.info();
        LayerGradients.checkTargets(targets, batch.size(), info.numClasses());
        float[][] maps = new float[batch.size()][];
        int chunk = Math.min(batchSize, MaskedEvaluator.batchSizeFor(info, context.memoryBudget()));
        try (NDManager scope = context.manager().newSubManager()) {
            NDArray images = Batches.images(scope, batch, info);
            ForwardTrace trace = model.trace(images, TraceOptions.NONE.withTokens(true));
            List<NDArray> norm1 = trace.norm1();
            NDArray last = norm1.get(norm1.size() - 1);
            float[] tokens = last.toFloatArray();
            int d = (int) last.getShape().get(2);
            for (int b = 0; b < maps.length; b++) {
                float[][] u = GradCam.patchTokens(tokens, b, info.numTokens(), d);
                double[] scores = channelScores(model, scope, batch.get(b).image().pixels(), u, targets[b], chunk);
                MaskedEvaluator.softmaxInPlace(scores);
                maps[b] = TokenCam.weighted(u, scores, scale);
                context.progress().update(b + 1, maps.length);
            }
        }
        return Heatmaps.of(info.grid(), maps);
    }

    /** The target logit of the input masked by each channel's upsampled, normalised map, {@code [D]}. */
    private static double[] channelScores(VitModel model, NDManager scope, float[] image, float[][] u, int target,
            int chunk) {
        ModelInfo info = model.info();
        int s = info.imageSize();
        int c = info.channels();
        int d = u[0].length;
        float[] mean = info.preprocessing().mean();
        double[] scores = new double[d];
        for (int start = 0; start < d; start += chunk) {
            int n = Math.min(chunk, d - start);
            float[] masked = new float[n * image.length];
            for (int r = 0; r < n; r++) {
                float[] mask = upsampledMask(u, start + r, info.grid(), s);
                for (int ch = 0; ch < c; ch++) {
                    for (int p = 0; p < s * s; p++) {
                        int at = ch * s * s + p;
                        masked[r * image.length + at] = (float) (mean[ch] + mask[p] * ((double) image[at] - mean[ch]));
                    }
                }
            }
            try (NDManager step = scope.newSubManager()) {
                float[][] logits = Batches.rows(model.logits(step.create(masked, new Shape(n, c, s, s))));
                for (int r = 0; r < n; r++) {
                    scores[start + r] = logits[r][target];
                }
            }
        }
        return scores;
    }

    /**
     * Channel {@code e} of the patch tokens as a {@code g x g} map, upsampled bilinearly with
     * aligned corners to {@code s x s} and min-max normalised with {@value #MASK_EPS}.
     */
    static float[] upsampledMask(float[][] u, int e, int g, int s) {
        double[] up = new double[s * s];
        double min = Double.POSITIVE_INFINITY;
        double max = Double.NEGATIVE_INFINITY;
        double step = s > 1 ? (g - 1.0) / (s - 1.0) : 0;
        for (int y = 0; y < s; y++) {
            double fy = y * step;
            int y0 = Math.min((int) Math.floor(fy), g - 1);
            int y1 = Math.min(y0 + 1, g - 1);
            double wy = fy - y0;
            for (int x = 0; x < s; x++) {
                double fx = x * step;
                int x0 = Math.min((int) Math.floor(fx), g - 1);
                int x1 = Math.min(x0 + 1, g - 1);
                double wx = fx - x0;
                double v = (1 - wy) * ((1 - wx) * u[y0 * g + x0][e] + wx * u[y0 * g + x1][e])
                        + wy * ((1 - wx) * u[y1 * g + x0][e] + wx * u[y1 * g + x1][e]);
                up[y * s + x] = v;
                min = Math.min(min, v);
                max = Math.max(max, v);
            }
        }
        float[] mask = new float[up.length];
        for (int i = 0; i < up.length; i++) {
            mask[i] = (float) ((up[i] - min) / (max - min + MASK_EPS));
        }
        return mask;
    }

    @Override
    public String toString() {
        return ID + parameters();
    }
}
