package org.vitbench.runner.cli;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import org.vitbench.api.ConfigurationException;
import org.vitbench.api.Direction;
import org.vitbench.api.MethodSpec;
import org.vitbench.api.ResultRecord;
import org.vitbench.runner.run.Benchmark;
import org.vitbench.runner.store.Protocol;
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
 * {@code vitbench leaderboard}: one leaderboard from runs of different methods, possibly on
 * different machines, under one protocol ({@link Protocol}): the statistics (intervals, ranks,
 * paired tests against the best, ranks across metrics) are recomputed over the union of the runs'
 * per-sample results, and every method keeps the provenance of the run it came from. Runs under
 * different protocols are refused with the keys that differ.
 */
@Command(name = "leaderboard", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Merges runs (their output directories) into one leaderboard: leaderboard.json (schema "
            + "vitbench-leaderboard/1), .csv, .md, .tex, the page leaderboard.html and the full report.html.",
            "All runs must share one protocol: model (and its weights), evaluation model, dataset, limit, metric "
                + "specs and seed."})
final class LeaderboardCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Option(names = "--out", paramLabel = "DIR", required = true, description = "where the leaderboard goes")
    Path out;

    @Option(names = "--prefer", paramLabel = "newest|first",
            description = "when two runs have the same method: keep the run that finished last, or the one given first "
                    + "(default: refuse)")
    String prefer;

    @Parameters(paramLabel = "RUN_DIR", arity = "1..*", description = "the runs' output directories")
    List<Path> runs;

    @Override
    public Integer call() {
        RunLock.refuseInput(out, runs, "--out");
        try (RunLock lock = RunLock.acquire(out, "leaderboard")) {
            if (prefer != null && !prefer.equals("newest") && !prefer.equals("first")) {
                throw new ConfigurationException("invalid value '" + prefer + "' for --prefer; allowed: newest, first");
            }
            List<Run> loaded = new ArrayList<>();
            for (Path dir : runs) {
                RunManifest m = RunManifest.read(dir);
                String shard = m.environment().get(Benchmark.SHARD_KEY);
                if (shard != null) {
                    spec.commandLine().getErr().println("vitbench leaderboard: warning: " + dir + " is shard " + shard
                            + " of a run, so its scores cover part of the samples; merge the shards first (vitbench "
                            + "merge) to rank the whole run");
                }
                loaded.add(new Run(dir, m, Protocol.of(m), ResultStore.read(dir).stream()
                        .filter(r -> r.configHash().equals(m.configHash())).toList()));
            }
            Run first = loaded.get(0);
            for (Run r : loaded) {
                if (!r.protocol.equals(first.protocol)) {
                    throw new ConfigurationException("run " + r.dir + " has another protocol than " + first.dir + " ("
                            + Protocol.hash(r.protocol) + " vs " + Protocol.hash(first.protocol) + "); they differ in "
                            + Protocol.differences(first.protocol, r.protocol) + ". Only runs scored the same way share a leaderboard");
                }
            }
            Map<MethodSpec, Run> owner = new LinkedHashMap<>();
            for (Run r : loaded) {
                for (MethodSpec method : r.methods()) {
                    Run earlier = owner.get(method);
                    if (earlier == null) {
                        owner.put(method, r);
                    } else if (prefer == null) {
                        throw new ConfigurationException("method " + method + " is in both " + earlier.dir + " and " + r.dir
                                + "; pass --prefer newest or --prefer first to choose, or leave one run out");
                    } else {
                        Run kept = prefer.equals("newest") && r.finished().compareTo(earlier.finished()) > 0 ? r : earlier;
                        owner.put(method, kept);
                        spec.commandLine().getOut().println("method " + method + " is in " + earlier.dir + " and " + r.dir
                                + ": kept " + kept.dir + " (--prefer " + prefer + (prefer.equals("newest") ? ", finished "
                                + kept.finished() : "") + ")");
                    }
                }
            }
            List<ResultRecord> records = new ArrayList<>();
            Map<String, Direction> directions = new LinkedHashMap<>();
            Set<RunManifest.Skipped> skipped = new LinkedHashSet<>();
            Map<String, String> families = new LinkedHashMap<>();
            for (Run r : loaded) {
                r.records.stream().filter(x -> owner.get(x.method()) == r).forEach(records::add);
                directions.putAll(r.manifest.directions());
                r.manifest.skipped().forEach(skipped::add);
                families.putAll(r.manifest.families());
            }
            Map<MethodSpec, String> labels = Aggregator.methodLabels(records);
            Map<String, Map<String, String>> provenance = new LinkedHashMap<>();
            owner.forEach((method, r) -> provenance.put(labels.getOrDefault(method, method.canonical()), r.source()));

            String protocolHash = Protocol.hash(first.protocol);
            Map<String, String> env = new LinkedHashMap<>();
            env.put("protocol hash", protocolHash);
            env.put("runs", String.join(", ", loaded.stream().map(r -> r.dir + " (config " + r.manifest.configHash()
                    + ", finished " + r.finished() + ")").toList()));
            StringBuilder config = new StringBuilder(first.protocol).append("methods:\n");
            owner.keySet().forEach(m -> config.append("  - \"").append(m).append("\"\n"));
            RunManifest manifest = new RunManifest(protocolHash, config.toString(), first.manifest.seed(), directions,
                    List.copyOf(skipped), env, families);
            try {
                java.nio.file.Files.createDirectories(out);
            } catch (java.io.IOException e) {
                throw new java.io.UncheckedIOException("cannot create " + out + ": " + e.getMessage(), e);
            }
            manifest.write(out);
            spec.commandLine().getOut().println("leaderboard of " + owner.size() + " methods from " + loaded.size()
                    + " runs, protocol " + protocolHash);
            Benchmark.writeReports(out, records, manifest, provenance, spec.commandLine().getOut());
        }
        return ExitCode.OK.code();
    }

    private record Run(Path dir, RunManifest manifest, String protocol, List<ResultRecord> records) {

        Set<MethodSpec> methods() {
            Set<MethodSpec> out = new LinkedHashSet<>();
            records.forEach(r -> out.add(r.method()));
            return out;
        }

        String finished() {
            return manifest.environment().getOrDefault("finished", "");
        }

        Map<String, String> source() {
            return Benchmark.source(dir, manifest);
        }
    }

}
