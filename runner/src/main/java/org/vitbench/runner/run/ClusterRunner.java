package org.vitbench.runner.run;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.ServiceLoader;
import org.vitbench.api.ConfigurationException;

/**
 * Runs a benchmark on a cluster engine instead of in this process: {@code vitbench run --spark
 * MASTER}. The engine's module (vitbench-spark) registers its implementation with
 * {@link ServiceLoader}; the plain runner does not depend on it.
 */
public interface ClusterRunner {

    /** The engine, as {@code run} names it: {@code spark}. */
    String engine();

    /** Runs {@code request} to the end, writes the reports, and returns the report files. */
    List<Path> run(Request request);

    /**
     * One run for a cluster.
     *
     * @param config the run as the user configured it (methods and metrics not yet resolved)
     * @param master where the engine runs, e.g. {@code local[2]}, {@code yarn}, {@code spark://host:7077}
     * @param tasks how many parts the samples are split into, or {@code null} for the engine's default
     * @param heatmaps the heatmap cache and gallery size
     * @param memory the memory of each worker, or {@code null}
     * @param timeLimit time a plug-in call may take per sample
     * @param quiet no progress output
     * @param outUri the output directory as a file-system URI ({@code hdfs://...}) when {@code --out} gave
     *     one, else {@code null} and the run's own output directory
     */
    record Request(RunConfig config, String master, Integer tasks, HeatmapOutputs heatmaps, MemoryBudget memory,
            Duration timeLimit, boolean quiet, PrintWriter out, PrintWriter err, String outUri) {
    }

    /**
     * Whether an output directory as typed is a file-system URI ({@code hdfs://...},
     * {@code file:///...}), which a cluster runner writes and a {@link java.nio.file.Path} would not keep.
     */
    static boolean isUri(String out) {
        return out != null && out.matches("[A-Za-z][A-Za-z0-9+.-]+://.*");
    }

    /** The registered runner of {@code engine}; fails naming what to put on the class path when there is none. */
    static ClusterRunner find(String engine) {
        for (ClusterRunner r : ServiceLoader.load(ClusterRunner.class)) {
            if (r.engine().equals(engine)) {
                return r;
            }
        }
        throw new ConfigurationException("the " + engine + " runner is not on the class path; start vitbench with the "
                + "launcher (./vitbench run --" + engine + " ..., which adds the vitbench-" + engine + " module), or add "
                + engine + "/target/vitbench-" + engine + ".jar and its lib/ directory to the class path");
    }
}
