package org.vitbench.runner;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A run's evaluation protocol: its canonical config without the method list (model, evaluation
 * model, dataset, sample limit, metric specs, seed), i.e. everything that decides how any method is
 * scored. Runs under one protocol hash can share a leaderboard whatever methods each ran.
 */
final class Protocol {

    private Protocol() {
    }

    /** The protocol of a canonical config ({@link RunConfig#canonicalYaml()}). */
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
    static String hash(String protocol) {
        try {
            byte[] d = MessageDigest.getInstance("SHA-256").digest(protocol.getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(d, 0, 8);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is required by the Java platform", e);
        }
    }

    /** The top-level keys of canonical YAML with their text (the key's line and its indented lines). */
    static Map<String, String> sections(String yaml) {
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
}
