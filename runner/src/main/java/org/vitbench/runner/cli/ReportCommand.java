package org.vitbench.runner.cli;

import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import org.vitbench.api.ResultRecord;
import org.vitbench.runner.run.Benchmark;
import org.vitbench.runner.store.ResultStore;
import org.vitbench.runner.store.RunLock;
import org.vitbench.runner.store.RunManifest;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code vitbench report DIR}: renders the report again from a run's stored results, without
 * models or plug-ins (metric directions are kept in {@code run.json}).
 */
@Command(name = "report", mixinStandardHelpOptions = true,
        description = "Renders report.html, summary.json and leaderboard.csv again from a run's results.")
final class ReportCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Parameters(index = "0", paramLabel = "DIR", defaultValue = "vitbench-out",
            description = "the run's output directory (default: ${DEFAULT-VALUE})")
    Path dir;

    @Option(names = "--jmh", paramLabel = "FILE",
            description = "JMH results (-rf json) to show in the report's runtime section; kept in DIR as jmh.json")
    Path jmh;

    @Override
    public Integer call() {
        RunManifest manifest = RunManifest.read(dir);
        try (RunLock lock = RunLock.acquire(dir, "report")) {
            if (jmh != null) {
                Benchmark.importJmh(jmh, dir);
            }
            List<ResultRecord> records = ResultStore.read(dir).stream()
                    .filter(r -> r.configHash().equals(manifest.configHash())).toList();
            Benchmark.writeReports(dir, records, manifest, spec.commandLine().getOut());
        }
        return ExitCode.OK.code();
    }
}
