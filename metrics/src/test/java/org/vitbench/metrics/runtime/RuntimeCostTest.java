package org.vitbench.metrics.runtime;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import ai.djl.ndarray.NDManager;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.vitbench.api.ConfigurationException;
import org.vitbench.api.Context;
import org.vitbench.api.Direction;
import org.vitbench.api.Explainer;
import org.vitbench.api.Heatmaps;
import org.vitbench.api.MetricResult;
import org.vitbench.api.MetricSpec;
import org.vitbench.api.Parameters;
import org.vitbench.api.Sample;
import org.vitbench.api.VitModel;
import org.vitbench.api.contract.FakeVitModel;
import org.vitbench.models.TinyVit;

class RuntimeCostTest {

    private static final long SEED = 7L;
    private static final double EXACT = 1e-15;
    private static final long MS = 1_000_000L;

    private VitModel model;
    private VitModel other;
    private List<Sample> two;
    private int[] targets;

    @BeforeEach
    void open() {
        model = TinyVit.create(5);
        other = FakeVitModel.of(model.info(), keep -> new float[model.info().numClasses()]);
        two = FakeVitModel.randomSamples(model.info(), 2, 3L);
        targets = new int[] {0, 2};
    }

    @AfterEach
    void close() {
        model.close();
        other.close();
    }

    private MetricResult evaluate(RuntimeCost metric, Explainer explainer, VitModel evaluationModel, long seed) {
        Heatmaps maps = Heatmaps.of(model.info().grid(), new float[two.size()][model.info().numPatches()]);
        try (NDManager manager = evaluationModel.manager().newSubManager()) {
            Context context = new Context(evaluationModel, seed, manager).withExplained(explainer, model);
            return metric.evaluate(context, two, targets, maps);
        }
    }

    private RuntimeCost.Measurement measure(RuntimeCost metric, Explainer explainer) {
        try (NDManager manager = model.manager().newSubManager()) {
            return metric.measure(new Context(model, SEED, manager).withExplained(explainer, model), two, targets);
        }
    }

    @Test
    void twentyMillisecondsForTwoImagesIsAboutTenPerImage() {
        TimedExplainers.Sleeping explainer = new TimedExplainers.Sleeping(20);
        MetricResult result = evaluate(new RuntimeCost(), explainer, model, SEED);
        double score = result.scores()[0];
        // Thread.sleep never returns early by more than the clock's granularity; 1 s leaves room for a busy machine.
        assertTrue(score >= 0.009 && score < 1.0, "seconds per image " + score);
        assertEquals(score, result.scores()[1], 0.0, "every sample gets the batch's value");
        assertEquals(RuntimeCost.DEFAULT_WARMUP + RuntimeCost.DEFAULT_REPEATS, explainer.calls());
        assertArrayEquals(new double[] {1, 2, 3}, result.curveX(), 0.0);
        for (double[] curve : result.curves()) {
            for (double v : curve) {
                assertTrue(v >= 0.009 && v < 1.0, "repeat latency " + v);
            }
        }
        assertArrayEquals(result.curves()[0], result.curves()[1], 0.0);
    }

    @Test
    void warmUpCallsAreMadeButNotTimed() {
        TimedExplainers.ManualClock clock = new TimedExplainers.ManualClock();
        // The two warm-up calls "take" 1 s per image; the timed ones 5 ms.
        TimedExplainers.Forward explainer = new TimedExplainers.Forward(clock, call -> call <= 2 ? 1000 * MS : 5 * MS);
        RuntimeCost.Measurement m = measure(new RuntimeCost(2, 4, clock), explainer);
        assertEquals(6, explainer.calls(), "2 warm-up and 4 timed calls");
        assertEquals(4, m.repeats());
        assertEquals(2, m.warmup());
        for (double v : m.secondsPerImage()) {
            assertEquals(0.005, v, EXACT);
        }
        assertEquals(0.005, m.median(), EXACT);
        assertEquals(200, m.imagesPerSecond(), 1e-9);
    }

    @Test
    void theScoreIsTheMedianAndTheCurveKeepsCallOrder() {
        TimedExplainers.ManualClock clock = new TimedExplainers.ManualClock();
        long[] perImage = {0, 4 * MS, 1 * MS, 3 * MS, 2 * MS}; // call 0 is the warm-up
        TimedExplainers.Forward explainer = new TimedExplainers.Forward(clock, call -> perImage[call - 1]);
        RuntimeCost.Measurement m = measure(new RuntimeCost(1, 4, clock), explainer);
        assertArrayEquals(new double[] {0.004, 0.001, 0.003, 0.002}, m.secondsPerImage(), EXACT);
        assertEquals(0.0025, m.median(), EXACT, "mean of the middle two of an even count");
        assertEquals(0.001, m.min(), EXACT);
        assertEquals(0.004, m.max(), EXACT);
        MetricResult r = m.toResult();
        assertArrayEquals(new double[] {0.0025, 0.0025}, r.scores(), EXACT);
        assertArrayEquals(new double[] {0.004, 0.001, 0.003, 0.002}, r.curves()[1], EXACT);

        TimedExplainers.Forward odd = new TimedExplainers.Forward(clock, call -> perImage[call - 1]);
        assertEquals(0.003, measure(new RuntimeCost(1, 3, clock), odd).median(), EXACT);
    }

    @Test
    void callsSeeTheExplainedModelTheRunSeedAndAFreshScopeEachTime() {
        TimedExplainers.ManualClock clock = new TimedExplainers.ManualClock();
        TimedExplainers.Forward explainer = new TimedExplainers.Forward(clock, call -> MS);
        // The evaluation model is a stand-in surrogate; the method must run on the model it explained.
        evaluate(new RuntimeCost(1, 2, clock), explainer, other, 99L);
        List<Context> seen = explainer.contexts();
        assertEquals(3, seen.size());
        for (Context c : seen) {
            assertSame(model, c.model());
            assertEquals(99L, c.seed());
            assertFalse(c.manager().isOpen(), "the call's scope is closed after it");
            assertTrue(c.explainedBy().isEmpty(), "a method's context never names a method");
        }
        assertNotSame(seen.get(0).manager(), seen.get(1).manager());
    }

    @Test
    void withoutTheExplainedMethodItFailsAndSaysWhatIsMissing() {
        Heatmaps maps = Heatmaps.of(model.info().grid(), new float[2][model.info().numPatches()]);
        try (NDManager manager = model.manager().newSubManager()) {
            IllegalStateException e = assertThrows(IllegalStateException.class,
                    () -> new RuntimeCost().evaluate(new Context(model, SEED, manager), two, targets, maps));
            assertTrue(e.getMessage().contains("runtime"), e.getMessage());
            assertTrue(e.getMessage().contains("Context.withExplained(explainer, model)"), e.getMessage());
        }
    }

    @Test
    void mismatchedArgumentsFail() {
        Heatmaps one = Heatmaps.of(model.info().grid(), new float[1][model.info().numPatches()]);
        try (NDManager manager = model.manager().newSubManager()) {
            Context context = new Context(model, SEED, manager).withExplained(new TimedExplainers.Sleeping(0), model);
            assertThrows(IllegalArgumentException.class, () -> new RuntimeCost().evaluate(context, two, targets, one));
            assertThrows(IllegalArgumentException.class,
                    () -> new RuntimeCost().measure(context, List.of(), new int[0]));
        }
    }

    @Test
    void parametersAreValidatedAndDefaultsAreInTheSpec() {
        RuntimeCost defaults = RuntimeCost.create(Parameters.of("runtime", Map.of()));
        assertEquals(MetricSpec.of("runtime", "wall-clock", Map.of("warmup", "1", "repeats", "3")), defaults.spec());
        assertEquals(new RuntimeCost().spec(), defaults.spec());
        assertEquals(Direction.LOWER_IS_BETTER, defaults.info().direction());
        assertEquals(MetricSpec.of("runtime", "wall-clock", Map.of("warmup", "0", "repeats", "1")),
                RuntimeCost.create(Parameters.of("runtime", Map.of("warmup", "0", "repeats", "1"))).spec());
        Map<String, String> bad = Map.of("warmup", "-1", "repeats", "0", "preset", "cpu-time");
        bad.forEach((key, value) -> {
            ConfigurationException e = assertThrows(ConfigurationException.class,
                    () -> RuntimeCost.create(Parameters.of("runtime", Map.of(key, value))));
            assertTrue(e.getMessage().contains("'" + value + "'") && e.getMessage().contains(key), e.getMessage());
        });
        assertThrows(ConfigurationException.class,
                () -> RuntimeCost.create(Parameters.of("runtime", Map.of("repeats", "three"))));
        assertThrows(ConfigurationException.class,
                () -> RuntimeCost.create(Parameters.of("runtime", Map.of("repeats", "1001"))));
        ConfigurationException unknown = assertThrows(ConfigurationException.class,
                () -> RuntimeCost.create(Parameters.of("runtime", Map.of("repeat", "3"))));
        assertTrue(unknown.getMessage().contains("'repeat'"), unknown.getMessage());
        assertThrows(ConfigurationException.class, () -> new RuntimeCost(-1, 3));
        assertThrows(ConfigurationException.class, () -> new RuntimeCost(1, 0));
    }

    @Test
    void everythingButTheTimingsIsDeterministic() {
        RuntimeCost.Measurement a = measure(new RuntimeCost(1, 3), new TimedExplainers.Sleeping(1));
        RuntimeCost.Measurement b = measure(new RuntimeCost(1, 3), new TimedExplainers.Sleeping(1));
        assertEquals(a.device(), b.device());
        assertEquals("cpu()", a.device());
        assertEquals(2, a.batchSize());
        assertEquals(a.repeats(), b.repeats());
        assertEquals(a.warmup(), b.warmup());
        assertArrayEquals(a.toResult().curveX(), b.toResult().curveX(), 0.0);
        for (double v : a.secondsPerImage()) {
            assertTrue(Double.isFinite(v) && v > 0, "latency " + v);
        }
        // With the clock fixed, the timings are exact too, and the seed does not matter.
        TimedExplainers.ManualClock clock = new TimedExplainers.ManualClock();
        MetricResult first = evaluate(new RuntimeCost(1, 3, clock),
                new TimedExplainers.Forward(clock, call -> 3 * MS), model, SEED);
        MetricResult second = evaluate(new RuntimeCost(1, 3, clock),
                new TimedExplainers.Forward(clock, call -> 3 * MS), model, SEED + 1);
        assertEquals(first, second);
    }

    @Test
    void memoryFiguresOnLinux() {
        assumeTrue(Files.isReadable(Path.of("/proc/self/status")), "no /proc/self/status");
        RuntimeCost.Measurement m = measure(new RuntimeCost(1, 2), new TimedExplainers.Sleeping(1));
        assertTrue(m.heapPeakBytes().isPresent() && m.heapPeakBytes().getAsLong() > 0, m.summary());
        assertTrue(m.residentBeforeBytes().isPresent() && m.residentBeforeBytes().getAsLong() > 0, m.summary());
        assertTrue(m.residentPeakBytes().getAsLong() >= m.residentBeforeBytes().getAsLong(), m.summary());
        assertEquals(m.residentPeakBytes().getAsLong() - m.residentBeforeBytes().getAsLong(),
                m.residentGrowthBytes().getAsLong());
        assertTrue(m.summary().startsWith("cpu(): median "), m.summary());
        assertTrue(m.summary().contains("MiB"), m.summary());
    }

    @Test
    void procStatusIsParsedInBytesAndMissingFieldsAreUnavailable() {
        ResidentSet.Sample s = ResidentSet.parse(List.of("Name:\tjava", "VmPeak:\t 9999 kB", "VmHWM:\t    2048 kB",
                "VmRSS:\t    1024 kB", "Threads:\t12"));
        assertEquals(OptionalLong.of(1024L * 1024), s.residentBytes());
        assertEquals(OptionalLong.of(2048L * 1024), s.highWaterMarkBytes());
        assertEquals(ResidentSet.Sample.UNAVAILABLE, ResidentSet.parse(List.of("Name:\tjava")));
        assertEquals(OptionalLong.empty(), ResidentSet.parse(List.of("VmRSS:\t 12 MB")).residentBytes());
        assertEquals(OptionalLong.empty(), ResidentSet.parse(List.of("VmRSS:\t x kB")).residentBytes());
    }

    @Test
    void aMeasurementWithoutMemoryFiguresSaysUnavailable() {
        RuntimeCost.Measurement m = new RuntimeCost.Measurement("gpu(1)", 4, 0, new double[] {0.5, 0.25},
                OptionalLong.empty(), OptionalLong.empty(), OptionalLong.empty());
        assertEquals(0.375, m.median(), EXACT);
        assertEquals(1 / 0.375, m.imagesPerSecond(), 1e-12);
        assertEquals(OptionalLong.empty(), m.residentGrowthBytes());
        assertEquals("gpu(1): median 0.3750 s/image (0.2500 .. 0.5000 over 2 repeats, 0 warm-up, batch 4), "
                + "2.667 images/s, heap peak unavailable, resident peak unavailable (+unavailable)", m.summary());
        MetricResult r = m.toResult();
        assertEquals(4, r.scores().length);
        assertArrayEquals(new double[] {1, 2}, r.curveX(), 0.0);
        assertThrows(IllegalArgumentException.class, () -> new RuntimeCost.Measurement("cpu()", 1, 0, new double[0],
                OptionalLong.empty(), OptionalLong.empty(), OptionalLong.empty()));
    }
}
