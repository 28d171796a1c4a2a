package org.vitbench.api;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;

/**
 * Seeds derived from (run seed, sample id, component id), so that every random draw is independent
 * of batch size, thread count, shard and resume point (DESIGN decision 5).
 */
public final class Seeds {

    private Seeds() {
    }

    /** The seed of one unit of work: the first 8 bytes of SHA-256 over its three keys. */
    public static long of(long runSeed, String sampleId, String componentId) {
        MessageDigest sha = Hashes.sha256();
        sha.update(ByteBuffer.allocate(Long.BYTES).putLong(runSeed).array());
        sha.update((byte) 0);
        sha.update(sampleId.getBytes(StandardCharsets.UTF_8));
        sha.update((byte) 0);
        sha.update(componentId.getBytes(StandardCharsets.UTF_8));
        return ByteBuffer.wrap(sha.digest()).getLong();
    }
}
