package org.vitbench.spark;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.util.function.ObjIntConsumer;
import org.apache.spark.TaskContext;
import org.apache.spark.api.java.function.VoidFunction;
import org.apache.spark.util.LongAccumulator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
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
        RunConfig config = RunConfig.fromCanonicalYaml(t.config(), t.batchSize(), Path.of(t.dir()));
        StringWriter text = new StringWriter();
        PrintWriter out = new PrintWriter(text);
        new Benchmark(worker.registry(), config, new Shard(t.index(), t.count()),
                new HeatmapOutputs(t.heatmapCache() == null ? null : Path.of(t.heatmapCache()), t.gallerySamples()),
                ConsoleProgress.Mode.OFF, out, out, t.memoryBytes() > 0 ? new MemoryBudget(t.memoryBytes()) : null)
                .withTimeLimit(t.timeLimit())
                .withResources(worker)
                .withoutReports()
                .onBatchStored(n -> {
                    stored.add(n);
                    afterBatch.accept(t, n);
                })
                .run();
        out.flush();
        LOG.info("task {} of {}: {}", t.index(), t.count(), text.toString().strip());
    }
}
