package org.vitbench.spark;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.apache.spark.SparkConf;
import org.apache.spark.SparkJobInfo;
import org.apache.spark.SparkStageInfo;
import org.apache.spark.api.java.JavaFutureAction;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.util.LongAccumulator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.vitbench.api.ConfigurationException;
import org.vitbench.api.VitbenchException;
import org.vitbench.runner.run.ClusterRunner;
import org.vitbench.runner.run.RunConfig;
import org.vitbench.runner.run.ShardMerge;
import org.vitbench.runner.store.ResultStore;
import org.vitbench.runner.store.RunLock;
import org.vitbench.runner.store.RunManifest;

/**
 * The driver of a Spark run: splits the samples into tasks, runs them as one Spark job, reports
 * progress from the parts' result files, then merges the parts into the run directory and writes
 * the reports. The split is stored (the parts' directory names), so a rerun after a failure or an
 * interruption resumes with the same tasks and computes only what is missing.
 */
final class SparkRun {

    /** The directory under the run's output that holds the tasks' parts. */
    static final String PARTS = "shards";
    /** Attempts of a task before the job fails; Spark's cluster default, which {@code local[N]} lacks. */
    static final int ATTEMPTS = 4;

    private static final Logger LOG = LoggerFactory.getLogger(SparkRun.class);
    private static final Pattern LOCAL = Pattern.compile("local(\\[(\\d+|\\*)])?");
    private static final Pattern PART = Pattern.compile("part-(\\d+)-of-(\\d+)");

    /** How often the driver logs progress. */
    static volatile long progressMillis = 10_000;

    private SparkRun() {
    }

    static List<Path> run(ClusterRunner.Request request) {
        quietSpark();
        if (request.tasks() != null) {
            checked(request.tasks()); // before Spark starts
        }
        RunConfig config = request.config();
        URI remote = request.outUri() == null ? null : URI.create(request.outUri());
        // a remote run is merged and reported in a local copy, then uploaded
        Path out = remote == null ? config.out().toAbsolutePath().normalize() : staging(remote);
        Path parts = out.resolve(PARTS);
        String where = remote == null ? out.toString() : remote.toString();
        try (RunLock lock = RunLock.acquire(out, "run --spark")) {
            Integer stored = storedSplit(remote == null ? names(parts) : Remote.list(Remote.child(remote, PARTS)),
                    where + "/" + PARTS);
            boolean plainRun = remote == null ? Files.exists(out.resolve(ResultStore.FILE_NAME))
                    : Remote.exists(Remote.child(remote, ResultStore.FILE_NAME));
            if (stored == null && plainRun) {
                throw new ConfigurationException(where + " holds a run made without Spark; resume it without --spark, "
                        + "or give a new --out directory for the Spark run");
            }
            if (stored != null && request.tasks() != null && !stored.equals(request.tasks())) {
                throw new ConfigurationException(where + "/" + PARTS + " holds a run split into " + stored + " tasks, not "
                        + request.tasks() + "; rerun with --spark-tasks " + stored + " (or without it) to resume, or give "
                        + "a new --out directory");
            }
            SparkConf conf = new SparkConf().setAppName("vitbench run " + where);
            if (request.master() != null) {
                conf.setMaster(withRetries(request.master()));
            }
            conf.setIfMissing("spark.ui.showConsoleProgress", "false");
            List<Path> dirs = new ArrayList<>();
            List<Part> watched = new ArrayList<>();
            try (JavaSparkContext sc = new JavaSparkContext(conf)) {
                int tasks = tasks(request.tasks(), stored, sc.defaultParallelism(), config.limit());
                List<ShardTask> work = new ArrayList<>();
                for (int i = 1; i <= tasks; i++) {
                    String name = ShardTask.dirName(i, tasks);
                    Path dir = parts.resolve(name);
                    URI partUri = remote == null ? null : Remote.child(Remote.child(remote, PARTS), name);
                    dirs.add(dir);
                    watched.add(partUri == null ? Part.local(dir) : Part.remote(partUri));
                    work.add(new ShardTask(config.canonicalYaml(), config.batchSize(),
                            partUri == null ? dir.toString() : null, partUri == null ? null : partUri.toString(), i, tasks,
                            request.heatmaps().cache() == null ? null
                                    : request.heatmaps().cache().toAbsolutePath().toString(),
                            i == 1 ? request.heatmaps().gallerySamples() : 0,
                            request.memory() == null ? 0 : request.memory().bytes(), request.timeLimit()));
                }
                String description = "vitbench run " + where + ": " + tasks + " tasks (shards of the samples, "
                        + "every method and metric); units stored: accumulator 'vitbench units stored'";
                sc.setJobDescription(description);
                LongAccumulator units = sc.sc().longAccumulator("vitbench units stored");
                LOG.info("spark {} (master {}): {} tasks into {}/{}", sc.version(), sc.master(), tasks, where, PARTS);
                JavaFutureAction<Void> job = sc.parallelize(work, tasks).foreachAsync(new ShardWork(units));
                watch(sc, job, watched, tasks);
            }
            if (remote != null) {
                for (int i = 0; i < dirs.size(); i++) {
                    Remote.download(watched.get(i).uri(), dirs.get(i));
                }
            }
            List<Path> reports = ShardMerge.merge(out, dirs, request.out(), request.err());
            if (remote != null) {
                Remote.upload(out, remote, f -> !f.startsWith(PARTS) && !f.getFileName().toString().startsWith("."));
                request.out().println("uploaded the run to " + remote);
                request.out().flush();
            }
            return reports;
        }
    }

    /** Where the driver merges a remote run: a directory of its own under the temporary directory. */
    static Path staging(URI remote) {
        return Path.of(System.getProperty("java.io.tmpdir"), "vitbench-spark",
                org.vitbench.api.Hashes.shortHash(remote.toString()), "run");
    }

    /** A task's part as the driver watches it: a local directory, or a remote one. */
    record Part(Path dir, URI uri) {
        static Part local(Path dir) {
            return new Part(dir, null);
        }

        static Part remote(URI uri) {
            return new Part(null, uri);
        }

        long stored() {
            return uri == null ? lines(dir.resolve(ResultStore.FILE_NAME))
                    : Remote.lines(Remote.child(uri, ResultStore.FILE_NAME));
        }

        /** The units the part's run evaluates, once its manifest is written; else 0. */
        long units() {
            if (uri == null) {
                return Files.exists(dir.resolve(RunManifest.FILE_NAME)) ? ShardMerge.units(RunManifest.read(dir)) : 0;
            }
            if (!Remote.exists(Remote.child(uri, RunManifest.FILE_NAME))) {
                return 0;
            }
            try {
                Path copy = Files.createTempDirectory("vitbench-part");
                try {
                    Remote.download(uri, copy, f -> f.equals(RunManifest.FILE_NAME));
                    return ShardMerge.units(RunManifest.read(copy));
                } finally {
                    Remote.deleteLocal(copy);
                }
            } catch (IOException e) {
                throw new UncheckedIOException("cannot read the manifest of " + uri + ": " + e.getMessage(), e);
            }
        }
    }

    /**
     * Spark's own INFO lines (hundreds per job: every task start, block and endpoint) become
     * warnings only, so a run's log shows vitbench's progress; a {@code -D} setting wins.
     */
    private static void quietSpark() {
        for (String logger : List.of("org.apache.spark", "org.sparkproject", "org.apache.hadoop")) {
            String key = "org.slf4j.simpleLogger.log." + logger;
            if (System.getProperty(key) == null) {
                System.setProperty(key, "warn");
            }
        }
    }

    /** Waits for {@code job}, logging the finished tasks and stored units; a failed job says how to resume. */
    private static void watch(JavaSparkContext sc, JavaFutureAction<Void> job, List<Part> dirs, int tasks) {
        String last = null;
        Map<Part, Long> known = new HashMap<>();
        while (true) {
            try {
                job.get(progressMillis, TimeUnit.MILLISECONDS);
                LOG.info("spark: {} of {} tasks finished, {}", tasks, tasks, progress(dirs, known));
                return;
            } catch (TimeoutException e) {
                String line = finishedTasks(sc, job) + " of " + tasks + " tasks finished, " + progress(dirs, known);
                if (!line.equals(last)) {
                    LOG.info("spark: {}", line);
                    last = line;
                }
            } catch (InterruptedException e) {
                job.cancel(true);
                Thread.currentThread().interrupt();
                throw new VitbenchException("interrupted while the Spark job ran; the stored results are kept, rerun "
                        + "the same command to resume", e);
            } catch (ExecutionException e) {
                throw failed(e.getCause());
            }
        }
    }

    /**
     * The units stored in the parts, of the units the started parts evaluate. A part's units do
     * not change once its manifest is written, so {@code known} keeps them across calls (a remote
     * manifest is then read once, not at every report).
     */
    static String progress(List<Part> parts, Map<Part, Long> known) {
        long stored = 0;
        long total = 0;
        int started = 0;
        for (Part part : parts) {
            stored += part.stored();
            long units = known.getOrDefault(part, 0L);
            if (units == 0) {
                units = part.units();
                known.put(part, units);
            }
            if (units > 0) {
                total += units;
                started++;
            }
        }
        return stored + " of " + (started == parts.size() ? "" : "at least ") + total + " units stored";
    }

    private static int finishedTasks(JavaSparkContext sc, JavaFutureAction<Void> job) {
        int done = 0;
        for (int id : job.jobIds()) {
            SparkJobInfo info = sc.statusTracker().getJobInfo(id);
            if (info != null) {
                for (int stage : info.stageIds()) {
                    SparkStageInfo s = sc.statusTracker().getStageInfo(stage);
                    done += s == null ? 0 : s.numCompletedTasks();
                }
            }
        }
        return done;
    }

    /** The job's failure as vitbench reports it: the first vitbench error in the chain, with how to resume. */
    static RuntimeException failed(Throwable error) {
        for (Throwable t = error; t != null; t = t.getCause()) {
            if (t instanceof ConfigurationException c) {
                return new ConfigurationException(c.getMessage() + " (in a Spark task; the stored results are kept)", c);
            }
        }
        Throwable root = error;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        return new VitbenchException("the Spark job failed after " + ATTEMPTS + " attempts of a task: " + root
                + "; the results stored so far are kept, rerun the same command to resume", error);
    }

    /** Newline bytes in {@code file}: its complete records; 0 when it does not exist. */
    static long lines(Path file) {
        try (InputStream in = Files.newInputStream(file)) {
            return lines(in);
        } catch (NoSuchFileException e) {
            return 0;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file + ": " + e.getMessage(), e);
        }
    }

    /** Newline bytes in {@code in}. */
    static long lines(InputStream in) throws IOException {
        long n = 0;
        byte[] buffer = new byte[1 << 16];
        for (int r = in.read(buffer); r > 0; r = in.read(buffer)) {
            for (int i = 0; i < r; i++) {
                n += buffer[i] == '\n' ? 1 : 0;
            }
        }
        return n;
    }

    /**
     * {@code local} and {@code local[N]} with {@link #ATTEMPTS} attempts per task, as a cluster
     * retries; {@code local[N,F]} and cluster masters unchanged.
     */
    static String withRetries(String master) {
        Matcher m = LOCAL.matcher(master.trim());
        if (!m.matches()) {
            return master.trim();
        }
        return "local[" + (m.group(2) == null ? "1" : m.group(2)) + "," + ATTEMPTS + "]";
    }

    /**
     * The number of tasks: the one asked for, else the stored split (a rerun resumes it), else two
     * per core of the cluster (a slow task then delays the end less, and a failed one repeats
     * less), at most one per sample.
     */
    static int tasks(Integer asked, Integer stored, int cores, int limit) {
        if (asked != null) {
            return checked(asked);
        }
        if (stored != null) {
            return stored;
        }
        int tasks = 2 * Math.max(1, cores);
        return limit > 0 ? Math.min(tasks, limit) : tasks;
    }

    /** The names in local directory {@code dir}; empty when it does not exist. */
    static List<String> names(Path dir) {
        if (!Files.isDirectory(dir)) {
            return List.of();
        }
        try (Stream<Path> list = Files.list(dir)) {
            return list.map(p -> p.getFileName().toString()).toList();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list " + dir + ": " + e.getMessage(), e);
        }
    }

    /** {@code --spark-tasks} when it is a positive number. */
    static int checked(int asked) {
        if (asked < 1) {
            throw new ConfigurationException("invalid --spark-tasks " + asked + "; give a positive number of tasks");
        }
        return asked;
    }

    /** The task count of the parts named in {@code names} (of directory {@code where}), or {@code null} when none. */
    static Integer storedSplit(List<String> names, String where) {
        Set<Integer> counts = new TreeSet<>();
        for (String name : names) {
            Matcher m = PART.matcher(name);
            if (m.matches()) {
                counts.add(Integer.parseInt(m.group(2)));
            }
        }
        if (counts.size() > 1) {
            throw new ConfigurationException(where + " holds parts of splits into " + counts + " tasks; keep the "
                    + "directories of one split, or give a new --out directory");
        }
        return counts.isEmpty() ? null : counts.iterator().next();
    }
}
