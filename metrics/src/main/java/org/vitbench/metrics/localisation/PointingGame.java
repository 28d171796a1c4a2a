package org.vitbench.metrics.localisation;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.vitbench.api.Arguments;
import org.vitbench.api.Category;
import org.vitbench.api.Direction;
import org.vitbench.api.Heatmaps;
import org.vitbench.api.MetricDeclaration;
import org.vitbench.api.MetricInfo;
import org.vitbench.api.MetricSpec;
import org.vitbench.api.ModelInfo;
import org.vitbench.api.Parameter;
import org.vitbench.api.Parameters;
import org.vitbench.api.Requirement;

/**
 * Pointing game: 1 (a hit) if the maximum of the heatmap lies on the ground-truth object or
 * within {@code tolerance} pixels of it, else 0; the mean over samples is the hit rate, higher is
 * better (Zhang, Bargal, Lin, Brandt, Shen &amp; Sclaroff 2018, "Top-down neural attention by
 * excitation backprop", IJCV, arXiv 1608.00507).
 *
 * <p>Preset {@code zhang}: the target-class map is upsampled to the model's {@code S x S} input by
 * nearest neighbour ({@link Heatmaps#toPixels}); the maximal pixels are every pixel equal to the
 * map's maximum (so a whole patch, or several tied patches). A pixel {@code p} is accepted when
 * it is in the mask or some mask pixel {@code q} has {@code |p - q|^2 < tolerance^2}, the strict
 * test of TorchRay's {@code PointingGame}, the reference re-implementation of Zhang et al.'s
 * benchmark; mask pixels are the non-zero values. The sample is a hit if <em>any</em> maximal
 * pixel is accepted, as Quantus' {@code PointingGame} ({@code np.any(s[argwhere(a == max a)])}).
 * {@code tolerance=0} is Quantus' test (the maximum on the mask itself).
 *
 * <p>Parameter {@code tolerance}, in pixels, 0 to 1000, default {@value #DEFAULT_TOLERANCE}:
 * the paper's 15 px at 224 px is 6.7% of the side, and 4 px is 7.1% of the 56 px
 * {@code fashion-mnist-canvas} images this default is for.
 *
 * <p>Edge cases: a constant map is maximal everywhere and therefore a hit whenever the mask is
 * non-empty (as in Quantus; compare with a random-map floor); an empty mask has no object and
 * scores NaN (Quantus also returns NaN); a sample without a mask fails the batch with a
 * {@link org.vitbench.api.ConfigurationException}; a non-finite heatmap value fails it with the
 * sample named. No model calls. Immutable and thread-safe.
 */
public final class PointingGame extends MaskScore {

    /** The stable id. */
    public static final String ID = "pointing-game";

    /** Zhang et al.'s protocol with TorchRay's tolerance test and Quantus' tie rule. */
    public static final String ZHANG = "zhang";

    /** Tolerance in pixels unless configured. */
    public static final int DEFAULT_TOLERANCE = 4;

    /** The largest tolerance accepted, far beyond any image vitbench evaluates. */
    public static final int MAX_TOLERANCE = 1000;

    private static final MetricInfo INFO = new MetricInfo(ID, "Pointing game", Category.LOCALISATION,
            Direction.HIGHER_IS_BETTER, Set.of(Requirement.GROUND_TRUTH_MASK), List.of(ZHANG),
            "Zhang, Bargal, Lin, Brandt, Shen & Sclaroff 2018, IJCV, arXiv 1608.00507");

    private static final Parameter<Integer> TOLERANCE = Parameter.integer("tolerance", DEFAULT_TOLERANCE, 0,
            MAX_TOLERANCE, "pixels a hit may lie from the mask, as the reference's 15 px at 224");

    /** The registration: parameters and factory. */
    public static final MetricDeclaration DECLARATION = MetricDeclaration.of(INFO, List.of(TOLERANCE),
            PointingGame::new);

    private final Arguments arguments;
    private final int tolerance;

    /**
     * @param tolerance in pixels, 0 to {@value #MAX_TOLERANCE}
     */
    public PointingGame(int tolerance) {
        this(DECLARATION.resolve(Map.of(TOLERANCE.name(), Integer.toString(tolerance))));
    }

    /** The default protocol: tolerance {@value #DEFAULT_TOLERANCE} px. */
    public PointingGame() {
        this(DECLARATION.resolve(Map.of()));
    }

    private PointingGame(Arguments arguments) {
        this.arguments = arguments;
        this.tolerance = arguments.get(TOLERANCE);
    }

    /** Creates the metric; parameters {@code preset} and {@code tolerance}. */
    public static PointingGame create(Parameters parameters) {
        return (PointingGame) DECLARATION.create(parameters);
    }

    /**
     * Whether the maximum of {@code map} points at the object.
     *
     * @param map {@code [side * side]} row-major, finite
     * @param mask {@code [side * side]} row-major; non-zero values are the object
     * @param side image height and width
     * @param tolerance in pixels, at least 0
     * @return 1 for a hit, 0 for a miss, NaN for an empty mask
     */
    public static double hit(float[] map, float[] mask, int side, int tolerance) {
        GroundTruth.checkSizes(map, mask, side);
        if (tolerance < 0) {
            throw new IllegalArgumentException("tolerance must not be negative, got " + tolerance);
        }
        if (GroundTruth.count(mask) == 0) {
            return Double.NaN;
        }
        float max = Float.NEGATIVE_INFINITY;
        for (float v : map) {
            max = Math.max(max, v);
        }
        List<int[]> offsets = offsets(tolerance);
        for (int p = 0; p < map.length; p++) {
            if (map[p] == max && accepted(mask, side, p / side, p % side, offsets)) {
                return 1;
            }
        }
        return 0;
    }

    /** {@code (dy, dx)} with {@code dy^2 + dx^2 < tolerance^2}, and {@code (0, 0)} always. */
    private static List<int[]> offsets(int tolerance) {
        List<int[]> offsets = new ArrayList<>();
        offsets.add(new int[] {0, 0});
        long limit = (long) tolerance * tolerance;
        for (int dy = -tolerance; dy <= tolerance; dy++) {
            for (int dx = -tolerance; dx <= tolerance; dx++) {
                if ((dy != 0 || dx != 0) && (long) dy * dy + (long) dx * dx < limit) {
                    offsets.add(new int[] {dy, dx});
                }
            }
        }
        return offsets;
    }

    private static boolean accepted(float[] mask, int side, int y, int x, List<int[]> offsets) {
        for (int[] o : offsets) {
            int qy = y + o[0];
            int qx = x + o[1];
            if (qy >= 0 && qy < side && qx >= 0 && qx < side && mask[qy * side + qx] != 0f) {
                return true;
            }
        }
        return false;
    }

    /** The tolerance in pixels. */
    public int tolerance() {
        return tolerance;
    }

    @Override
    public MetricInfo info() {
        return INFO;
    }

    @Override
    public MetricSpec spec() {
        return arguments.metricSpec();
    }

    @Override
    double score(float[] pixels, float[] mask, ModelInfo model) {
        return hit(pixels, mask, model.imageSize(), tolerance);
    }
}
