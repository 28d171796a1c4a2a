package org.vitbench.models.checkpoint;

import static java.nio.file.StandardCopyOption.ATOMIC_MOVE;
import static java.nio.file.StandardCopyOption.REPLACE_EXISTING;
import static java.nio.file.StandardOpenOption.CREATE_NEW;
import static java.nio.file.StandardOpenOption.READ;
import static java.nio.file.StandardOpenOption.WRITE;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.channels.WritableByteChannel;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.UnaryOperator;
import org.vitbench.models.checkpoint.Header.Entry;

/**
 * Reads and writes checkpoints in the safetensors format, strictly: a file is either loaded whole
 * and exactly, or rejected with a {@link CheckpointException} that names the key or byte range.
 *
 * <p>Format (huggingface/safetensors, {@code https://github.com/huggingface/safetensors}, README
 * "Format" and {@code safetensors/src/tensor.rs}): an unsigned 64-bit little-endian header length
 * {@code N}; {@code N} bytes of UTF-8 JSON,
 * {@code {"name": {"dtype": "F32", "shape": [..], "data_offsets": [begin, end]}, "__metadata__": {str: str}}};
 * then the data section, each tensor row-major and little-endian at {@code [begin, end)}
 * relative to the start of the data section. Nothing in a file is ever executed: the header is
 * data read with Jackson's streaming parser, the tensors are numbers.
 *
 * <p>Reading checks everything the reference reader checks, and more: the file is at least 8
 * bytes; {@code N} is at most 100,000,000 (the reference {@code MAX_HEADER_SIZE}) and fits in the
 * file; the header is strict UTF-8 JSON, one object, without duplicate keys at any level (the
 * reference keeps the last of two equal tensor names silently); every entry has exactly {@code dtype} (a known dtype),
 * {@code shape} (non-negative integers) and {@code data_offsets} ({@code [begin, end]},
 * {@code begin <= end}, spanning exactly {@code product(shape) * size(dtype)} bytes); every range
 * lies inside the data section; and the ranges cover the data section exactly, with no overlap,
 * no hole and no trailing bytes. F16, BF16 and F64 values are converted to float32 (the first two
 * exactly, F64 rounded to nearest; an F64 value beyond the float32 range is an error, underflow
 * gives zero). Integer and boolean tensors are rejected by {@link #read}; {@link #metadata} accepts
 * them. Only the header and the tensors' byte ranges are read, through a {@link FileChannel}.
 *
 * <p>Writing stores float32, the header keys in the map's order, the data contiguous in the same
 * order, {@code __metadata__} first when there is any, and the header padded with spaces to a
 * multiple of 8 bytes, as the reference writer does; for one dtype and keys in sorted order the
 * bytes equal the reference writer's. The file is replaced atomically: the bytes go to a hidden
 * temporary file in the same directory, are forced to disk, and the temporary file is renamed
 * over the target; on any failure it is deleted and a previous file stays as it was. A process
 * killed mid-write can leave a {@code .<name>.<pid>.<n>.tmp} file behind, never a partial
 * checkpoint.
 *
 * <p>Thread-safety: all methods are stateless and safe to call concurrently. Concurrent writes to
 * one path each complete and the last rename wins; a reader sees the old or the new file in full.
 */
public final class Safetensors {

    private static final int CHUNK_BYTES = 1 << 20;
    // The largest array most JVMs allocate (ArrayList uses the same bound).
    private static final long MAX_VALUES = Integer.MAX_VALUE - 8;
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final AtomicLong TEMP_FILES = new AtomicLong();

    private Safetensors() {}

    /**
     * Reads every tensor of a checkpoint.
     *
     * @return a new {@link LinkedHashMap} in header order, without {@code __metadata__}; the caller
     *     owns it
     * @throws CheckpointException if the file is missing, unreadable or malformed, or holds a tensor
     *     whose dtype is not F32, F16, BF16 or F64
     */
    public static Map<String, Tensor> read(Path file) {
        try (FileChannel channel = open(file)) {
            Header header = Header.read(file, channel);
            int largest = 8;
            for (Entry e : header.entries()) {
                if (!e.dtype().readable()) {
                    throw new CheckpointException(file, "tensor '" + e.name() + "' has dtype "
                            + e.dtype() + "; vitbench loads floating-point tensors only ("
                            + Dtype.READABLE_NAMES + ")");
                }
                if (e.elements() > MAX_VALUES) {
                    throw new CheckpointException(file, "tensor '" + e.name() + "' has "
                            + e.elements() + " elements, more than a Java array holds (" + MAX_VALUES + ")");
                }
                largest = (int) Math.max(largest, Math.min(CHUNK_BYTES, e.end() - e.begin()));
            }
            ByteBuffer buffer = ByteBuffer.allocate(largest).order(ByteOrder.LITTLE_ENDIAN);
            Map<String, Tensor> tensors = new LinkedHashMap<>();
            for (Entry e : header.entries()) {
                float[] values = values(file, channel, header.dataStart(), e, buffer);
                tensors.put(e.name(), new Tensor(e.dtype().name(), e.shape(), values));
            }
            return tensors;
        } catch (IOException e) {
            throw new CheckpointException(file, "cannot read: " + describe(e), e);
        }
    }

    /**
     * The name and shape of every tensor, from the validated header alone: no tensor data is
     * read, so a loader can refuse a file that declares other or larger tensors than its
     * architecture before it allocates anything.
     *
     * @return a new map in header order, without {@code __metadata__}
     * @throws CheckpointException if the file is missing, unreadable or its header is malformed
     */
    public static Map<String, long[]> shapes(Path file) {
        try (FileChannel channel = open(file)) {
            Map<String, long[]> shapes = new LinkedHashMap<>();
            for (Entry e : Header.read(file, channel).entries()) {
                shapes.put(e.name(), e.shape().clone());
            }
            return shapes;
        } catch (IOException e) {
            throw new CheckpointException(file, "cannot read: " + describe(e), e);
        }
    }

    /**
     * The {@code __metadata__} strings of a checkpoint, after validating its whole header (but
     * not its dtypes: integer tensors are allowed here).
     *
     * @return an unmodifiable map in header order; empty when the header has no metadata
     * @throws CheckpointException if the file is missing, unreadable or its header is malformed
     */
    public static Map<String, String> metadata(Path file) {
        try (FileChannel channel = open(file)) {
            return Header.read(file, channel).metadata();
        } catch (IOException e) {
            throw new CheckpointException(file, "cannot read: " + describe(e), e);
        }
    }

    /**
     * Writes tensors as an F32 checkpoint, replacing {@code file} atomically.
     *
     * @param tensors written in iteration order; names must not be {@code null} or
     *     {@code "__metadata__"}
     * @param metadata stored as {@code __metadata__}; {@code null} or empty writes none
     * @throws CheckpointException if a name, tensor or metadata entry is invalid, the header would
     *     exceed 100,000,000 bytes, or {@code file} is a directory; nothing is written then
     * @throws UncheckedIOException if writing fails; a previous {@code file} is left unchanged
     */
    public static void write(Path file, Map<String, Tensor> tensors, Map<String, String> metadata) {
        write(file, tensors, metadata, UnaryOperator.identity());
    }

    /** {@link #write(Path, Map, Map)} with every byte passing through {@code sink} (a test seam). */
    static void write(Path file, Map<String, Tensor> tensors, Map<String, String> metadata,
            UnaryOperator<WritableByteChannel> sink) {
        Objects.requireNonNull(file, "file");
        Objects.requireNonNull(tensors, "tensors");
        // Snapshot once so the header and the data cannot disagree.
        String[] names = tensors.keySet().toArray(new String[0]);
        Tensor[] values = new Tensor[names.length];
        for (int i = 0; i < names.length; i++) {
            values[i] = tensors.get(names[i]);
        }
        byte[] header = header(file, names, values, metadata == null ? Map.of() : metadata);
        Path target = file.toAbsolutePath();
        if (target.getFileName() == null || Files.isDirectory(target)) {
            throw new CheckpointException(file, "is a directory; a checkpoint must be a file");
        }
        try {
            writeAtomically(target, header, values, sink);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write checkpoint " + file + ": " + describe(e)
                    + "; any previous file is unchanged", e);
        }
    }

    private static FileChannel open(Path file) throws IOException {
        Objects.requireNonNull(file, "file");
        if (Files.isDirectory(file)) {
            throw new CheckpointException(file, "is a directory, expected a .safetensors file");
        }
        if (Files.exists(file) && !Files.isRegularFile(file)) {
            // opening a named pipe would block until someone writes to it
            throw new CheckpointException(file, "is not a regular file (a pipe, device or socket); a checkpoint must "
                    + "be a .safetensors file");
        }
        return FileChannel.open(file, READ);
    }

    private static float[] values(Path file, FileChannel channel, long dataStart, Entry e,
            ByteBuffer buffer) throws IOException {
        int count = (int) e.elements();
        int size = e.dtype().size;
        float[] values = new float[count];
        int perChunk = buffer.capacity() / size;
        long position = dataStart + e.begin();
        for (int done = 0; done < count; ) {
            int n = Math.min(count - done, perChunk);
            buffer.clear().limit(n * size);
            Header.readFully(channel, buffer, position);
            buffer.flip();
            int outside = e.dtype().decode(buffer, values, done, n);
            if (outside >= 0) {
                throw new CheckpointException(file, "tensor '" + e.name() + "' has F64 element "
                        + outside + " = " + buffer.getDouble(8 * (outside - done))
                        + ", outside the float32 range");
            }
            position += (long) n * size;
            done += n;
        }
        return values;
    }

    private static byte[] header(Path file, String[] names, Tensor[] tensors, Map<String, String> metadata) {
        ObjectNode root = JSON.createObjectNode();
        if (!metadata.isEmpty()) {
            ObjectNode meta = root.putObject(Header.METADATA_KEY);
            metadata.forEach((key, value) -> {
                if (key == null || value == null) {
                    throw new CheckpointException(file, "metadata entry " + key + " = " + value
                            + " has a null key or value");
                }
                meta.put(key, value);
            });
        }
        long offset = 0;
        for (int i = 0; i < names.length; i++) {
            String name = names[i];
            if (name == null || name.equals(Header.METADATA_KEY)) {
                throw new CheckpointException(file, "tensor name " + (name == null ? "null" : "'" + name + "'")
                        + " is not allowed ('" + Header.METADATA_KEY + "' is reserved for metadata)");
            }
            if (tensors[i] == null) {
                throw new CheckpointException(file, "tensor '" + name + "' is null");
            }
            ObjectNode entry = root.putObject(name);
            entry.put("dtype", "F32");
            ArrayNode shape = entry.putArray("shape");
            for (long dim : tensors[i].shape()) {
                shape.add(dim);
            }
            long bytes = 4L * tensors[i].values().length;
            entry.putArray("data_offsets").add(offset).add(offset + bytes);
            offset += bytes;
        }
        byte[] json;
        try {
            json = JSON.writeValueAsBytes(root);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("serialising a JSON tree failed", e);
        }
        // The reference writer pads with spaces so that the data section is 8-byte aligned.
        int padded = (int) Math.min(Integer.MAX_VALUE, (json.length + 7L) / 8 * 8);
        if (padded > Header.MAX_HEADER_BYTES) {
            throw new CheckpointException(file, "header would be " + padded + " bytes, over the limit of "
                    + Header.MAX_HEADER_BYTES + " bytes");
        }
        byte[] header = Arrays.copyOf(json, padded);
        Arrays.fill(header, json.length, padded, (byte) ' ');
        return header;
    }

    private static void writeAtomically(Path target, byte[] header, Tensor[] tensors,
            UnaryOperator<WritableByteChannel> sink) throws IOException {
        Path dir = target.getParent();
        Path temp = null;
        try {
            FileChannel channel = null;
            for (int attempt = 0; channel == null; attempt++) {
                Path candidate = dir.resolve("." + target.getFileName() + "."
                        + ProcessHandle.current().pid() + "." + TEMP_FILES.incrementAndGet() + ".tmp");
                try {
                    channel = FileChannel.open(candidate, CREATE_NEW, WRITE);
                    temp = candidate;
                } catch (FileAlreadyExistsException e) {
                    // left by a killed process that had the same pid; try the next number
                    if (attempt >= 100) {
                        throw e;
                    }
                }
            }
            try (FileChannel file = channel) {
                WritableByteChannel out = sink.apply(file);
                ByteBuffer buffer = ByteBuffer.allocate(CHUNK_BYTES).order(ByteOrder.LITTLE_ENDIAN);
                buffer.putLong(header.length).flip();
                writeAll(out, buffer);
                writeAll(out, ByteBuffer.wrap(header));
                for (Tensor t : tensors) {
                    float[] values = t.values();
                    for (int done = 0; done < values.length; ) {
                        int n = Math.min(values.length - done, CHUNK_BYTES / 4);
                        buffer.clear();
                        buffer.asFloatBuffer().put(values, done, n);
                        buffer.limit(4 * n);
                        writeAll(out, buffer);
                        done += n;
                    }
                }
                file.force(true);
            }
            Files.move(temp, target, ATOMIC_MOVE, REPLACE_EXISTING);
        } catch (Throwable t) {
            if (temp != null) {
                try {
                    Files.deleteIfExists(temp);
                } catch (IOException e) {
                    t.addSuppressed(e);
                }
            }
            throw t;
        }
        syncDirectory(dir);
    }

    private static void writeAll(WritableByteChannel out, ByteBuffer buffer) throws IOException {
        while (buffer.hasRemaining()) {
            out.write(buffer);
        }
    }

    /** Makes the rename durable where the platform allows opening a directory (POSIX; not Windows). */
    private static void syncDirectory(Path dir) {
        try (FileChannel d = FileChannel.open(dir, READ)) {
            d.force(true);
        } catch (IOException e) {
            // The checkpoint is complete and in place; only the rename's durability across a power
            // cut is not guaranteed where directories cannot be opened or synced.
        }
    }

    private static String describe(IOException e) {
        if (e instanceof NoSuchFileException) {
            return "no such file";
        }
        return e.getClass().getSimpleName() + (e.getMessage() == null ? "" : ": " + e.getMessage());
    }
}
