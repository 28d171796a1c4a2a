package org.vitbench.api.contract;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import java.util.List;
import java.util.Optional;
import java.util.SplittableRandom;
import java.util.TreeMap;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.vitbench.api.Batches;
import org.vitbench.api.Context;
import org.vitbench.api.Heatmaps;
import org.vitbench.api.Metric;
import org.vitbench.api.MetricProvider;
import org.vitbench.api.MetricResult;
import org.vitbench.api.MetricSpec;
import org.vitbench.api.ModelInfo;
import org.vitbench.api.Parameters;
import org.vitbench.api.Registry;
import org.vitbench.api.Requirement;
import org.vitbench.api.Sample;
import org.vitbench.api.VitModel;

/**
 * The contract every metric passes: one finite score per sample, well-formed curves, seeded
 * determinism, batch-size invariance, seed sensitivity as declared, no native arrays left behind,
 * and a spec that recreates the metric through its registered provider.
 *
 * <p>Subclasses supply the metric, a model and a few samples (two or more); heatmaps come from
 * {@link #heatmap}, by default a fixed pseudo-random map per (sample, class). A fresh model is
 * created before each test and closed after it.
 */
public abstract class MetricContract {

    /** The run seed of the contract's calls. */
    protected static final long SEED = 20240611L;

    private VitModel model;

    /** The metric under test. */
    protected abstract Metric metric();

    /**
     * {@code metric} with {@code explainer} named as the method behind the heatmaps of the model
     * it scores, as the runner does; for metrics that explain again ({@link Context#explainedBy()}),
     * since the contract's own contexts do not name one.
     */
    protected static Metric explainedBy(Metric metric, org.vitbench.api.Explainer explainer) {
        return new Metric() {
            @Override
            public org.vitbench.api.MetricInfo info() {
                return metric.info();
            }

            @Override
            public MetricSpec spec() {
                return metric.spec();
            }

            @Override
            public MetricResult evaluate(Context context, List<Sample> batch, int[] targets, Heatmaps heatmaps) {
                return metric.evaluate(context.withExplained(explainer, context.model()), batch, targets, heatmaps);
            }
        };
    }

    /** A new model for one test; the contract closes it. */
    protected abstract VitModel createModel();

    /** The samples to score, at least two, all matching {@code model}. */
    protected abstract List<Sample> samples(VitModel model);

    /** True when scores depend on the run seed for the contract's heatmaps. */
    protected boolean isRandomised() {
        return false;
    }

    /**
     * Tolerance of the batch-size invariance check, relative to the magnitude of the single-sample
     * value: {@code |batch - alone| <= tol * max(1, |alone|)}.
     */
    protected double batchTolerance() {
        return 1e-5;
    }

    /**
     * The heatmap of one sample for one class, {@code [P]}; by default uniform random values fixed
     * by the sample id and the class, so a sample's map does not depend on its batch.
     */
    protected float[] heatmap(Sample sample, int cls, ModelInfo info) {
        SplittableRandom random = new SplittableRandom(31L * sample.id().hashCode() + cls);
        float[] map = new float[info.numPatches()];
        for (int i = 0; i < map.length; i++) {
            map[i] = (float) random.nextDouble();
        }
        return map;
    }

    /** The explained classes; by default the model's predicted class, as the runner does. */
    protected int[] targets(VitModel model, List<Sample> samples) {
        try (NDManager scope = model.manager().newSubManager()) {
            NDArray logits = model.logits(Batches.images(scope, samples, model.info()));
            return logits.argMax(1).toType(ai.djl.ndarray.types.DataType.INT32, false).toIntArray();
        }
    }

    @BeforeEach
    final void openModel() {
        model = createModel();
    }

    @AfterEach
    final void closeModel() {
        model.close();
    }

    /** The model of the current test. */
    protected final VitModel model() {
        return model;
    }

    @Test
    void oneFiniteScorePerSampleAndWellFormedCurves() {
        List<Sample> samples = samples(model);
        assertTrue(samples.size() >= 2, "the contract needs at least two samples");
        MetricResult result = evaluate(samples, targets(model, samples), SEED);
        assertEquals(samples.size(), result.scores().length, "one score per sample");
        for (int b = 0; b < samples.size(); b++) {
            assertTrue(Double.isFinite(result.scores()[b]), "score of sample " + b + " = " + result.scores()[b]);
        }
        if (result.curves() != null) {
            double[] x = result.curveX();
            for (int t = 0; t < x.length; t++) {
                assertTrue(Double.isFinite(x[t]), "curveX[" + t + "] = " + x[t]);
                assertTrue(t == 0 || x[t] >= x[t - 1], "curveX is not sorted at " + t);
            }
            for (int b = 0; b < samples.size(); b++) {
                double[] curve = result.curves()[b];
                assertNotNull(curve, "curve of sample " + b);
                assertEquals(x.length, curve.length, "points on the curve of sample " + b);
                for (double v : curve) {
                    assertTrue(Double.isFinite(v), "curve of sample " + b + " has " + v);
                }
            }
        }
    }

    @Test
    void theSameSeedGivesIdenticalScores() {
        List<Sample> samples = samples(model);
        int[] targets = targets(model, samples);
        assertEquals(evaluate(samples, targets, SEED), evaluate(samples, targets, SEED));
    }

    @Test
    void aDifferentSeedChangesTheScoresOnlyWhenRandomised() {
        List<Sample> samples = samples(model);
        int[] targets = targets(model, samples);
        MetricResult first = evaluate(samples, targets, SEED);
        MetricResult second = evaluate(samples, targets, SEED + 1);
        if (isRandomised()) {
            assertNotEquals(first, second, "a randomised metric ignored the seed");
        } else {
            assertEquals(first, second, "a metric not declared randomised depends on the seed");
        }
    }

    @Test
    void eachSampleScoredAloneMatchesTheBatch() {
        List<Sample> samples = samples(model);
        int[] targets = targets(model, samples);
        MetricResult batch = evaluate(samples, targets, SEED);
        for (int b = 0; b < samples.size(); b++) {
            MetricResult alone = evaluate(List.of(samples.get(b)), new int[] {targets[b]}, SEED);
            assertClose(alone.scores()[0], batch.scores()[b], "score of sample " + b);
            if (batch.curves() != null) {
                for (int t = 0; t < batch.curveX().length; t++) {
                    assertClose(alone.curves()[0][t], batch.curves()[b][t], "curve of sample " + b + " at " + t);
                }
            }
        }
    }

    @Test
    void noNativeArraysAreLeftInTheContextManager() {
        List<Sample> samples = samples(model);
        int[] targets = targets(model, samples);
        Heatmaps maps = heatmaps(samples, targets);
        try (NDManager manager = model.manager().newSubManager()) {
            metric().evaluate(new Context(model, SEED, manager), samples, targets, maps);
            // DJL 0.35.1 counts the arrays of open sub-managers too, so a forgotten scope fails here.
            List<NDArray> left = manager.getManagedArrays();
            assertTrue(left.isEmpty(), left.size() + " arrays left attached to the context manager: " + left);
        }
    }

    @Test
    void theSpecRecreatesTheMetricThroughItsRegisteredProvider() {
        Metric metric = metric();
        String id = metric.info().id();
        MetricSpec spec = metric.spec();
        assertEquals(id, spec.metricId(), "spec names the metric");
        assertTrue(metric.info().presets().contains(spec.preset()),
                "preset '" + spec.preset() + "' is one of " + metric.info().presets());
        MetricProvider provider = Optional.ofNullable(Registry.load().metrics().get(id))
                .orElseGet(() -> fail("no metric with id '" + id + "' is registered: list its class in "
                        + "META-INF/services/org.vitbench.api.Metric"));
        assertEquals(metric.info(), provider.info(), "provider and metric describe themselves alike");
        TreeMap<String, String> values = new TreeMap<>(spec.parameters());
        values.put("preset", spec.preset());
        Metric again = provider.create(Parameters.of(id, values));
        assertEquals(spec, again.spec(), "the spec's parameters recreate the same protocol");
        assertEquals(spec.hash(), again.spec().hash());
    }

    /** The contract's heatmaps for {@code samples}: per class when the metric requires it. */
    protected final Heatmaps heatmaps(List<Sample> samples, int[] targets) {
        ModelInfo info = model.info();
        if (metric().info().requirements().contains(Requirement.ALL_CLASSES)) {
            float[][][] perClass = new float[samples.size()][info.numClasses()][];
            for (int b = 0; b < samples.size(); b++) {
                for (int k = 0; k < info.numClasses(); k++) {
                    perClass[b][k] = heatmap(samples.get(b), k, info);
                }
            }
            return Heatmaps.ofAllClasses(info.grid(), perClass, targets);
        }
        float[][] target = new float[samples.size()][];
        for (int b = 0; b < samples.size(); b++) {
            target[b] = heatmap(samples.get(b), targets[b], info);
        }
        return Heatmaps.of(info.grid(), target);
    }

    /** Scores {@code samples} with the contract's heatmaps in a fresh sub-manager of the model's. */
    protected final MetricResult evaluate(List<Sample> samples, int[] targets, long seed) {
        Heatmaps maps = heatmaps(samples, targets);
        try (NDManager manager = model.manager().newSubManager()) {
            return metric().evaluate(new Context(model, seed, manager), samples, targets, maps);
        }
    }

    private void assertClose(double expected, double actual, String what) {
        double tol = batchTolerance() * Math.max(1.0, Math.abs(expected));
        if (!(Math.abs(expected - actual) <= tol)) {
            fail(what + ": alone " + expected + ", in the batch " + actual + " (tolerance " + tol + ")");
        }
    }
}
