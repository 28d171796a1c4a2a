package org.vitbench.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class ParametersTest {

    @Test
    void parsesAMethodSpec() {
        String[] id = new String[1];
        Parameters p = Parameters.parseSpec("kernel-shap:budget=2048, paired=true", id);
        assertEquals("kernel-shap", id[0]);
        assertEquals(2048, p.getInt("budget", 1, 1, 1 << 20));
        assertEquals(true, p.getBoolean("paired", false));
        assertEquals(0.5, p.getDouble("missing", 0.5, 0, 1));
    }

    @Test
    void commasEqualsAndBackslashesInValuesRoundTrip() {
        Map<String, String> values = Map.of("dir", "/data/a,b=c", "path", "x\\y", "plain", "2048");
        String text = Parameters.formatSpec("image-folder", values);
        assertEquals("image-folder:dir=/data/a\\,b\\=c,path=x\\\\y,plain=2048", text);
        String[] id = new String[1];
        assertEquals(values, Parameters.parseSpec(text, id).asMap());
        assertEquals("image-folder", id[0]);
        assertNotEquals(Parameters.formatSpec("m", Map.of("dir", "x,interpolation=bilinear")),
                Parameters.formatSpec("m", Map.of("dir", "x", "interpolation", "bilinear")), "no two sets read alike");
    }

    @Test
    void errorsNameTheOwnerKeyValueAndWhatIsAllowed() {
        Parameters p = Parameters.of("rise", Map.of("masks", "lots", "shift", "2", "p", "1.5", "fusion", "avg"));
        assertEquals("invalid value 'lots' for parameter 'masks' of rise; allowed: an integer from 1 to 100000",
                assertThrows(ConfigurationException.class, () -> p.getInt("masks", 1, 1, 100000)).getMessage());
        assertEquals("invalid value '1.5' for parameter 'p' of rise; allowed: a number from 0.0 to 1.0",
                assertThrows(ConfigurationException.class, () -> p.getDouble("p", 0.5, 0, 1)).getMessage());
        assertEquals("invalid value 'avg' for parameter 'fusion' of rise; allowed: one of max, mean",
                assertThrows(ConfigurationException.class,
                        () -> p.getChoice("fusion", "mean", Set.of("mean", "max"))).getMessage());
        assertEquals("unknown parameter 'fusion' for rise; allowed: masks, p, shift",
                assertThrows(ConfigurationException.class,
                        () -> p.requireOnly(Set.of("shift", "masks", "p"))).getMessage());
    }

    @Test
    void aPairWithoutEqualsSignIsRejected() {
        ConfigurationException e = assertThrows(ConfigurationException.class,
                () -> Parameters.parseSpec("random:seed", new String[1]));
        assertEquals("parameter 'seed' in 'random:seed' is not key=value; write for example random:key=value (a "
                + "backslash before a comma or '=' keeps it in the value)", e.getMessage());
    }

    @Test
    void specHashesDependOnEveryParameterButNotOnTheirOrder() {
        MetricSpec a = MetricSpec.of("deletion", "vit-shapley", Map.of("removal", "attention-mask", "x", "1"));
        MetricSpec b = MetricSpec.of("deletion", "vit-shapley", Map.of("x", "1", "removal", "attention-mask"));
        MetricSpec c = MetricSpec.of("deletion", "vit-shapley", Map.of("removal", "token-drop", "x", "1"));
        assertEquals("deletion@vit-shapley{removal=attention-mask;x=1;}v1", a.canonical());
        assertEquals(a.hash(), b.hash());
        assertNotEquals(a.hash(), c.hash());
        assertEquals(16, a.hash().length());
    }

    @Test
    void seedsDependOnEachKeyAndOnlyOnThem() {
        long s = Seeds.of(0, "fashion-mnist/test/3", "random");
        assertEquals(s, Seeds.of(0, "fashion-mnist/test/3", "random"));
        assertNotEquals(s, Seeds.of(1, "fashion-mnist/test/3", "random"));
        assertNotEquals(s, Seeds.of(0, "fashion-mnist/test/4", "random"));
        assertNotEquals(s, Seeds.of(0, "fashion-mnist/test/3", "rise"));
        // The separator keeps ("ab", "c") and ("a", "bc") apart.
        assertNotEquals(Seeds.of(0, "ab", "c"), Seeds.of(0, "a", "bc"));
    }

    @Test
    void removalIdsRoundTrip() {
        for (String id : new String[] {"attention-mask", "token-drop", "pixel-zero", "pixel-mean", "pixel-blur"}) {
            assertEquals(id, Removal.parse(id).id());
        }
        assertEquals("unknown removal 'zero'; allowed: attention-mask, token-drop, pixel-zero, pixel-mean, pixel-blur",
                assertThrows(ConfigurationException.class, () -> Removal.parse("zero")).getMessage());
    }
}
