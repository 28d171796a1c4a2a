package org.vitbench.api.contract;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.vitbench.api.Batches;
import org.vitbench.api.Context;
import org.vitbench.api.Explainer;
import org.vitbench.api.Gradients;
import org.vitbench.api.ExplainerInfo;
import org.vitbench.api.ExplainerProvider;
import org.vitbench.api.Heatmaps;
import org.vitbench.api.Parameters;
import org.vitbench.api.Registry;
import org.vitbench.api.Sample;
import org.vitbench.api.VitModel;

/**
 * The contract every explanation method passes: output shape, finite values, seeded determinism,
 * batch-size invariance, seed sensitivity as declared, no native arrays left behind, and a
 * {@link ServiceLoader} registration that recreates the method from its parameters.
 *
 * <p>Subclasses supply the method, a model and a few samples (two or more, so that batching is
 * exercised). A fresh model is created before each test and closed after it.
 */
public abstract class ExplainerContract {

    /** The run seed of the contract's calls. */
    protected static final long SEED = 20240611L;

    private VitModel model;

    /** The method under test. */
    protected abstract Explainer explainer();

    /** A new model for one test; the contract closes it. */
    protected abstract VitModel createModel();

    /** The samples to explain, at least two, all matching {@code model}. */
    protected abstract List<Sample> samples(VitModel model);

    /** True when the maps depend on the run seed; a different seed must then change them. */
    protected boolean isRandomised() {
        return false;
    }

    /**
     * Tolerance of the batch-size invariance check, relative to the largest absolute value of the
     * single-sample map: {@code |batch - alone| <= tol * max|alone|}.
     */
    protected double batchTolerance() {
        return 1e-5;
    }

    /** The classes to explain; by default the model's predicted class, as the runner does. */
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
    void heatmapsHaveTheBatchSizeAndTheModelGrid() {
        List<Sample> samples = samples(model);
        assertTrue(samples.size() >= 2, "the contract needs at least two samples");
        int[] targets = targets(model, samples);
        Heatmaps maps = explain(samples, targets, SEED);
        int p = model.info().numPatches();
        assertEquals(samples.size(), maps.batchSize(), "one map per sample");
        assertEquals(model.info().grid(), maps.grid(), "maps are on the model's patch grid");
        for (float[] map : maps.target()) {
            assertEquals(p, map.length, "values per map");
        }
        if (explainer().info().allClasses()) {
            assertNotNull(maps.perClass(), "a method that declares allClasses returns per-class maps");
            for (int b = 0; b < samples.size(); b++) {
                assertEquals(model.info().numClasses(), maps.perClass()[b].length, "classes of sample " + b);
                for (float[] map : maps.perClass()[b]) {
                    assertEquals(p, map.length, "values per class map");
                }
                assertArrayEquals(maps.perClass()[b][targets[b]], maps.target()[b],
                        "the target map of sample " + b + " is its target class's map");
            }
        } else {
            assertNull(maps.perClass(), "a method that does not declare allClasses returns target maps only");
        }
    }

    @Test
    void heatmapsAreFinite() {
        List<Sample> samples = samples(model);
        Heatmaps maps = explain(samples, targets(model, samples), SEED);
        assertNull(maps.firstNonFinite(), "non-finite value");
        if (maps.perClass() != null) {
            for (int b = 0; b < maps.batchSize(); b++) {
                for (int k = 0; k < maps.perClass()[b].length; k++) {
                    for (float v : maps.perClass()[b][k]) {
                        assertTrue(Float.isFinite(v), "non-finite value in sample " + b + ", class " + k);
                    }
                }
            }
        }
    }

    @Test
    void theSameSeedGivesIdenticalMaps() {
        List<Sample> samples = samples(model);
        int[] targets = targets(model, samples);
        assertEquals(explain(samples, targets, SEED), explain(samples, targets, SEED));
    }

    @Test
    void aDifferentSeedChangesTheMapsOnlyWhenRandomised() {
        List<Sample> samples = samples(model);
        int[] targets = targets(model, samples);
        Heatmaps first = explain(samples, targets, SEED);
        Heatmaps second = explain(samples, targets, SEED + 1);
        if (isRandomised()) {
            assertNotEquals(first, second, "a randomised method ignored the seed");
        } else {
            assertEquals(first, second, "a method not declared randomised depends on the seed");
        }
    }

    @Test
    void eachSampleExplainedAloneMatchesTheBatch() {
        List<Sample> samples = samples(model);
        int[] targets = targets(model, samples);
        Heatmaps batch = explain(samples, targets, SEED);
        for (int b = 0; b < samples.size(); b++) {
            Heatmaps alone = explain(List.of(samples.get(b)), new int[] {targets[b]}, SEED);
            assertClose(alone.target()[0], batch.target()[b], "target map of sample " + b);
            if (batch.perClass() != null) {
                for (int k = 0; k < batch.perClass()[b].length; k++) {
                    assertClose(alone.perClass()[0][k], batch.perClass()[b][k],
                            "class " + k + " map of sample " + b);
                }
            }
        }
    }

    @Test
    void noNativeArraysAreLeftInTheContextManager() {
        List<Sample> samples = samples(model);
        int[] targets = targets(model, samples);
        try (NDManager manager = model.manager().newSubManager()) {
            explainer().explain(new Context(model, SEED, manager), samples, targets);
            // DJL 0.35.1 counts the arrays of open sub-managers too, so a forgotten scope fails here.
            List<NDArray> left = manager.getManagedArrays();
            assertTrue(left.isEmpty(), left.size() + " arrays left attached to the context manager: " + left);
        }
    }

    @Test
    void aRegisteredProviderRecreatesTheMethodFromItsParameters() {
        Explainer explainer = explainer();
        String id = explainer.info().id();
        ExplainerProvider provider = Optional.ofNullable(Registry.load().explainers().get(id))
                .orElseGet(() -> fail("no method with id '" + id + "' is registered: list its class in "
                        + "META-INF/services/org.vitbench.api.Explainer"));
        ExplainerInfo registered = provider.info();
        assertEquals(List.of(registered.id(), registered.name(), registered.family(), registered.allClasses(),
                registered.reference()), List.of(explainer.info().id(), explainer.info().name(),
                explainer.info().family(), explainer.info().allClasses(), explainer.info().reference()),
                "provider and method describe themselves alike (requirements may depend on the parameters)");
        Explainer again = provider.create(Parameters.of(id, explainer.parameters().asMap()));
        assertEquals(explainer.parameters(), again.parameters(), "parameters() is a complete cache key");
        assertEquals(explainer.info(), again.info(), "the parameters fix what the method requires");
        assertSame(explainer.getClass(), again.getClass());
    }

    /**
     * Gradient code must not let Java free what the graph still reads: with a forced garbage
     * collection (and the freed memory reused) right before every backward pass, the maps equal the
     * undisturbed ones exactly, over {@link #stressRepetitions()} calls. A method that never runs a
     * backward pass passes after one call.
     */
    @Test
    void gradientsSurviveAGarbageCollectionBeforeEveryBackwardPass() {
        List<Sample> samples = samples(model);
        int[] targets = targets(model, samples);
        Heatmaps calm = explain(samples, targets, SEED);
        GcStress stress = new GcStress();
        for (int r = 0; r < stressRepetitions(); r++) {
            Heatmaps stressed = Gradients.withBeforeBackward(stress, () -> explain(samples, targets, SEED));
            assertEquals(calm, stressed, "maps changed by a garbage collection before the backward pass (call "
                    + (r + 1) + "): an array the graph reads was freed; see org.vitbench.api.GraphConstants");
            if (stress.calls() == 0) {
                return; // no backward pass: nothing to disturb
            }
        }
    }

    /** Calls of {@link #gradientsSurviveAGarbageCollectionBeforeEveryBackwardPass}; each stresses every backward pass. */
    protected int stressRepetitions() {
        return 10;
    }

    /** Explains {@code samples} in a fresh sub-manager of the model's manager. */
    protected final Heatmaps explain(List<Sample> samples, int[] targets, long seed) {
        try (NDManager manager = model.manager().newSubManager()) {
            return explainer().explain(new Context(model, seed, manager), samples, targets);
        }
    }

    private void assertClose(float[] expected, float[] actual, String what) {
        assertEquals(expected.length, actual.length, what);
        float scale = 0f;
        for (float v : expected) {
            scale = Math.max(scale, Math.abs(v));
        }
        double tol = batchTolerance() * scale;
        for (int i = 0; i < expected.length; i++) {
            if (!(Math.abs(expected[i] - actual[i]) <= tol)) {
                fail(what + ", patch " + i + ": alone " + expected[i] + ", in the batch " + actual[i]
                        + " (tolerance " + tol + ")");
            }
        }
    }
}
