package org.vitbench.models.checkpoint;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.vitbench.models.checkpoint.CheckpointBytes.concat;
import static org.vitbench.models.checkpoint.CheckpointBytes.f32;
import static org.vitbench.models.checkpoint.CheckpointBytes.f64;
import static org.vitbench.models.checkpoint.CheckpointBytes.file;
import static org.vitbench.models.checkpoint.CheckpointBytes.u64;
import static org.vitbench.models.checkpoint.CheckpointBytes.unsigned;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * One test per way a checkpoint can be malformed: each asserts the whole message, which names the
 * file and the key or byte range. Header problems are reported the same by {@code read} and
 * {@code metadata}.
 */
class SafetensorsMalformedTest {

    @TempDir
    Path dir;

    private static final String W = "{\"w\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[0,8]}}";

    @Test
    void aWellFormedBaselineIsAccepted() {
        // guards the fixtures below: each differs from this file in one respect
        assertEquals(Map.of("w", Tensor.of(new long[] {2}, 1f, 2f)), Safetensors.read(store(file(W, f32(1f, 2f)))));
    }

    @Test
    void fileShorterThanTheLengthPrefix() {
        assertRejected(unsigned(8, 0, 0, 0, 0), "file is 5 bytes long, shorter than the 8-byte header length");
    }

    @Test
    void headerLengthOverTheLimit() {
        assertRejected(concat(u64(100_000_001), new byte[16]),
                "header length 100000001 bytes exceeds the limit of 100000000 bytes");
    }

    @Test
    void headerLengthAboveTwoToTheSixtyThree() {
        assertRejected(concat(u64(-1L), new byte[16]),
                "header length 18446744073709551615 bytes exceeds the limit of 100000000 bytes");
    }

    @Test
    void headerLengthLargerThanTheFile() {
        assertRejected(concat(u64(64), "{\"w\":1}   ".getBytes()),
                "header length 64 bytes is larger than the file: only 10 bytes follow the 8-byte length");
    }

    @Test
    void headerNotValidJson() {
        String message = rejected(file("{\"w\": }"));
        assertTrue(message.contains(": header is not valid JSON: ") && message.endsWith(" at line 1, column 7"),
                message);
    }

    @Test
    void headerNotAnObject() {
        assertRejected(file("[1, 2]"), "header is not a JSON object but an array");
    }

    @Test
    void headerEmptyOrBlank() {
        assertRejected(file(""), "header is empty, expected a JSON object");
        assertRejected(file("        "), "header is empty, expected a JSON object");
    }

    @Test
    void headerWithContentAfterTheObject() {
        assertRejected(file("{}{}"), "header has content after its JSON object, at line 1, column 3");
    }

    @Test
    void headerNotUtf8() {
        // 0xFF never occurs in UTF-8; it is the third header byte, byte 10 of the file
        byte[] header = {'{', '"', (byte) 0xFF, '"', ':', '1', '}', ' '};
        assertRejected(concat(u64(8), header), "header is not valid UTF-8 (byte 10 of the file)");
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', quoteCharacter = '`', value = {
        "{\"w\":{\"shape\":[2],\"data_offsets\":[0,8]}}|dtype",
        "{\"w\":{\"dtype\":\"F32\",\"data_offsets\":[0,8]}}|shape",
        "{\"w\":{\"dtype\":\"F32\",\"shape\":[2]}}|data_offsets"})
    void entryMissingAField(String header, String field) {
        assertRejected(file(header, f32(1f, 2f)), "tensor 'w' has no '" + field + "'");
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', quoteCharacter = '`', value = {
        "{\"w\":\"F32\"}|tensor 'w' is a string, expected an object with dtype, shape and data_offsets",
        "{\"w\":{\"dtype\":32,\"shape\":[2],\"data_offsets\":[0,8]}}|tensor 'w': 'dtype' is a number, expected a string such as \"F32\"",
        "{\"w\":{\"dtype\":\"F32\",\"shape\":\"2\",\"data_offsets\":[0,8]}}|tensor 'w': 'shape' is \"2\", expected an array of integers",
        "{\"w\":{\"dtype\":\"F32\",\"shape\":[2.0],\"data_offsets\":[0,8]}}|tensor 'w': 'shape' is [2.0], expected an array of integers (item 0 is a number)",
        "{\"w\":{\"dtype\":\"F32\",\"shape\":[null],\"data_offsets\":[0,8]}}|tensor 'w': 'shape' is [null], expected an array of integers (item 0 is null)",
        "{\"w\":{\"dtype\":\"F32\",\"shape\":[100000000000000000000],\"data_offsets\":[0,8]}}|tensor 'w': 'shape' is [100000000000000000000], expected an array of integers (item 0 is out of range)",
        "{\"w\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[0,4,8]}}|tensor 'w': 'data_offsets' is [0,4,8], expected an array of 2 integers",
        "{\"w\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":{\"begin\":0}}}|tensor 'w': 'data_offsets' is {\"begin\":0}, expected an array of 2 integers",
        "{\"w\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[0,8],\"offsets\":[0,8]}}|tensor 'w' has an unknown field 'offsets'; allowed are dtype, shape, data_offsets",
        "{\"__metadata__\":[\"pt\"],\"w\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[0,8]}}|'__metadata__' is an array, expected an object of strings",
        "{\"__metadata__\":{\"epochs\":3},\"w\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[0,8]}}|'__metadata__' value of 'epochs' is a number, expected a string"})
    void entryWithWrongJsonTypes(String header, String problem) {
        assertRejected(file(header, f32(1f, 2f)), problem);
    }

    @Test
    void negativeDimension() {
        assertRejected(file("{\"w\":{\"dtype\":\"F32\",\"shape\":[2,-1],\"data_offsets\":[0,8]}}", f32(1f, 2f)),
                "tensor 'w' has a negative dimension -1 in shape [2, -1]");
    }

    @Test
    void offsetsWithBeginAfterEnd() {
        assertRejected(file("{\"w\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[8,0]}}", f32(1f, 2f)),
                "tensor 'w' has data_offsets [8, 0]; expected [begin, end] with 0 <= begin <= end");
    }

    @Test
    void offsetsWithNegativeBegin() {
        assertRejected(file("{\"w\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[-8,0]}}", f32(1f, 2f)),
                "tensor 'w' has data_offsets [-8, 0]; expected [begin, end] with 0 <= begin <= end");
    }

    @Test
    void byteCountDisagreesWithShapeAndDtype() {
        assertRejected(file("{\"w\":{\"dtype\":\"F32\",\"shape\":[2,3],\"data_offsets\":[0,20]}}", new byte[20]),
                "tensor 'w' has dtype F32 and shape [2, 3] (6 elements, 24 bytes) but data_offsets [0, 20] span 20 bytes");
    }

    @Test
    void shapeWhoseByteSizeOverflows() {
        assertRejected(file("{\"w\":{\"dtype\":\"F32\",\"shape\":[4294967296,4294967296],\"data_offsets\":[0,8]}}", new byte[8]),
                "tensor 'w' has shape [4294967296, 4294967296] whose byte size overflows 64 bits");
    }

    @Test
    void truncatedFile() {
        String header = "{\"a\":{\"dtype\":\"F32\",\"shape\":[4],\"data_offsets\":[0,16]},"
                + "\"b\":{\"dtype\":\"F32\",\"shape\":[4],\"data_offsets\":[16,32]}}";
        assertRejected(file(header, new byte[24]),
                "file is truncated: tensor 'b' needs bytes [16, 32) of the data section but it has only 24 bytes");
    }

    @Test
    void overlappingTensors() {
        String header = "{\"b\":{\"dtype\":\"F32\",\"shape\":[4],\"data_offsets\":[8,24]},"
                + "\"a\":{\"dtype\":\"F32\",\"shape\":[4],\"data_offsets\":[0,16]}}";
        assertRejected(file(header, new byte[24]),
                "tensors 'a' (bytes [0, 16)) and 'b' (bytes [8, 24)) overlap in the data section");
    }

    @Test
    void aZeroSizeTensorInsideAnotherOverlapsIt() {
        String header = "{\"a\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[0,8]},"
                + "\"z\":{\"dtype\":\"F32\",\"shape\":[0],\"data_offsets\":[4,4]}}";
        assertRejected(file(header, new byte[8]),
                "tensors 'a' (bytes [0, 8)) and 'z' (bytes [4, 4)) overlap in the data section");
    }

    @Test
    void holeBetweenTensors() {
        String header = "{\"a\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[0,8]},"
                + "\"b\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[12,20]}}";
        assertRejected(file(header, new byte[20]),
                "bytes [8, 12) of the data section belong to no tensor (a hole before tensor 'b')");
    }

    @Test
    void trailingBytesAfterTheLastTensor() {
        assertRejected(file(W, f32(1f, 2f), new byte[4]),
                "bytes [8, 12) of the data section are trailing bytes after the last tensor 'w'");
        assertRejected(file("{}", new byte[4]),
                "bytes [0, 4) of the data section are trailing bytes after the last tensor (there is no tensor)");
    }

    @Test
    void duplicateTensorKey() {
        String header = "{\"w\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[0,8]},"
                + "\"w\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[8,16]}}";
        assertRejected(file(header, new byte[16]), "header has the key 'w' twice");
    }

    @Test
    void duplicateKeyInsideAnEntry() {
        assertRejected(file("{\"w\":{\"dtype\":\"F16\",\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[0,8]}}", new byte[8]),
                "header has the key 'dtype' twice in entry 'w'");
    }

    @Test
    void unknownDtype() {
        assertRejected(file("{\"w\":{\"dtype\":\"Q7\",\"shape\":[2],\"data_offsets\":[0,8]}}", new byte[8]),
                "tensor 'w' has unknown dtype 'Q7'; vitbench loads floating-point tensors only (F32, F16, BF16, F64)");
    }

    @Test
    void integerTensorIsRefusedByReadButItsMetadataIsReadable() {
        Path file = store(file("{\"__metadata__\":{\"format\":\"pt\"},"
                + "\"ids\":{\"dtype\":\"I64\",\"shape\":[2],\"data_offsets\":[0,16]}}", new byte[16]));
        CheckpointException e = assertThrows(CheckpointException.class, () -> Safetensors.read(file));
        assertEquals("checkpoint " + file + ": tensor 'ids' has dtype I64; vitbench loads floating-point"
                + " tensors only (F32, F16, BF16, F64)", e.getMessage());
        assertEquals(file, e.file());
        assertEquals(Map.of("format", "pt"), Safetensors.metadata(file));
    }

    @Test
    void f64ValueBeyondTheFloatRange() {
        Path file = store(file("{\"d\":{\"dtype\":\"F64\",\"shape\":[3],\"data_offsets\":[0,24]}}",
                f64(1.0, -1e300, Double.POSITIVE_INFINITY)));
        CheckpointException e = assertThrows(CheckpointException.class, () -> Safetensors.read(file));
        assertEquals("checkpoint " + file + ": tensor 'd' has F64 element 1 = -1.0E300, outside the float32 range",
                e.getMessage());
    }

    @Test
    void missingFile() {
        Path file = dir.resolve("absent.safetensors");
        CheckpointException e = assertThrows(CheckpointException.class, () -> Safetensors.read(file));
        assertEquals("checkpoint " + file + ": cannot read: no such file", e.getMessage());
        e = assertThrows(CheckpointException.class, () -> Safetensors.metadata(file));
        assertEquals("checkpoint " + file + ": cannot read: no such file", e.getMessage());
    }

    @Test
    void directoryInsteadOfAFile() {
        CheckpointException e = assertThrows(CheckpointException.class, () -> Safetensors.read(dir));
        assertEquals("checkpoint " + dir + ": is a directory, expected a .safetensors file", e.getMessage());
    }

    /** Asserts that both {@code read} and {@code metadata} reject {@code content} with exactly {@code problem}. */
    private void assertRejected(byte[] content, String problem) {
        Path file = dir.resolve("bad.safetensors");
        assertEquals("checkpoint " + file + ": " + problem, rejected(content));
    }

    /** The message both {@code read} and {@code metadata} reject {@code content} with. */
    private String rejected(byte[] content) {
        Path file = store(content);
        CheckpointException onRead = assertThrows(CheckpointException.class, () -> Safetensors.read(file));
        CheckpointException onMetadata = assertThrows(CheckpointException.class, () -> Safetensors.metadata(file));
        assertEquals(onRead.getMessage(), onMetadata.getMessage());
        return onRead.getMessage();
    }

    private Path store(byte[] content) {
        Path file = dir.resolve("bad.safetensors");
        try {
            Files.write(file, content);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return file;
    }
}
