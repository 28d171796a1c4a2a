package org.vitbench.api;

import java.util.Arrays;

/**
 * Per-sample scores of one metric on one batch.
 *
 * @param scores {@code [B]} one score per sample; NaN marks a sample the metric could not score
 * @param curves {@code [B][T]} optional per-sample curves (for example deletion curves), or
 *     {@code null}
 * @param curveX {@code [T]} the x-axis of the curves (for example the fraction of patches removed),
 *     or {@code null} when there are no curves
 */
public record MetricResult(double[] scores, double[][] curves, double[] curveX) {

    public MetricResult {
        if (curves != null && curves.length != scores.length) {
            throw new IllegalArgumentException(
                    "curves for " + curves.length + " samples but " + scores.length + " scores");
        }
        if ((curves == null) != (curveX == null)) {
            throw new IllegalArgumentException("curves and curveX go together");
        }
    }

    public static MetricResult of(double[] scores) {
        return new MetricResult(scores, null, null);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof MetricResult r && Arrays.equals(scores, r.scores)
                && Arrays.deepEquals(curves, r.curves) && Arrays.equals(curveX, r.curveX);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(scores);
    }

    @Override
    public String toString() {
        return "MetricResult[" + scores.length + " scores" + (curves == null ? "" : ", curves") + "]";
    }
}
