package org.vitbench.spark;

import java.io.Serializable;
import java.time.Duration;

/**
 * One Spark task: shard {@code index} of {@code count} of a run, as it travels to an executor.
 *
 * @param config the run's config as {@code RunConfig.canonicalYaml()} writes it
 * @param batchSize samples per batch
 * @param dir the task's output directory (absolute, on storage every executor can write), or {@code null}
 *     when the part lives at {@code remote}
 * @param remote the part's directory as a Hadoop file-system URI, worked on through a local copy; or {@code null}
 * @param index 1-based shard number
 * @param count number of shards
 * @param heatmapCache the heatmap cache directory the user gave, or {@code null} for the task's own
 * @param gallerySamples samples of this shard in the report's gallery
 * @param memoryBytes the memory each worker may use, or 0 for the default activation budget
 * @param timeLimit the time a plug-in call may take per sample
 */
record ShardTask(String config, int batchSize, String dir, String remote, int index, int count, String heatmapCache, int gallerySamples,
        long memoryBytes, Duration timeLimit) implements Serializable {

    /** The directory name of shard {@code index} of {@code count}, e.g. {@code part-2-of-8}. */
    static String dirName(int index, int count) {
        return "part-" + index + "-of-" + count;
    }
}
