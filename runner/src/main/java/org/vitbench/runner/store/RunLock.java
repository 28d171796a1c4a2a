package org.vitbench.runner.store;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.vitbench.api.ConfigurationException;

/**
 * Exclusive use of a run directory by one command, across processes and threads: an OS file lock
 * on {@value #FILE_NAME} in the directory, which also records the holder (PID, command, start), so
 * a second command on the directory fails at once and names it. The OS drops the lock when the
 * holder exits, however it exits (kill -9 included), so there is nothing stale to clean up.
 *
 * <p>The lock is re-entrant within the thread that holds it (a command and the run it starts
 * both take it). Locks of a process are tracked here as well as by the OS, because a POSIX lock
 * is released when the process closes any handle on the file: nothing but this class opens it.
 */
public final class RunLock implements AutoCloseable {

    static final String FILE_NAME = ".vitbench.lock";

    private static final Map<Path, RunLock> HELD = new HashMap<>();

    private final Path dir;
    private final FileChannel channel;
    private final FileLock lock;
    private final Thread owner;
    private final String holder;
    private int depth = 1;

    private RunLock(Path dir, FileChannel channel, FileLock lock, String holder) {
        this.dir = dir;
        this.channel = channel;
        this.lock = lock;
        this.owner = Thread.currentThread();
        this.holder = holder;
    }

    /**
     * Takes the lock of {@code dir} (created when missing) for {@code command}.
     *
     * @throws ConfigurationException when another process, or another thread of this one, holds it
     */
    public static RunLock acquire(Path dir, String command) {
        Path key = dir.toAbsolutePath().normalize();
        synchronized (HELD) {
            RunLock held = HELD.get(key);
            if (held != null) {
                if (held.owner != Thread.currentThread()) {
                    throw busy(dir, held.holder);
                }
                held.depth++;
                return held;
            }
            if (Files.exists(key) && !Files.isDirectory(key)) {
                throw new ConfigurationException(dir + " is a file, not a directory; give a directory for the results "
                        + "(it is created when missing)");
            }
            try {
                Files.createDirectories(key);
                FileChannel channel = FileChannel.open(key.resolve(FILE_NAME), StandardOpenOption.CREATE,
                        StandardOpenOption.READ, StandardOpenOption.WRITE);
                try {
                    FileLock lock = channel.tryLock();
                    if (lock == null) {
                        throw busy(dir, read(channel));
                    }
                    String holder = "process " + ProcessHandle.current().pid() + " (vitbench " + command + ", started "
                            + RunManifest.timestamp() + ")";
                    channel.truncate(0);
                    channel.write(ByteBuffer.wrap((holder + "\n").getBytes(StandardCharsets.UTF_8)), 0);
                    channel.force(true);
                    RunLock acquired = new RunLock(key, channel, lock, holder);
                    HELD.put(key, acquired);
                    return acquired;
                } catch (RuntimeException | IOException e) {
                    channel.close();
                    throw e;
                }
            } catch (IOException e) {
                throw new UncheckedIOException("cannot lock " + key.resolve(FILE_NAME) + ": " + e.getMessage(), e);
            }
        }
    }

    /**
     * Refuses an output directory that is one of the command's input runs: writing the derived
     * output there would replace that run's own manifest and results.
     *
     * @param option the output option, for the message
     */
    public static void refuseInput(Path out, List<Path> inputs, String option) {
        Path target = canonical(out);
        for (Path in : inputs) {
            if (canonical(in).equals(target)) {
                throw new ConfigurationException(option + " " + out + " is one of the input runs; writing there would "
                        + "replace that run's own results. Choose a new directory for " + option);
            }
        }
    }

    private static Path canonical(Path p) {
        try {
            return Files.exists(p) ? p.toRealPath() : p.toAbsolutePath().normalize();
        } catch (IOException e) {
            return p.toAbsolutePath().normalize();
        }
    }

    private static ConfigurationException busy(Path dir, String holder) {
        return new ConfigurationException(dir + " is in use by vitbench " + (holder.isBlank() ? "in another process"
                : holder) + "; wait for it to finish, or choose another output directory");
    }

    private static String read(FileChannel channel) throws IOException {
        ByteBuffer buffer = ByteBuffer.allocate((int) Math.min(channel.size(), 4096));
        channel.read(buffer, 0);
        return new String(buffer.array(), 0, buffer.position(), StandardCharsets.UTF_8).strip();
    }

    @Override
    public void close() {
        synchronized (HELD) {
            if (--depth > 0) {
                return;
            }
            HELD.remove(dir);
            try {
                lock.release();
                channel.close();
            } catch (IOException e) {
                // closing the channel is what releases an OS lock; report it, it cannot be retried
                throw new UncheckedIOException("cannot release the lock " + dir.resolve(FILE_NAME), e);
            }
        }
    }
}
