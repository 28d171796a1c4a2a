package org.vitbench.spark;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.function.Predicate;
import java.util.stream.Stream;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileContext;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Options;
import org.apache.hadoop.fs.RemoteIterator;
import org.apache.hadoop.fs.LocatedFileStatus;
import org.vitbench.api.ConfigurationException;

/**
 * A run directory on a Hadoop file system ({@code hdfs://}, {@code s3a://}, {@code file://}, ...),
 * which the runner works on through a local copy: the result store appends and forces a file per
 * batch, which these file systems do not offer. A task downloads its part, stores into the copy,
 * and uploads each changed file after every batch, each replacing the last in one rename; the
 * driver downloads the parts, merges them locally and uploads the run's files.
 */
final class Remote {

    private Remote() {
    }

    static URI child(URI dir, String name) {
        String s = dir.toString();
        return URI.create(s.endsWith("/") ? s + name : s + "/" + name);
    }

    private static FileSystem fs(URI uri) {
        try {
            return FileSystem.get(uri, new Configuration());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot reach " + uri + ": " + e.getMessage(), e);
        } catch (RuntimeException e) {
            throw new ConfigurationException("cannot use " + uri + " (" + e.getMessage() + "); give a path on a shared "
                    + "file system or a URI of a Hadoop file system configured on this cluster", e);
        }
    }

    static boolean exists(URI uri) {
        try {
            return fs(uri).exists(new org.apache.hadoop.fs.Path(uri));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot reach " + uri + ": " + e.getMessage(), e);
        }
    }

    /** The names in directory {@code dir}; empty when it does not exist. */
    static List<String> list(URI dir) {
        List<String> names = new ArrayList<>();
        try {
            org.apache.hadoop.fs.Path p = new org.apache.hadoop.fs.Path(dir);
            FileSystem fs = fs(dir);
            if (fs.exists(p)) {
                for (FileStatus s : fs.listStatus(p)) {
                    names.add(s.getPath().getName());
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list " + dir + ": " + e.getMessage(), e);
        }
        return names;
    }

    /** Newline bytes in {@code file}: its complete records; 0 when it does not exist. */
    static long lines(URI file) {
        org.apache.hadoop.fs.Path p = new org.apache.hadoop.fs.Path(file);
        try {
            FileSystem fs = fs(file);
            if (!fs.exists(p)) {
                return 0;
            }
            try (InputStream in = fs.open(p)) {
                return SparkRun.lines(in);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file + ": " + e.getMessage(), e);
        }
    }

    /** Replaces {@code local} with a copy of remote directory {@code dir} (empty when it does not exist). */
    static void download(URI dir, Path local) {
        download(dir, local, f -> true);
    }

    /** As above, with only the files whose path relative to {@code dir} {@code which} accepts. */
    static void download(URI dir, Path local, Predicate<String> which) {
        try {
            deleteLocal(local);
            Files.createDirectories(local);
            org.apache.hadoop.fs.Path root = new org.apache.hadoop.fs.Path(dir);
            FileSystem fs = fs(dir);
            if (!fs.exists(root)) {
                return;
            }
            String prefix = fs.getFileStatus(root).getPath().toUri().getPath();
            RemoteIterator<LocatedFileStatus> files = fs.listFiles(root, true);
            while (files.hasNext()) {
                org.apache.hadoop.fs.Path f = files.next().getPath();
                String relative = f.toUri().getPath().substring(prefix.length()).replaceFirst("^/", "");
                if (relative.endsWith(".crc") || relative.contains(".uploading") || !which.test(relative)) {
                    continue; // checksums of the local file system, an upload cut short, or not asked for
                }
                Path target = local.resolve(relative);
                Files.createDirectories(target.getParent());
                try (InputStream in = fs.open(f)) {
                    Files.copy(in, target);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot copy " + dir + " to " + local + ": " + e.getMessage(), e);
        }
    }

    /**
     * Uploads the files under {@code local} that {@code which} accepts (paths relative to
     * {@code local}) to {@code dir}, each written under a temporary name and renamed over the old
     * one, so a reader never sees a half-written file.
     */
    static void upload(Path local, URI dir, Predicate<Path> which) {
        List<Path> files;
        try (Stream<Path> walk = Files.walk(local)) {
            files = walk.filter(Files::isRegularFile).filter(f -> which.test(local.relativize(f)))
                    .sorted(Comparator.naturalOrder()).toList();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list " + local + ": " + e.getMessage(), e);
        }
        try {
            FileSystem fs = fs(dir);
            FileContext context = FileContext.getFileContext(dir, new Configuration());
            for (Path f : files) {
                String relative = local.relativize(f).toString().replace('\\', '/');
                org.apache.hadoop.fs.Path target = new org.apache.hadoop.fs.Path(child(dir, relative));
                org.apache.hadoop.fs.Path partial = new org.apache.hadoop.fs.Path(child(dir, relative + ".uploading"));
                fs.mkdirs(target.getParent());
                try (OutputStream out = fs.create(partial, true)) {
                    Files.copy(f, out);
                }
                context.rename(partial, target, Options.Rename.OVERWRITE);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot copy " + local + " to " + dir + ": " + e.getMessage(), e);
        }
    }

    static void deleteLocal(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> walk = Files.walk(dir)) {
            for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        }
    }
}
