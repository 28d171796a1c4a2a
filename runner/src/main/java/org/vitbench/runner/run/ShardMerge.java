package org.vitbench.runner.run;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.vitbench.api.AtomicFiles;
import org.vitbench.api.ConfigurationException;
import org.vitbench.api.ResultRecord;
import org.vitbench.reports.Gallery;
import org.vitbench.runner.store.Protocol;
import org.vitbench.runner.store.ResultCodec;
import org.vitbench.runner.store.ResultStore;
import org.vitbench.runner.store.RunLock;
import org.vitbench.runner.store.RunManifest;

/**
 * Combines the output directories of a sharded run ({@code run --shard i/n}, or the tasks of a
 * Spark run) into one run directory with its reports. The shards must share one config hash; a
 * unit stored twice must have the same outcome (exact duplicates are dropped), and the shards'
 * models the same weights when their fingerprints were recorded. Records are put in the order an
 * unsharded run stores them (samples in dataset order), so the merged statistics, bootstrap
 * intervals included, equal the unsharded run's.
 */
public final class ShardMerge {

    private ShardMerge() {
    }

    /**
     * Merges {@code shards} into {@code to} and writes its reports; returns the report files.
     * Missing shards are named on {@code err}; the merged report then covers the shards given.
     */
    public static List<Path> merge(Path to, List<Path> shards, PrintWriter out, PrintWriter err) {
        RunLock.refuseInput(to, shards, "--out");
        try (RunLock lock = RunLock.acquire(to, "merge")) {
            List<Part> parts = new ArrayList<>();
            for (Path dir : shards) {
                RunManifest m = RunManifest.read(dir);
                String text = m.environment().get(Benchmark.SHARD_KEY);
                Shard shard = text == null ? Shard.WHOLE : Shard.parse(text, dir.resolve(RunManifest.FILE_NAME) + " shard");
                parts.add(new Part(dir, m, shard, ResultStore.read(dir).stream()
                        .filter(r -> r.configHash().equals(m.configHash())).toList()));
            }
            Part first = parts.get(0);
            for (Part p : parts) {
                if (!p.manifest.configHash().equals(first.manifest.configHash())) {
                    throw new ConfigurationException("cannot merge " + p.dir + " (config " + p.manifest.configHash() + ") with "
                            + first.dir + " (config " + first.manifest.configHash() + "): shards of one run share its "
                            + "config; compare their config.yaml files");
                }
                String a = Protocol.of(first.manifest);
                String b = Protocol.of(p.manifest);
                if (!a.equals(b)) {
                    throw new ConfigurationException("cannot merge " + p.dir + " with " + first.dir + ": same config, but "
                            + "they differ in " + Protocol.differences(a, b) + "; a checkpoint path names "
                            + "other weights on another machine, so copy the same checkpoint to every machine");
                }
            }
            parts.sort(Comparator.comparingInt(p -> p.shard.index()));
            warnAboutCoverage(parts, err);
            List<ResultRecord> merged = merge(parts);
            if (Files.exists(to.resolve(ResultStore.FILE_NAME))) {
                RunManifest existing = RunManifest.read(to);
                if (!existing.configHash().equals(first.manifest.configHash())) {
                    throw new ConfigurationException(to + " holds a run of config " + existing.configHash()
                            + ", not " + first.manifest.configHash() + "; choose another --out directory");
                }
            }
            writeStore(to, merged);
            Map<String, String> env = new LinkedHashMap<>(first.manifest.environment());
            env.remove(Benchmark.SHARD_KEY);
            List<String> hosts = parts.stream().map(p -> p.manifest.environment().get(Benchmark.HOST_KEY))
                    .filter(java.util.Objects::nonNull).distinct().toList();
            if (!hosts.isEmpty()) {
                env.put(Benchmark.HOST_KEY, String.join(", ", hosts));
            }
            // the merged run is done when its last shard is (ISO instants sort as text)
            parts.stream().map(p -> p.manifest.environment().get("finished")).filter(java.util.Objects::nonNull)
                    .max(String::compareTo).ifPresent(f -> env.put("finished", f));
            env.put("merged from", String.join(", ", parts.stream().map(p -> p.dir + " (" + p.shard.format() + ")").toList()));
            env.put("samples", Long.toString(merged.stream().map(ResultRecord::sampleId).distinct().count()));
            env.put(Benchmark.UNITS_KEY, Long.toString(parts.stream().mapToLong(p -> units(p.manifest)).sum()));
            Set<RunManifest.Skipped> skipped = new LinkedHashSet<>();
            parts.forEach(p -> skipped.addAll(p.manifest.skipped()));
            Map<String, String> families = new LinkedHashMap<>();
            parts.forEach(p -> families.putAll(p.manifest.families()));
            RunManifest manifest = new RunManifest(first.manifest.configHash(), first.manifest.config(), first.manifest.seed(),
                    first.manifest.directions(), List.copyOf(skipped), env, families);
            manifest.write(to);
            copyGallery(parts.get(0).dir, to);
            out.println("merged " + merged.size() + " records of " + parts.size() + " shards into "
                    + to.resolve(ResultStore.FILE_NAME));
            return Benchmark.writeReports(to, merged, manifest, out);
        }
    }

    /** The units a part's run evaluates, as its manifest records them; 0 when it does not (an older run). */
    public static long units(RunManifest manifest) {
        try {
            return Long.parseLong(manifest.environment().getOrDefault(Benchmark.UNITS_KEY, "0"));
        } catch (NumberFormatException e) {
            return 0;
        }
    }

    private record Part(Path dir, RunManifest manifest, Shard shard, List<ResultRecord> records) {
    }

    /**
     * The union of the parts' records in unsharded order: sample {@code t} of shard {@code s} of
     * {@code n} (1-based, in the order the shard stored its samples) is the run's sample
     * {@code t * n + s - 1}; within a sample, the shard's own order.
     */
    private static List<ResultRecord> merge(List<Part> parts) {
        Map<ResultRecord.Key, ResultRecord> byKey = new HashMap<>();
        Map<String, Long> position = new HashMap<>();
        List<ResultRecord> all = new ArrayList<>();
        Map<ResultRecord, Long> order = new java.util.IdentityHashMap<>();
        long sequence = 0;
        for (Part p : parts) {
            Map<String, Integer> local = new LinkedHashMap<>();
            for (ResultRecord r : p.records) {
                local.putIfAbsent(r.sampleId(), local.size());
            }
            for (ResultRecord r : p.records) {
                ResultRecord seen = byKey.putIfAbsent(r.key(), r);
                if (seen != null) {
                    if (!sameOutcome(seen, r)) {
                        throw new ConfigurationException("unit " + r.key() + " is stored with different outcomes (score "
                                + seen.score() + " vs " + r.score() + "); the directories are not shards of one run");
                    }
                    continue;
                }
                long pos = p.shard.whole() ? local.get(r.sampleId())
                        : (long) local.get(r.sampleId()) * p.shard.count() + p.shard.index() - 1;
                position.putIfAbsent(r.sampleId(), pos);
                all.add(r);
                order.put(r, sequence++);
            }
        }
        all.sort(Comparator.<ResultRecord>comparingLong(r -> position.get(r.sampleId())).thenComparingLong(order::get));
        return all;
    }

    private static boolean sameOutcome(ResultRecord a, ResultRecord b) {
        return a.status() == b.status() && Double.compare(a.score(), b.score()) == 0
                && java.util.Arrays.equals(a.curve(), b.curve()) && a.target() == b.target();
    }

    private static void warnAboutCoverage(List<Part> parts, PrintWriter err) {
        Set<Integer> counts = new TreeSet<>();
        Set<Integer> present = new TreeSet<>();
        parts.forEach(p -> {
            counts.add(p.shard.count());
            present.add(p.shard.index());
        });
        if (counts.size() > 1) {
            throw new ConfigurationException("the directories split the run differently (shard counts " + counts
                    + "); merge the shards of one split");
        }
        int n = counts.iterator().next();
        List<String> missing = new ArrayList<>();
        for (int i = 1; i <= n; i++) {
            if (!present.contains(i)) {
                missing.add(i + "/" + n);
            }
        }
        if (!missing.isEmpty()) {
            err.println("vitbench merge: warning: shards " + String.join(", ", missing)
                    + " are missing; the merged report covers only the shards given");
        }
    }

    /** Writes the store in one go: a temporary file, then moved over any earlier merge. */
    private static void writeStore(Path dir, List<ResultRecord> records) {
        StringBuilder sb = new StringBuilder();
        records.forEach(r -> sb.append(ResultCodec.encode(r)).append('\n'));
        AtomicFiles.writeString(dir.resolve(ResultStore.FILE_NAME), sb);
    }

    /** The gallery of the first shard given (its first samples: positions 0, n, 2n, ... of the run). */
    private static void copyGallery(Path from, Path to) {
        Path src = from.resolve(Gallery.DIR);
        if (!Files.isDirectory(src)) {
            return;
        }
        try (var files = Files.list(src)) {
            Path dst = Files.createDirectories(to.resolve(Gallery.DIR));
            for (Path f : files.toList()) {
                AtomicFiles.copy(f, dst.resolve(f.getFileName()));
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot copy the gallery of " + from + ": " + e.getMessage(), e);
        }
    }
}
