package org.vitbench.runner.store;

import java.io.Closeable;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.vitbench.api.ConfigurationException;
import org.vitbench.api.ResultRecord;
import org.vitbench.api.VitbenchException;

/**
 * The append-only result store of a run: {@code results.jsonl}, one {@link ResultRecord} per line.
 *
 * <p>Records are appended a batch at a time, then flushed and forced to the device, so a kill or
 * power loss loses at most the batch in flight and never an earlier record. The only damage a kill
 * can do is a torn last line (no final line break); opening the store for a run ignores it and
 * truncates it away before appending. A store holds the results of one config: opening it with
 * another config hash fails. The store does not lock: its owner holds the directory's
 * {@link RunLock} while it is open. Not thread-safe: one run owns the store.
 */
public final class ResultStore implements Closeable {

    public static final String FILE_NAME = "results.jsonl";

    private static final Logger LOG = LoggerFactory.getLogger(ResultStore.class);

    private final Path file;
    private final FileChannel channel;
    private final List<ResultRecord> records;
    private final Set<ResultRecord.Key> keys = new HashSet<>();

    private ResultStore(Path file, FileChannel channel, List<ResultRecord> records) {
        this.file = file;
        this.channel = channel;
        this.records = new ArrayList<>(records);
        records.forEach(r -> keys.add(r.key()));
    }

    /**
     * Opens (or creates) the store in {@code dir} for a run of config {@code configHash}.
     *
     * @throws ConfigurationException when the stored records belong to another config
     * @throws VitbenchException when a complete line is not a valid record
     */
    public static ResultStore open(Path dir, String configHash) {
        Path file = dir.resolve(FILE_NAME);
        try {
            Files.createDirectories(dir);
            FileChannel channel = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.READ,
                    StandardOpenOption.WRITE);
            try {
                Contents contents = parse(file, Files.readAllBytes(file));
                if (contents.tornBytes > 0) {
                    LOG.warn("{}: ignoring an incomplete last line of {} bytes left by an interrupted run", file,
                            contents.tornBytes);
                    channel.truncate(contents.completeBytes);
                    channel.force(true);
                }
                for (ResultRecord r : contents.records) {
                    if (!r.configHash().equals(configHash)) {
                        throw new ConfigurationException("the results in " + dir + " were produced by config "
                                + r.configHash() + " but this run's config is " + configHash
                                + "; choose a new --out directory, or rerun with the config that produced them ("
                                + dir.resolve(RunManifest.CONFIG_FILE) + ")");
                    }
                }
                channel.position(channel.size());
                return new ResultStore(file, channel, contents.records);
            } catch (RuntimeException | IOException e) {
                channel.close();
                throw e;
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot open result store " + file + ": " + e.getMessage(), e);
        }
    }

    /**
     * Reads the records in {@code dir} without changing the file (a torn last line is ignored).
     *
     * @throws ConfigurationException when there is no store in {@code dir}
     */
    public static List<ResultRecord> read(Path dir) {
        Path file = dir.resolve(FILE_NAME);
        try {
            return parse(file, Files.readAllBytes(file)).records;
        } catch (NoSuchFileException e) {
            throw new ConfigurationException("no results in " + dir.toAbsolutePath() + " (" + FILE_NAME
                    + " is missing); give the --out directory of a run");
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file + ": " + e.getMessage(), e);
        }
    }

    /** Whether the unit with this key is stored. */
    public synchronized boolean contains(ResultRecord.Key key) {
        return keys.contains(key);
    }

    /** Every stored record, in file order. */
    public synchronized List<ResultRecord> records() {
        return List.copyOf(records);
    }

    /** Appends records as one write, then forces them to the device. */
    public synchronized void append(List<ResultRecord> batch) {
        if (batch.isEmpty()) {
            return;
        }
        StringBuilder sb = new StringBuilder();
        for (ResultRecord r : batch) {
            sb.append(ResultCodec.encode(r)).append('\n');
        }
        ByteBuffer bytes = ByteBuffer.wrap(sb.toString().getBytes(StandardCharsets.UTF_8));
        try {
            while (bytes.hasRemaining()) {
                channel.write(bytes);
            }
            channel.force(true);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot append to " + file + ": " + e.getMessage()
                    + "; the records written before are intact, rerun the same command to resume", e);
        }
        records.addAll(batch);
        batch.forEach(r -> keys.add(r.key()));
    }

    @Override
    public void close() {
        try {
            channel.close();
        } catch (IOException e) {
            LOG.warn("closing {} failed: {}", file, e.getMessage());
        }
    }

    private record Contents(List<ResultRecord> records, long completeBytes, long tornBytes) {
    }

    private static Contents parse(Path file, byte[] bytes) {
        int end = bytes.length;
        while (end > 0 && bytes[end - 1] != '\n') {
            end--;
        }
        String text = new String(bytes, 0, end, StandardCharsets.UTF_8);
        List<ResultRecord> records = new ArrayList<>();
        Map<Map.Entry<String, ResultRecord.Key>, Integer> firstLine = new HashMap<>();
        int lineNo = 0;
        int repeated = 0;
        String example = null;
        for (String line : text.split("\n", -1)) {
            lineNo++;
            if (line.isBlank()) {
                continue;
            }
            ResultRecord r;
            try {
                r = ResultCodec.decode(line);
            } catch (IllegalArgumentException e) {
                throw new VitbenchException(file + " line " + lineNo + " is not a valid result record ("
                        + e.getMessage() + "); the file was changed outside vitbench. Remove that line to keep the "
                        + "other results, or choose a new --out directory");
            }
            Integer first = firstLine.putIfAbsent(Map.entry(r.configHash(), r.key()), lineNo);
            if (first != null) {
                // a unit is stored once by vitbench; a repeat comes from copying lines by hand and
                // must not count twice
                repeated++;
                example = example != null ? example : "line " + lineNo + " repeats line " + first;
                continue;
            }
            records.add(r);
        }
        if (repeated > 0) {
            LOG.warn("{}: {} lines repeat a unit stored earlier in the file ({}); each unit counts once, from its "
                    + "first line", file, repeated, example);
        }
        return new Contents(records, end, bytes.length - end);
    }
}
