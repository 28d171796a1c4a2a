package org.vitbench.runner.run;

import org.vitbench.api.ConfigurationException;

/**
 * Which part of a run's samples this process evaluates: shard {@code index} of {@code count} holds
 * the samples whose position {@code k} (0-based, among the run's first {@code limit}) has
 * {@code k mod count == index - 1}, so shards are deterministic, balanced to one sample, and
 * interleaved (each shard sees easy and hard parts of the data alike). Results are seeded per
 * sample, so the shards' records are exactly those of the whole run and {@code vitbench merge}
 * combines them; the shard is not part of the config hash.
 *
 * @param index 1-based shard number
 * @param count number of shards, at least 1
 */
public record Shard(int index, int count) {

    /** The whole run in one process. */
    public static final Shard WHOLE = new Shard(1, 1);

    public Shard {
        if (count < 1 || index < 1 || index > count) {
            throw new ConfigurationException("invalid shard " + index + "/" + count
                    + "; allowed: i/n with 1 <= i <= n, for example 2/4");
        }
    }

    /** Parses {@code i/n}; {@code where} names the option or key for the error message. */
    public static Shard parse(String text, String where) {
        String[] parts = text.trim().split("/", -1);
        try {
            if (parts.length == 2) {
                return new Shard(Integer.parseInt(parts[0].trim()), Integer.parseInt(parts[1].trim()));
            }
        } catch (NumberFormatException e) {
            // reported below with the allowed form
        }
        throw new ConfigurationException("invalid value '" + text + "' for " + where
                + "; allowed: i/n with 1 <= i <= n, for example 2/4");
    }

    /** Whether the sample at position {@code k} belongs to this shard. */
    boolean contains(int k) {
        return k % count == index - 1;
    }

    public boolean whole() {
        return count == 1;
    }

    public String format() {
        return index + "/" + count;
    }
}
