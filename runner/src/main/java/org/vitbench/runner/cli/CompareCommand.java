package org.vitbench.runner.cli;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import org.vitbench.api.ConfigurationException;
import org.vitbench.api.Direction;
import org.vitbench.api.MethodSpec;
import org.vitbench.api.ResultRecord;
import org.vitbench.reports.AllureResults;
import org.vitbench.reports.Gallery;
import org.vitbench.reports.ReportData;
import org.vitbench.runner.ci.Baseline;
import org.vitbench.runner.ci.Comparison;
import org.vitbench.runner.run.Benchmark;
import org.vitbench.runner.store.ResultStore;
import org.vitbench.runner.store.RunManifest;
import org.vitbench.runner.summary.Aggregator;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code vitbench compare}: the CI regression gate. Compares a run's scores with a baseline file
 * and exits with {@link ExitCode#REGRESSION} when a method got worse beyond its tolerance; or, with
 * {@code --write-baseline}, writes a baseline from a run.
 */
@Command(name = "compare", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Compares a run with a baseline (the CI regression gate), or writes a baseline from a run.",
            "A cell regresses when its mean is worse than the baseline's by more than its margin (rule margin), and for "
                + "rule paired also a one-sided Wilcoxon signed-rank test on the per-sample scores is significant "
                + "(Holm-adjusted); a missing cell or more failed samples regress too."},
        footer = {"", "Exit codes: 0 no regression, 3 regression, 2 usage error (bad baseline, other config), "
            + "1 failure."})
final class CompareCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Option(names = "--run", paramLabel = "DIR", defaultValue = "vitbench-out",
            description = "the run's output directory (default: ${DEFAULT-VALUE})")
    Path run;

    @Option(names = "--baseline", paramLabel = "FILE", description = "baseline to compare with")
    Path baseline;

    @Option(names = "--write-baseline", paramLabel = "FILE",
            description = "write the run as a baseline instead (cells already in FILE keep their tolerances)")
    Path writeBaseline;

    @Option(names = "--tolerance", paramLabel = "MARGIN",
            description = "with --write-baseline: how much worse a mean of a new cell may get (default: 0.02; "
                + "without --tolerance, --paired and --alpha a refresh reuses the file's defaults)")
    Double margin;

    @Option(names = "--paired", description = "with --write-baseline: new cells also require a significant paired test")
    boolean paired;

    @Option(names = "--alpha", paramLabel = "P",
            description = "with --write-baseline --paired: significance level (default: 0.05)")
    Double alpha;

    @Option(names = "--allow-config-change",
            description = "compare even when the run's config hash differs from the baseline's")
    boolean allowConfigChange;

    @Override
    public Integer call() {
        if ((baseline == null) == (writeBaseline == null)) {
            throw new ConfigurationException("give either --baseline FILE (compare) or --write-baseline FILE");
        }
        RunManifest manifest = RunManifest.read(run);
        List<ResultRecord> records = ResultStore.read(run).stream()
                .filter(r -> r.configHash().equals(manifest.configHash())).toList();
        if (writeBaseline != null) {
            Baseline previous = Files.isRegularFile(writeBaseline) ? Baseline.read(writeBaseline) : null;
            Baseline b = Baseline.of(records, manifest, defaults(previous), previous);
            b.write(writeBaseline);
            spec.commandLine().getOut().println("baseline: " + writeBaseline + " (" + b.cells().size()
                    + " cells, config " + b.configHash() + ")");
            return ExitCode.OK.code();
        }
        Baseline b = Baseline.read(baseline);
        if (!b.configHash().equals(manifest.configHash()) && !allowConfigChange) {
            throw new ConfigurationException("run " + run + " has config " + manifest.configHash() + " but baseline "
                    + baseline + " was taken from config " + b.configHash() + "; rerun with the baseline's config, "
                    + "refresh the baseline with --write-baseline, or pass --allow-config-change");
        }
        Comparison.Result result = Comparison.compare(b, records);
        writeAllure(b, result, records, manifest);
        spec.commandLine().getOut().print(Comparison.render(result));
        spec.commandLine().getOut().flush();
        return result.regressed() ? ExitCode.REGRESSION.code() : ExitCode.OK.code();
    }

    /**
     * The tolerance of new cells: from the command line when any of {@code --tolerance},
     * {@code --paired}, {@code --alpha} is given (0.02 and 0.05 for those left out), else the
     * defaults of the baseline being refreshed, else {@link Baseline.Tolerance#DEFAULT}.
     */
    private Baseline.Tolerance defaults(Baseline previous) {
        Baseline.Tolerance builtIn = Baseline.Tolerance.DEFAULT;
        if (margin == null && alpha == null && !paired) {
            return previous == null ? builtIn : previous.defaults();
        }
        return new Baseline.Tolerance(paired ? Baseline.Rule.PAIRED : Baseline.Rule.MARGIN,
                margin == null ? builtIn.margin() : margin, alpha == null ? builtIn.alpha() : alpha);
    }

    /**
     * The run's Allure results again, now with each baseline cell's threshold and verdict, so a CI
     * system shows which method x metric regressed.
     */
    private void writeAllure(Baseline b, Comparison.Result result, List<ResultRecord> records, RunManifest manifest) {
        Map<MethodSpec, String> labels = Aggregator.methodLabels(records);
        Map<String, String> metrics = Aggregator.metricLabels(records);
        Map<String, AllureResults.Verdict> verdicts = new HashMap<>();
        for (int i = 0; i < b.cells().size(); i++) {
            Baseline.Cell c = b.cells().get(i);
            Comparison.Line line = result.lines().get(i);
            String label = labels.get(c.method());
            String metric = metrics.get(c.specHash());
            if (label == null || metric == null) {
                continue;
            }
            double limit = c.direction() == Direction.HIGHER_IS_BETTER ? c.mean() - c.tolerance().margin()
                    : c.mean() + c.tolerance().margin();
            String threshold = (c.direction() == Direction.HIGHER_IS_BETTER ? ">= " : "<= ") + Comparison.format(limit)
                    + (c.tolerance().rule() == Baseline.Rule.PAIRED ? " or paired p >= " + Comparison.format(
                            c.tolerance().alpha()) : "");
            verdicts.put(AllureResults.key(label, metric), new AllureResults.Verdict(threshold,
                    line.verdict().regression, line.verdict().label + ": " + line.reason()));
        }
        ReportData data = Aggregator.aggregate(Benchmark.TITLE, records, manifest);
        long[] span = Benchmark.span(manifest);
        AllureResults.write(data, Gallery.read(run.resolve(Gallery.DIR)), run.resolve(AllureResults.DIR), verdicts, span[0],
                span[1]);
    }
}
