package org.vitbench.runner.cli;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.Callable;
import org.vitbench.api.AtomicFiles;
import org.vitbench.api.ConfigurationException;
import org.vitbench.api.MethodSpec;
import org.vitbench.api.ResultRecord;
import org.vitbench.reports.Exports;
import org.vitbench.reports.LeaderboardLatex;
import org.vitbench.reports.LeaderboardMarkdown;
import org.vitbench.reports.ReportData;
import org.vitbench.runner.run.Benchmark;
import org.vitbench.runner.store.ResultStore;
import org.vitbench.runner.store.RunLock;
import org.vitbench.runner.store.RunManifest;
import org.vitbench.runner.summary.Aggregator;
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

    @Option(names = "--methods", paramLabel = "NAME", split = ",", description = "Only these methods (ids or the "
            + "labels the report shows) in paper exports: leaderboard.tex and .md, curve SVGs and tables, written to "
            + "--to; the run's own report stays whole.")
    List<String> methods;

    @Option(names = "--metrics", paramLabel = "NAME", split = ",", description = "Only these metrics (ids or "
            + "labels) in paper exports, as --methods.")
    List<String> metrics;

    @Option(names = "--to", paramLabel = "DIR", description = "Where restricted paper exports go (default: DIR/paper).")
    Path to;

    @Override
    public Integer call() {
        RunManifest manifest = RunManifest.read(dir);
        try (RunLock lock = RunLock.acquire(dir, "report")) {
            if (jmh != null) {
                Benchmark.importJmh(jmh, dir);
            }
            List<ResultRecord> records = ResultStore.read(dir).stream()
                    .filter(r -> r.configHash().equals(manifest.configHash())).toList();
            if (methods == null && metrics == null) {
                Benchmark.writeReports(dir, records, manifest, spec.commandLine().getOut());
            } else {
                exports(restricted(records), manifest);
            }
        }
        return ExitCode.OK.code();
    }

    /** The records of the chosen methods and metrics; a name the run does not have fails naming those it has. */
    private List<ResultRecord> restricted(List<ResultRecord> records) {
        Map<MethodSpec, String> methodLabels = Aggregator.methodLabels(records);
        Map<String, String> metricLabels = Aggregator.metricLabels(records);
        Set<String> knownMethods = new TreeSet<>();
        Set<String> knownMetrics = new TreeSet<>();
        for (ResultRecord r : records) {
            knownMethods.add(r.methodId());
            knownMethods.add(methodLabels.get(r.method()));
            knownMetrics.add(r.metricId());
            knownMetrics.add(metricLabels.get(r.specHash()));
        }
        check("--methods", methods, knownMethods);
        check("--metrics", metrics, knownMetrics);
        return records.stream()
                .filter(r -> methods == null || methods.contains(r.methodId())
                        || methods.contains(methodLabels.get(r.method())))
                .filter(r -> metrics == null || metrics.contains(r.metricId())
                        || metrics.contains(metricLabels.get(r.specHash())))
                .toList();
    }

    private static void check(String option, List<String> chosen, Set<String> known) {
        if (chosen == null) {
            return;
        }
        for (String name : chosen) {
            if (!known.contains(name)) {
                throw new ConfigurationException(option + ": the run has no '" + name + "'; it has " + known);
            }
        }
    }

    /** leaderboard.tex and .md, charts/*.svg and tables/*.csv of the restricted records, into {@link #to}. */
    private void exports(List<ResultRecord> records, RunManifest manifest) {
        Path target = to != null ? to : dir.resolve("paper");
        ReportData data = Aggregator.aggregate(Benchmark.TITLE, records, manifest);
        AtomicFiles.writeString(target.resolve("leaderboard.tex"), LeaderboardLatex.render(data));
        AtomicFiles.writeString(target.resolve("leaderboard.md"), LeaderboardMarkdown.render(data));
        Exports.write(data, target);
        PrintWriter out = spec.commandLine().getOut();
        out.println("paper exports of " + data.methods().size() + " methods x " + data.metrics().size()
                + " metrics: " + target.resolve("leaderboard.tex") + " (also leaderboard.md, charts/*.svg, "
                + "tables/*.csv)");
        out.flush();
    }
}
