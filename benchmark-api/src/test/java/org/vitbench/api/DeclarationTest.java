package org.vitbench.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** One declaration gives the key check, canonical values, presets, conditions and the spec. */
class DeclarationTest {

    private enum Mode { PIXEL, TOKEN }

    private static final Parameter<Mode> MODE = Parameter.oneOf("mode", Mode.PIXEL, List.of(Mode.values()),
            m -> m.name().toLowerCase(java.util.Locale.ROOT), "how");
    private static final Parameter<Integer> STEPS = Parameter.integer("steps", 50, 1, 1000, "points");
    private static final Parameter<Double> SIGMA = Parameter.number("sigma", 0.5, 0, 10, "noise");
    private static final Parameter<String> BASELINE = Parameter.choice("baseline", "mean", List.of("mean", "zero"),
            "fill").onlyWhen("mode", "pixel");
    private static final Parameter<Integer> BATCH = Parameter.integer("batchSize", 8, 1, 64, "memory only")
            .outsideSpec();
    private static final Parameter<Boolean> LATE = Parameter.flag("late", false, "added later").omittedAtDefault();

    private static final Declaration METHOD = Declaration.of("m",
            List.of(MODE, STEPS, SIGMA, BASELINE, BATCH, LATE)).preset("paper", Map.of("steps", "200", "mode", "token"));

    @Test
    void valuesAreWrittenCanonicallySoSpellingsShareOneKey() {
        Arguments a = METHOD.resolve(Map.of("steps", "0050", "sigma", ".50"));
        Arguments b = METHOD.resolve(Map.of());
        assertEquals(b.spec(), a.spec());
        assertEquals(Map.of("mode", "pixel", "steps", "50", "sigma", "0.5", "baseline", "mean"), a.spec(),
                "batchSize stays out of the spec, late is left out at its default");
        assertEquals(50, a.get(STEPS));
        assertEquals(8, a.get(BATCH), "typed values hold every applicable parameter");
        assertEquals("true", METHOD.resolve(Map.of("late", "TRUE")).spec().get("late"));
    }

    @Test
    void aPresetFillsInAndGivenValuesWin() {
        Arguments paper = METHOD.resolve(Map.of("preset", "paper"));
        assertEquals(Map.of("mode", "token", "steps", "200", "sigma", "0.5"), paper.spec(),
                "baseline does not apply with mode=token");
        assertNull(paper.get(BASELINE));
        assertEquals("paper", paper.preset());
        assertNull(METHOD.resolve(Map.of()).preset(), "no preset given and none is a default");
        assertEquals("300", METHOD.resolve(Map.of("preset", "paper", "steps", "300")).spec().get("steps"));
        ConfigurationException unknown = assertThrows(ConfigurationException.class,
                () -> METHOD.resolve(Map.of("preset", "other")));
        assertTrue(unknown.getMessage().contains("paper"), unknown.getMessage());
    }

    @Test
    void aParameterOutsideItsConditionIsRefusedNamingTheCondition() {
        ConfigurationException e = assertThrows(ConfigurationException.class,
                () -> METHOD.resolve(Map.of("mode", "token", "baseline", "zero")));
        assertEquals("parameter 'baseline' of m applies to mode=pixel only, not to mode=token", e.getMessage());
    }

    @Test
    void unknownKeysAndBadValuesNameWhatIsAllowed() {
        ConfigurationException key = assertThrows(ConfigurationException.class,
                () -> METHOD.resolve(Map.of("step", "3")));
        assertEquals("unknown parameter 'step' for m; allowed: baseline, batchSize, late, mode, preset, sigma, steps",
                key.getMessage());
        ConfigurationException range = assertThrows(ConfigurationException.class,
                () -> METHOD.resolve(Map.of("steps", "0")));
        assertEquals("invalid value '0' for parameter 'steps' of m; allowed: an integer from 1 to 1000",
                range.getMessage());
        ConfigurationException choice = assertThrows(ConfigurationException.class,
                () -> METHOD.resolve(Map.of("mode", "both")));
        assertEquals("invalid value 'both' for parameter 'mode' of m; allowed: one of pixel, token",
                choice.getMessage());
    }

    @Test
    void aMetricRecordsItsDefaultPreset() {
        Declaration metric = Declaration.of("x", List.of(STEPS)).defaultPreset("ref").preset("fast",
                Map.of("steps", "5"));
        assertEquals("ref", metric.resolve(Map.of()).preset());
        Arguments fast = metric.resolve(Map.of("preset", "fast"));
        assertEquals(new MetricSpec("x", "fast", new java.util.TreeMap<>(Map.of("steps", "5"))), fast.metricSpec());
    }

    @Test
    void nestedParametersGoToTheSelectedDeclarationAndWithheldOnesAreRefused() {
        Parameter<String> base = Parameter.choice("base", "m", List.of("m"), "the wrapped method");
        Declaration wrapper = Declaration.of("w", List.of(base, SIGMA)).nested(new Declaration.Nested("base.", base,
                id -> METHOD, Map.of("batchSize", "the wrapper batches itself")));
        Arguments a = wrapper.resolve(Map.of("base.steps", "7"));
        assertEquals("7", a.spec().get("base.steps"));
        assertEquals(7, a.nested("base.").get(STEPS));
        ConfigurationException e = assertThrows(ConfigurationException.class,
                () -> wrapper.resolve(Map.of("base.batchSize", "2")));
        assertEquals("parameter 'base.batchSize' of w is not used: the wrapper batches itself", e.getMessage());
        ConfigurationException inner = assertThrows(ConfigurationException.class,
                () -> wrapper.resolve(Map.of("base.steps", "x")));
        assertTrue(inner.getMessage().contains("'steps' of w base m"), inner.getMessage());
    }

    @Test
    void aDeclarationThatContradictsItselfFailsWhenTheClassLoads() {
        assertThrows(IllegalArgumentException.class, () -> Declaration.of("d", List.of(STEPS, STEPS)));
        assertThrows(IllegalArgumentException.class, () -> Declaration.of("d", List.of(BASELINE)),
                "a condition on a parameter declared later");
        assertThrows(IllegalArgumentException.class,
                () -> Declaration.of("d", List.of(STEPS)).preset("p", Map.of("sigma", "1")));
    }
}
