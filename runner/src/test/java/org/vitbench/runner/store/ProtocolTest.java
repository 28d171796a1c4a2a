package org.vitbench.runner.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.vitbench.models.TinyVit;
import org.vitbench.models.VisionTransformer;
import org.vitbench.runner.cli.Fakes;

/** What the protocol hash covers: the config without its methods, and the models' weights when known. */
class ProtocolTest {

    private static final String CONFIG = """
            model: "checkpoint:path=runs/vit"
            dataset: "fashion-mnist-embedded"
            limit: 16
            methods:
              - "attention-rollout"
              - "kernel-shap:budget=64"
            metrics:
              - "deletion:preset=vit-shapley"
            seed: 0
            """;

    private static final String PROTOCOL = """
            model: "checkpoint:path=runs/vit"
            dataset: "fashion-mnist-embedded"
            limit: 16
            metrics:
              - "deletion:preset=vit-shapley"
            seed: 0
            """;

    private static RunManifest manifest(String config, Map<String, String> env) {
        return new RunManifest("0123456789abcdef", config, 0, Map.of(), List.of(), env);
    }

    @Test
    void theProtocolIsTheConfigWithoutItsMethods() {
        assertEquals(PROTOCOL, Protocol.of(CONFIG));
        assertEquals(PROTOCOL, Protocol.of(manifest(CONFIG, Map.of("batch size", "8", "host", "a", "shard", "1/2"))),
                "batch size, host and shard live in the environment and stay out");
        assertEquals(Protocol.hash(PROTOCOL), Protocol.hash(Protocol.of(CONFIG.replace("kernel-shap:budget=64", "rise"))));
    }

    @Test
    void recordedFingerprintsJoinTheProtocolOnce() {
        Map<String, String> env = new LinkedHashMap<>();
        env.put(Protocol.MODEL_FINGERPRINT, "00000000000000aa");
        env.put(Protocol.EVALUATION_MODEL_FINGERPRINT, "00000000000000bb");
        String protocol = Protocol.of(manifest(CONFIG, env));
        assertEquals(PROTOCOL + "model-fingerprint: \"00000000000000aa\"\n"
                + "evaluation-model-fingerprint: \"00000000000000bb\"\n", protocol);
        // a leaderboard's manifest holds the protocol (with its fingerprints) and a method list as its config
        assertEquals(protocol, Protocol.of(manifest(protocol + "methods:\n  - \"rise\"\n", env)));
        assertNotEquals(Protocol.hash(protocol), Protocol.hash(PROTOCOL));
    }

    @Test
    void fingerprintsComeFromTheWeights() throws Exception {
        try (VisionTransformer a = TinyVit.create(1); VisionTransformer b = TinyVit.create(2)) {
            Map<String, String> both = new LinkedHashMap<>();
            both.put(Protocol.MODEL_FINGERPRINT, a.fingerprint());
            both.put(Protocol.EVALUATION_MODEL_FINGERPRINT, b.fingerprint());
            assertEquals(both, Protocol.fingerprints(a, b));
            assertEquals(Map.of(Protocol.MODEL_FINGERPRINT, a.fingerprint()), Protocol.fingerprints(a, null));
            assertEquals(Map.of(), Protocol.fingerprints(new Fakes.FakeModel(), null), "a model without weights has none");
            assertNotEquals(a.fingerprint(), b.fingerprint());
        }
    }
}
