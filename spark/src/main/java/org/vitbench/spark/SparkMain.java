package org.vitbench.spark;

import java.util.ArrayList;
import java.util.List;
import org.vitbench.runner.cli.Main;

/**
 * The main class for {@code spark-submit}: {@code vitbench run} with the master spark-submit
 * chose, e.g. {@code spark-submit --master yarn --class org.vitbench.spark.SparkMain
 * vitbench-spark-cluster.jar --config run.yaml --out /shared/runs/x}. Every {@code run} option is
 * accepted.
 */
public final class SparkMain {

    private SparkMain() {
    }

    public static void main(String[] args) {
        String master = System.getProperty("spark.master");
        if (master == null) {
            System.err.println("vitbench: error: SparkMain is started by spark-submit, which names the master; on one "
                    + "machine run ./vitbench run --spark local[N] instead");
            System.exit(2);
        }
        List<String> all = new ArrayList<>(List.of("run", "--spark", master));
        all.addAll(List.of(args));
        Main.main(all.toArray(String[]::new));
    }
}
