package org.vitbench.api;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * SHA-256, the one hash of vitbench: config hashes, metric spec hashes, protocol hashes, weight
 * fingerprints, cache keys and seeds all derive from it. Short forms are the first 16 hex digits
 * (64 bits), enough to tell configs apart and short enough to read.
 */
public final class Hashes {

    private Hashes() {
    }

    /** A fresh SHA-256 digest. */
    public static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is required by the Java platform", e);
        }
    }

    /** The first 16 hex digits of the SHA-256 of {@code text} in UTF-8. */
    public static String shortHash(String text) {
        return shortHex(sha256().digest(text.getBytes(StandardCharsets.UTF_8)));
    }

    /** The first 16 hex digits (8 bytes) of a digest. */
    public static String shortHex(byte[] digest) {
        return HexFormat.of().formatHex(digest, 0, 8);
    }
}
