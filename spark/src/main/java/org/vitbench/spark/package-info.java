/**
 * Runs vitbench on Apache Spark: {@code vitbench run --spark MASTER}. The driver splits the
 * samples into tasks ({@link org.vitbench.runner.run.Shard}s), each task runs the ordinary runner
 * on its shard into {@code OUT/shards/part-I-of-N}, and the driver merges the parts into {@code OUT}
 * and writes the reports, as {@code vitbench merge} does for hand-run shards.
 */
package org.vitbench.spark;
