package org.vitbench.runner.store;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.vitbench.api.Hashes;
import org.vitbench.api.ModelWeights;
import org.vitbench.api.VitModel;

/**
 * A run's evaluation protocol: its canonical config without the method list (model, evaluation
 * model, dataset, sample limit, metric specs, seed), and the weight fingerprints of the model and
 * the evaluation model when the run recorded them, i.e. everything that decides how any method is
 * scored. Runs under one protocol hash can share a leaderboard whatever methods each ran. Batch
 * size, output directory and shard are not part of it (they do not change a score); a device other
 * than cpu is, as a parameter of the model specs (floating-point results may differ by device).
 */
public final class Protocol {

    /** The run manifest's environment entry with the model's weight fingerprint. */
    public static final String MODEL_FINGERPRINT = "model fingerprint";
    /** The run manifest's environment entry with the evaluation model's weight fingerprint. */
    static final String EVALUATION_MODEL_FINGERPRINT = "evaluation model fingerprint";

    /** Fingerprint entries of the environment and the protocol keys they become, in protocol order. */
    private static final Map<String, String> FINGERPRINT_KEYS = Map.of(MODEL_FINGERPRINT, "model-fingerprint",
            EVALUATION_MODEL_FINGERPRINT, "evaluation-model-fingerprint");

    private Protocol() {
    }

    /**
     * The protocol of a run: {@link #of(String)} of its config, then the fingerprints its
     * environment records (a checkpoint path names different weights on different machines; the
     * fingerprint tells). A config that already carries them (a leaderboard's) is taken as it is.
     */
    public static String of(RunManifest manifest) {
        StringBuilder sb = new StringBuilder(of(manifest.config()));
        Map<String, String> sections = sections(manifest.config());
        for (String entry : List.of(MODEL_FINGERPRINT, EVALUATION_MODEL_FINGERPRINT)) {
            String key = FINGERPRINT_KEYS.get(entry);
            String value = manifest.environment().get(entry);
            if (value != null && !sections.containsKey(key)) {
                sb.append(key).append(": \"").append(value).append("\"\n");
            }
        }
        return sb.toString();
    }

    /**
     * The environment entries with the weight fingerprints of the model and of the evaluation model
     * (null when the run has none), for the models that offer their weights ({@link ModelWeights});
     * empty for others, whose protocol is then the config alone.
     */
    public static Map<String, String> fingerprints(VitModel model, VitModel evaluationModel) {
        Map<String, String> out = new LinkedHashMap<>();
        fingerprint(model).ifPresent(f -> out.put(MODEL_FINGERPRINT, f));
        fingerprint(evaluationModel).ifPresent(f -> out.put(EVALUATION_MODEL_FINGERPRINT, f));
        return out;
    }

    /** The model's weight fingerprint when it offers the {@link ModelWeights} capability. */
    public static java.util.Optional<String> fingerprint(VitModel model) {
        return model == null ? java.util.Optional.empty()
                : model.capability(ModelWeights.class).map(ModelWeights::fingerprint);
    }

    /** The protocol of a canonical config ({@code RunConfig.canonicalYaml()}): all but its methods. */
    static String of(String canonicalConfig) {
        StringBuilder sb = new StringBuilder();
        sections(canonicalConfig).forEach((key, text) -> {
            if (!key.equals("methods")) {
                sb.append(text);
            }
        });
        return sb.toString();
    }

    /** The first 16 hex digits of SHA-256 over the protocol. */
    public static String hash(String protocol) {
        return Hashes.shortHash(protocol);
    }

    /** The top-level keys of canonical YAML with their text (the key's line and its indented lines). */
    public static Map<String, String> sections(String yaml) {
        Map<String, String> out = new LinkedHashMap<>();
        String key = null;
        StringBuilder text = new StringBuilder();
        for (String line : yaml.split("\n")) {
            if (line.isEmpty() || line.startsWith("#")) {
                continue;
            }
            if (!line.startsWith(" ")) {
                if (key != null) {
                    out.put(key, text.toString());
                }
                key = line.substring(0, Math.max(0, line.indexOf(':')));
                text.setLength(0);
            }
            text.append(line).append('\n');
        }
        if (key != null) {
            out.put(key, text.toString());
        }
        return out;
    }

    /** The protocol keys whose values differ, e.g. {@code 'limit' (100 vs 16)}. */
    public static String differences(String a, String b) {
        Map<String, String> x = sections(a);
        Map<String, String> y = sections(b);
        Set<String> keys = new LinkedHashSet<>(x.keySet());
        keys.addAll(y.keySet());
        List<String> out = new ArrayList<>();
        for (String k : keys) {
            String u = x.getOrDefault(k, "(absent)");
            String v = y.getOrDefault(k, "(absent)");
            if (!u.equals(v)) {
                out.add("'" + k + "' (" + oneLine(u, k) + " vs " + oneLine(v, k) + ")");
            }
        }
        return String.join(", ", out);
    }

    private static String oneLine(String section, String key) {
        String s = section.startsWith(key + ":") ? section.substring(key.length() + 1) : section;
        return s.replaceAll("\\s*\\n\\s*-?\\s*", " ").trim();
    }
}
