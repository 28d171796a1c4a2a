package org.vitbench.api;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;

/**
 * Seeds derived from (run seed, sample id, component id), so that every random draw is independent
 * of batch size, thread count, shard and resume point (DESIGN decision 5).
 */
public final class Seeds {

    private Seeds() {
    }

    /** The seed of one unit of work: the first 8 bytes of SHA-256 over its three keys. */
    public static long of(long runSeed, String sampleId, String componentId) {
        try {
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            sha.update(ByteBuffer.allocate(Long.BYTES).putLong(runSeed).array());
            sha.update((byte) 0);
            sha.update(sampleId.getBytes(StandardCharsets.UTF_8));
            sha.update((byte) 0);
            sha.update(componentId.getBytes(StandardCharsets.UTF_8));
            return ByteBuffer.wrap(sha.digest()).getLong();
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is required by the Java platform", e);
        }
    }
}
