package org.vitbench.spark;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.URI;
import java.nio.file.Path;
import java.util.function.ObjIntConsumer;
import org.apache.spark.TaskContext;
import org.apache.spark.api.java.function.VoidFunction;
import org.apache.spark.util.LongAccumulator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.vitbench.api.Hashes;
import org.vitbench.runner.run.Benchmark;
import org.vitbench.runner.run.ConsoleProgress;
import org.vitbench.runner.run.HeatmapOutputs;
import org.vitbench.runner.run.MemoryBudget;
import org.vitbench.runner.run.RunConfig;
import org.vitbench.runner.run.Shard;

/**
 * What an executor does with a {@link ShardTask}: the ordinary runner on the task's shard, into
 * the task's directory, with the executor's shared models and without reports. A retried or
 * rerun task resumes from the records its directory holds, so each unit is computed and stored
 * once; a failing method or metric becomes failed cells, as in a local run, and does not fail the
 * task.
 */
final class ShardWork implements VoidFunction<ShardTask> {

    private static final long serialVersionUID = 1L;
    private static final Logger LOG = LoggerFactory.getLogger(ShardWork.class);

    /**
     * Called with the task and the records of each batch right after they are stored; the
     * fault-tolerance tests count stored units with it and throw from it to fail an attempt midway.
     */
    static volatile ObjIntConsumer<ShardTask> afterBatch = (t, n) -> { };

    private final LongAccumulator stored;

    /** @param stored counts the stored units, shown as a named accumulator in Spark's UI */
    ShardWork(LongAccumulator stored) {
        this.stored = stored;
    }

    @Override
    public void call(ShardTask t) {
        Worker.configure(TaskContext.get());
        Worker worker = Worker.INSTANCE;
        URI remote = t.remote() == null ? null : URI.create(t.remote());
        Path dir = remote == null ? Path.of(t.dir()) : localCopy(remote);
        if (remote != null) {
            Remote.download(remote, dir); // resume from what the part holds
        }
        RunConfig config = RunConfig.fromCanonicalYaml(t.config(), t.batchSize(), dir);
        StringWriter text = new StringWriter();
        PrintWriter out = new PrintWriter(text);
        new Benchmark(worker.registry(), config, new Shard(t.index(), t.count()),
                new HeatmapOutputs(t.heatmapCache() == null ? null : Path.of(t.heatmapCache()), t.gallerySamples()),
                ConsoleProgress.Mode.OFF, out, out, t.memoryBytes() > 0 ? new MemoryBudget(t.memoryBytes()) : null)
                .withTimeLimit(t.timeLimit())
                .withResources(worker)
                .withoutReports()
                .onBatchStored(n -> {
                    if (remote != null) {
                        Remote.upload(dir, remote, f -> f.getNameCount() == 1 && !hidden(f));
                    }
                    stored.add(n);
                    afterBatch.accept(t, n);
                })
                .run();
        if (remote != null) {
            // the gallery too; the heatmap cache stays with the executor
            Remote.upload(dir, remote, f -> !f.startsWith(HeatmapOutputs.DEFAULT_DIR) && !hidden(f));
            try {
                Remote.deleteLocal(dir);
            } catch (java.io.IOException e) {
                LOG.warn("cannot remove the local copy {} of a finished part: {}", dir, e.getMessage());
            }
        }
        out.flush();
        LOG.info("task {} of {}: {}", t.index(), t.count(), text.toString().strip());
    }

    /** Where an executor keeps its copy of a remote part. */
    static Path localCopy(URI remote) {
        return Path.of(System.getProperty("java.io.tmpdir"), "vitbench-spark-parts", Hashes.shortHash(remote.toString()));
    }

    private static boolean hidden(Path relative) {
        return relative.getFileName().toString().startsWith(".");
    }
}
