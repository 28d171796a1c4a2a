package org.vitbench.api;

import java.util.Arrays;
import java.util.Collections;
import java.util.Map;
import java.util.Objects;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * The stored result of one unit of work: one sample explained by one method and scored by one
 * metric. A result store holds one record per unit; {@link #key()} identifies the unit so that a
 * resumed run skips what is already stored. Keys and cells are records, compared field by field:
 * no text is joined with separators to make them.
 *
 * @param configHash hash of the run's canonical configuration
 * @param sampleId the sample's id, unique within its dataset
 * @param label the sample's ground-truth class, or -1 when unknown
 * @param target the explained class (by default the model's predicted class)
 * @param methodId the explainer id
 * @param methodParameters the explainer's parameters, sorted by key
 * @param metricId the metric id
 * @param metricSpec {@link MetricSpec#canonical()} of the metric's protocol
 * @param specHash {@link MetricSpec#hash()} of the metric's protocol
 * @param status whether the unit produced a score
 * @param score the score; NaN when the unit failed
 * @param curve the sample's curve (for example its deletion curve), or {@code null}
 * @param curveX the curve's x-axis, or {@code null} when there is no curve
 * @param error why the unit failed, or {@code null} when it succeeded
 * @param explainSeconds wall-clock seconds of the explanation, per sample (a batch's time divided
 *     by its size)
 * @param metricSeconds wall-clock seconds of the metric, per sample
 */
public record ResultRecord(String configHash, String sampleId, int label, int target, String methodId,
        SortedMap<String, String> methodParameters, String metricId, String metricSpec, String specHash,
        Status status, double score, double[] curve, double[] curveX, String error, double explainSeconds,
        double metricSeconds) {

    /** The outcome of a unit. */
    public enum Status {
        OK("ok"), FAILED("failed");

        private final String id;

        Status(String id) {
            this.id = id;
        }

        /** {@code ok} or {@code failed}, as stored. */
        public String id() {
            return id;
        }

        /** The inverse of {@link #id()}. */
        public static Status parse(String id) {
            for (Status s : values()) {
                if (s.id.equals(id)) {
                    return s;
                }
            }
            throw new IllegalArgumentException("unknown status '" + id + "'; allowed: ok, failed");
        }
    }

    public ResultRecord {
        Objects.requireNonNull(configHash, "configHash");
        Objects.requireNonNull(sampleId, "sampleId");
        Objects.requireNonNull(methodId, "methodId");
        Objects.requireNonNull(metricId, "metricId");
        Objects.requireNonNull(metricSpec, "metricSpec");
        Objects.requireNonNull(specHash, "specHash");
        Objects.requireNonNull(status, "status");
        methodParameters = Collections.unmodifiableSortedMap(new TreeMap<>(methodParameters));
        if ((curve == null) != (curveX == null)) {
            throw new IllegalArgumentException("curve and curveX go together");
        }
        if (curve != null && curve.length != curveX.length) {
            throw new IllegalArgumentException("curve has " + curve.length + " points but curveX has " + curveX.length);
        }
        if (status == Status.OK && (!Double.isFinite(score) || error != null)) {
            throw new IllegalArgumentException("an ok record needs a finite score and no error, got score " + score
                    + " and error " + error);
        }
        if (status == Status.FAILED && (!Double.isNaN(score) || error == null)) {
            throw new IllegalArgumentException("a failed record needs score NaN and an error, got score " + score
                    + " and error " + error);
        }
    }

    /** A successful unit. */
    public static ResultRecord ok(String configHash, String sampleId, int label, int target, MethodSpec method,
            MetricSpec spec, double score, double[] curve, double[] curveX, double explainSeconds,
            double metricSeconds) {
        return new ResultRecord(configHash, sampleId, label, target, method.methodId(), method.parameters(),
                spec.metricId(), spec.canonical(), spec.hash(), Status.OK, score, curve, curveX, null,
                explainSeconds, metricSeconds);
    }

    /** A failed unit with the reason. */
    public static ResultRecord failed(String configHash, String sampleId, int label, int target, MethodSpec method,
            MetricSpec spec, String error, double explainSeconds, double metricSeconds) {
        return new ResultRecord(configHash, sampleId, label, target, method.methodId(), method.parameters(),
                spec.metricId(), spec.canonical(), spec.hash(), Status.FAILED, Double.NaN, null, null, error,
                explainSeconds, metricSeconds);
    }

    /** The method with its resolved parameters. */
    public MethodSpec method() {
        return new MethodSpec(methodId, methodParameters);
    }

    /** The cell of the run this unit belongs to. */
    public Cell cell() {
        return new Cell(method(), specHash);
    }

    /** Identifies the unit, so that a resumed run skips it once stored. */
    public Key key() {
        return new Key(sampleId, cell());
    }

    /**
     * One method with one metric protocol: what a leaderboard row's score, a baseline's tolerance
     * and a comparison's test are about.
     *
     * @param method the method with its resolved parameters
     * @param specHash {@link MetricSpec#hash()} of the metric's protocol
     */
    public record Cell(MethodSpec method, String specHash) {

        @Override
        public String toString() {
            return method + " x " + specHash;
        }
    }

    /**
     * One unit of work: one sample in one cell.
     *
     * @param sampleId the sample's id
     * @param cell the method and metric protocol
     */
    public record Key(String sampleId, Cell cell) {

        @Override
        public String toString() {
            return sampleId + " x " + cell;
        }
    }

    public boolean isOk() {
        return status == Status.OK;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof ResultRecord r && configHash.equals(r.configHash) && sampleId.equals(r.sampleId)
                && label == r.label && target == r.target && methodId.equals(r.methodId)
                && methodParameters.equals(r.methodParameters) && metricId.equals(r.metricId)
                && metricSpec.equals(r.metricSpec) && specHash.equals(r.specHash) && status == r.status
                && Double.compare(score, r.score) == 0 && Arrays.equals(curve, r.curve)
                && Arrays.equals(curveX, r.curveX) && Objects.equals(error, r.error)
                && Double.compare(explainSeconds, r.explainSeconds) == 0
                && Double.compare(metricSeconds, r.metricSeconds) == 0;
    }

    @Override
    public int hashCode() {
        return Objects.hash(configHash, key(), status, score);
    }

    @Override
    public String toString() {
        return "ResultRecord[" + key() + ", " + status.id() + (isOk() ? ", score=" + score : ", error=" + error) + "]";
    }
}
