package org.vitbench.metrics.internal;

import org.vitbench.api.Averages;

/**
 * Areas under metric curves, in the two conventions of the references: the plain mean of the
 * curve values (ViT Shapley; the area on an evenly spaced x-axis normalised to [0, 1], with each
 * point weighted alike) and the trapezoid rule (RISE, scikit-learn's {@code auc}). For {@code T}
 * evenly spaced points on [0, 1] the mean is {@code sum(y) / T} and the trapezoid
 * {@code (sum(y) - (y_0 + y_{T-1}) / 2) / (T - 1)}; they differ most on short curves. Stateless and
 * thread-safe.
 */
public final class Auc {

    private Auc() {
    }

    /**
     * The mean of the curve values.
     *
     * @param y at least one value; NaN propagates
     */
    public static double mean(double[] y) {
        if (y.length == 0) {
            throw new IllegalArgumentException("the area of an empty curve is undefined");
        }
        return Averages.mean(y);
    }

    /**
     * The trapezoid rule, {@code sum_t (x_{t+1} - x_t) (y_t + y_{t+1}) / 2}.
     *
     * @param x at least two non-decreasing abscissae
     * @param y one value per abscissa; NaN propagates
     */
    public static double trapezoid(double[] x, double[] y) {
        if (x.length != y.length) {
            throw new IllegalArgumentException(x.length + " x values but " + y.length + " y values");
        }
        if (x.length < 2) {
            throw new IllegalArgumentException("the trapezoid rule needs at least two points, got " + x.length);
        }
        double area = 0;
        for (int t = 0; t + 1 < x.length; t++) {
            if (!(x[t + 1] >= x[t])) {
                throw new IllegalArgumentException("x must be non-decreasing: x[" + t + "] = " + x[t]
                        + ", x[" + (t + 1) + "] = " + x[t + 1]);
            }
            area += (x[t + 1] - x[t]) * (y[t] + y[t + 1]) / 2;
        }
        return area;
    }
}
