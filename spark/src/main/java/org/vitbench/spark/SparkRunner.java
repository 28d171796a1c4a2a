package org.vitbench.spark;

import java.nio.file.Path;
import java.util.List;
import org.vitbench.runner.run.ClusterRunner;

/** {@code vitbench run --spark MASTER}, registered with {@link java.util.ServiceLoader}. */
public final class SparkRunner implements ClusterRunner {

    @Override
    public String engine() {
        return "spark";
    }

    @Override
    public List<Path> run(Request request) {
        return SparkRun.run(request);
    }
}
