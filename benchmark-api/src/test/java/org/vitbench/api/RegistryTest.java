package org.vitbench.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URL;
import java.net.URLClassLoader;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * Discovery through {@link java.util.ServiceLoader}. The service files live under
 * {@code registry-fixture/} (not on the plain test class path, so that other modules using this
 * test-jar never see these providers) and are reached through a class loader rooted there.
 */
class RegistryTest {

    /** A provider with id {@code alpha}. */
    public static class Alpha implements ExplainerProvider {
        @Override
        public ExplainerInfo info() {
            return new ExplainerInfo("alpha", "Alpha", Family.BASELINE, Set.of(), false, "test");
        }

        @Override
        public Explainer create(Parameters parameters) {
            throw new UnsupportedOperationException("the registry test never creates methods");
        }
    }

    /** Another provider that claims the same id. */
    public static class AlphaAgain extends Alpha {
    }

    /** A provider whose constructor throws. */
    public static class Throwing extends Alpha {
        public Throwing() {
            throw new IllegalStateException("no licence file");
        }
    }

    /** A provider whose id is not kebab-case. */
    public static class BadId extends Alpha {
        @Override
        public ExplainerInfo info() {
            return new ExplainerInfo("Bad Id", "Bad", Family.BASELINE, Set.of(), false, "test");
        }
    }

    private static ClassLoader fixture(String name) {
        URL root = RegistryTest.class.getResource("/registry-fixture/" + name + "/");
        return new URLClassLoader(new URL[] {root}, RegistryTest.class.getClassLoader());
    }

    @Test
    void providersOnTheClassPathAreFound() {
        Registry registry = Registry.load(fixture("single"));
        assertEquals(Set.of("alpha"), registry.explainers().keySet());
        assertEquals(Alpha.class, registry.explainer("alpha").getClass());
    }

    @Test
    void aDuplicateIdNamesBothClasses() {
        VitbenchException e = assertThrows(VitbenchException.class, () -> Registry.load(fixture("duplicate")));
        assertTrue(e.getMessage().contains("duplicate explainer id 'alpha'"), e.getMessage());
        assertTrue(e.getMessage().contains(Alpha.class.getName() + " (")
                && e.getMessage().contains(AlphaAgain.class.getName() + " ("), e.getMessage());
    }

    @Test
    void brokenPluginsAreNamedInOneMessage() {
        VitbenchException missing = assertThrows(VitbenchException.class, () -> Registry.load(fixture("missing")));
        assertTrue(missing.getMessage().startsWith("cannot load the explainer plug-ins")
                && missing.getMessage().contains("NoSuchProvider"), missing.getMessage());
        VitbenchException throwing = assertThrows(VitbenchException.class, () -> Registry.load(fixture("throwing")));
        assertTrue(throwing.getMessage().contains("no licence file"), throwing.getMessage());
        VitbenchException badId = assertThrows(VitbenchException.class, () -> Registry.load(fixture("bad-id")));
        assertTrue(badId.getMessage().contains(BadId.class.getName()) && badId.getMessage().contains("kebab-case"),
                badId.getMessage());
        VitbenchException noInfo = assertThrows(VitbenchException.class, () -> Registry.of(List.of(new Alpha() {
            @Override
            public ExplainerInfo info() {
                return null;
            }
        }), List.of(), List.of(), List.of()));
        assertTrue(noInfo.getMessage().contains("has no valid info()"), noInfo.getMessage());
    }

    @Test
    void anUnknownIdListsTheKnownOnes() {
        Registry registry = Registry.of(List.of(new Alpha()), List.of(), List.of(), List.of());
        ConfigurationException e = assertThrows(ConfigurationException.class, () -> registry.explainer("alhpa"));
        assertEquals("unknown method 'alhpa'; known: alpha", e.getMessage());
        ConfigurationException none = assertThrows(ConfigurationException.class, () -> registry.metric("deletion"));
        assertEquals("unknown metric 'deletion'; known: none installed", none.getMessage());
    }
}
