package org.vitbench.models.checkpoint;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.WritableByteChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.UnaryOperator;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Atomic replacement: a failed write leaves the previous file and no temporary file. */
class SafetensorsWriteTest {

    @TempDir
    Path dir;

    private static final Map<String, Tensor> OLD = Map.of("w", Tensor.of(new long[] {2}, 1f, 2f));
    private static final Map<String, Tensor> NEW = Map.of("w", Tensor.of(new long[] {3}, 7f, 8f, 9f),
            "b", Tensor.of(new long[0], 0.5f));

    @Test
    void overwritingReplacesTheFileAndLeavesNoTemporaryFile() throws IOException {
        Path file = dir.resolve("model.safetensors");
        Safetensors.write(file, OLD, null);
        Safetensors.write(file, NEW, Map.of("epoch", "2"));
        assertEquals(NEW, Safetensors.read(file));
        assertEquals(Map.of("epoch", "2"), Safetensors.metadata(file));
        assertEquals(List.of("model.safetensors"), listing());
    }

    @Test
    void anIoErrorMidWriteLeavesThePreviousFileAndRemovesTheTemporaryFile() throws IOException {
        Path file = dir.resolve("model.safetensors");
        Safetensors.write(file, OLD, null);
        byte[] before = Files.readAllBytes(file);
        AtomicReference<List<String>> duringWrite = new AtomicReference<>();

        // a disk that fills up after 100 bytes: the header is written, the data is not
        UnaryOperator<WritableByteChannel> diskFull = channel -> new WritableByteChannel() {
            private long written;

            @Override
            public int write(ByteBuffer src) throws IOException {
                if (written + src.remaining() > 100) {
                    duringWrite.set(listing());
                    throw new IOException("No space left on device (simulated)");
                }
                int n = channel.write(src);
                written += n;
                return n;
            }

            @Override
            public boolean isOpen() {
                return channel.isOpen();
            }

            @Override
            public void close() throws IOException {
                channel.close();
            }
        };
        UncheckedIOException e = assertThrows(UncheckedIOException.class,
                () -> Safetensors.write(file, NEW, Map.of("epoch", "2"), diskFull));

        assertEquals("cannot write checkpoint " + file + ": IOException: No space left on device"
                + " (simulated); any previous file is unchanged", e.getMessage());
        // the temporary file existed while writing, and is gone afterwards
        assertEquals(2, duringWrite.get().size(), duringWrite.get().toString());
        assertTrue(duringWrite.get().get(0).matches("\\.model\\.safetensors\\.\\d+\\.\\d+\\.tmp"),
                duringWrite.get().toString());
        assertArrayEquals(before, Files.readAllBytes(file));
        assertEquals(List.of("model.safetensors"), listing());
        assertEquals(OLD, Safetensors.read(file));
    }

    @Test
    void anIoErrorOnAFirstWriteLeavesNothing() {
        Path file = dir.resolve("model.safetensors");
        UnaryOperator<WritableByteChannel> broken = channel -> new WritableByteChannel() {
            @Override
            public int write(ByteBuffer src) throws IOException {
                throw new IOException("Input/output error (simulated)");
            }

            @Override
            public boolean isOpen() {
                return true;
            }

            @Override
            public void close() {}
        };
        assertThrows(UncheckedIOException.class, () -> Safetensors.write(file, NEW, null, broken));
        assertEquals(List.of(), listing());
    }

    @Test
    void invalidInputIsRejectedBeforeAnythingIsWritten() throws IOException {
        Path file = dir.resolve("model.safetensors");
        Safetensors.write(file, OLD, null);
        byte[] before = Files.readAllBytes(file);

        Map<String, Tensor> reserved = Map.of("__metadata__", Tensor.of(new long[] {1}, 1f));
        CheckpointException e = assertThrows(CheckpointException.class,
                () -> Safetensors.write(file, reserved, null));
        assertEquals("checkpoint " + file + ": tensor name '__metadata__' is not allowed"
                + " ('__metadata__' is reserved for metadata)", e.getMessage());

        Map<String, Tensor> nullTensor = new HashMap<>();
        nullTensor.put("w", null);
        e = assertThrows(CheckpointException.class, () -> Safetensors.write(file, nullTensor, null));
        assertEquals("checkpoint " + file + ": tensor 'w' is null", e.getMessage());

        Map<String, String> nullValue = new HashMap<>();
        nullValue.put("format", null);
        e = assertThrows(CheckpointException.class, () -> Safetensors.write(file, NEW, nullValue));
        assertEquals("checkpoint " + file + ": metadata entry format = null has a null key or value",
                e.getMessage());

        assertArrayEquals(before, Files.readAllBytes(file));
        assertEquals(List.of("model.safetensors"), listing());
    }

    @Test
    void aDirectoryIsNeverReplaced() throws IOException {
        Path target = Files.createDirectory(dir.resolve("model.safetensors"));
        CheckpointException e = assertThrows(CheckpointException.class,
                () -> Safetensors.write(target, NEW, null));
        assertEquals("checkpoint " + target + ": is a directory; a checkpoint must be a file", e.getMessage());
        assertTrue(Files.isDirectory(target));
        assertEquals(List.of("model.safetensors"), listing());
    }

    @Test
    void aMissingParentDirectoryFailsWithoutCreatingIt() {
        Path file = dir.resolve("absent").resolve("model.safetensors");
        UncheckedIOException e = assertThrows(UncheckedIOException.class,
                () -> Safetensors.write(file, NEW, null));
        assertTrue(e.getMessage().startsWith("cannot write checkpoint " + file + ": "), e.getMessage());
        assertEquals(List.of(), listing());
    }

    private List<String> listing() {
        try (Stream<Path> files = Files.list(dir)) {
            return files.map(p -> p.getFileName().toString()).sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
