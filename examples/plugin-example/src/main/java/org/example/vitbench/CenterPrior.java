package org.example.vitbench;

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
import org.vitbench.api.Parameter;
import org.vitbench.api.Parameters;
import org.vitbench.api.Sample;

/**
 * The centre prior: the same Gaussian bump on the image centre for every image, a classic
 * reference in saliency evaluation (Judd, Ehinger, Durand, Torralba 2009, "Learning to predict
 * where humans look", ICCV), because objects tend to sit in the middle. A method that does not beat
 * it on a dataset has learned little more than where objects usually are.
 *
 * <p>Patch {@code (r, c)} of a {@code g x g} grid gets
 * {@code exp(-((r - m)^2 + (c - m)^2) / (2 sigma^2))} with {@code m = (g - 1) / 2} and
 * {@code sigma} in patches (parameter {@code sigma}, default {@code g / 4}). No model call.
 * Immutable and thread-safe.
 */
public final class CenterPrior implements Explainer {

    /** The stable id. */
    public static final String ID = "center-prior";

    private static final ExplainerInfo INFO = new ExplainerInfo(ID, "Centre prior", Family.BASELINE, Set.of(), false,
            "Judd, Ehinger, Durand, Torralba 2009, Learning to predict where humans look, ICCV");

    // NaN stands for "a quarter of the grid", which is known only once the model is
    private static final Parameter<Double> SIGMA = Parameter.of("sigma", Double.NaN, CenterPrior::sigma,
            s -> s.isNaN() ? "auto" : Double.toString(s), "auto, or a number from 0.001 to 1000.0",
            "the bump's standard deviation in patches; auto is a quarter of the grid").omittedAtDefault();

    /** The registration: the listing in META-INF/services/org.vitbench.api.Explainer finds it. */
    public static final MethodDeclaration DECLARATION = MethodDeclaration.of(INFO, List.of(SIGMA), CenterPrior::new);

    private final Arguments arguments;
    private final double sigma;

    /** The bump with sigma a quarter of the grid (ServiceLoader requires this constructor). */
    public CenterPrior() {
        this(DECLARATION.resolve(Map.of()));
    }

    private CenterPrior(Arguments arguments) {
        this.arguments = arguments;
        this.sigma = arguments.get(SIGMA);
    }

    private static double sigma(String text) {
        if (text.equals("auto")) {
            return Double.NaN;
        }
        double sigma;
        try {
            sigma = Double.parseDouble(text);
        } catch (NumberFormatException e) {
            throw new ConfigurationException("not a number");
        }
        if (!(sigma >= 1e-3 && sigma <= 1e3)) {
            throw new ConfigurationException("out of range");
        }
        return sigma;
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
        int grid = context.model().info().grid();
        float[] map = map(grid, Double.isNaN(sigma) ? grid / 4.0 : sigma);
        float[][] maps = new float[batch.size()][];
        for (int b = 0; b < maps.length; b++) {
            maps[b] = map.clone();
        }
        return Heatmaps.of(grid, maps);
    }

    /** The bump on a {@code grid x grid} patch grid, row-major. */
    static float[] map(int grid, double sigma) {
        double m = (grid - 1) / 2.0;
        float[] map = new float[grid * grid];
        for (int r = 0; r < grid; r++) {
            for (int c = 0; c < grid; c++) {
                map[r * grid + c] = (float) Math.exp(-((r - m) * (r - m) + (c - m) * (c - m)) / (2 * sigma * sigma));
            }
        }
        return map;
    }
}
