package org.vitbench.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import org.junit.jupiter.api.Test;

class MetricSpecTest {

    @Test
    void theCanonicalFormParsesBackToTheSameSpec() {
        MetricSpec spec = MetricSpec.of("deletion", "vit-shapley", Map.of("removal", "attention-mask", "steps", "14"));
        assertEquals("deletion@vit-shapley{removal=attention-mask;steps=14;}v" + MetricSpec.PROTOCOL_VERSION,
                spec.canonical());
        assertEquals(spec, MetricSpec.parse(spec.canonical()));
        assertEquals(spec.hash(), MetricSpec.parse(spec.canonical()).hash());
        MetricSpec bare = MetricSpec.of("runtime", "default", Map.of());
        assertEquals(bare, MetricSpec.parse(bare.canonical()));
    }

    @Test
    void textThatIsNotACanonicalFormIsRefused() {
        for (String bad : new String[] {"deletion", "deletion@default", "deletion@default{}", "@default{}v1",
                "deletion@default{}v999", "deletion@default{b=1;a=2;}v1", "deletion@default{a;}v1"}) {
            ConfigurationException e = assertThrows(ConfigurationException.class, () -> MetricSpec.parse(bad), bad);
            assertTrue(e.getMessage().contains("'" + bad + "'"), e.getMessage());
        }
    }
}
