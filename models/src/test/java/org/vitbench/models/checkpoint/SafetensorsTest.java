package org.vitbench.models.checkpoint;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.vitbench.models.checkpoint.CheckpointBytes.f32;
import static org.vitbench.models.checkpoint.CheckpointBytes.f64;
import static org.vitbench.models.checkpoint.CheckpointBytes.file;
import static org.vitbench.models.checkpoint.CheckpointBytes.u16;
import static org.vitbench.models.checkpoint.CheckpointBytes.unsigned;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Round trips, the written layout, the reference writer's bytes, and F16 / BF16 / F64 decoding. */
class SafetensorsTest {

    @TempDir
    Path dir;

    private static Map<String, Tensor> sample() {
        Map<String, Tensor> tensors = new LinkedHashMap<>();
        // not in alphabetical order, so that keeping the map's order is visible
        tensors.put("zeta", Tensor.of(new long[] {2, 3}, 1f, -0f, Float.MIN_VALUE, Float.MAX_VALUE,
                Float.NEGATIVE_INFINITY, Float.intBitsToFloat(0x7fc00001)));
        tensors.put("alpha.scalar", Tensor.of(new long[0], 3.25f));
        tensors.put("empty", Tensor.of(new long[] {2, 0, 3}));
        tensors.put("mid", Tensor.of(new long[] {4}, 0.1f, (float) Math.PI, -1e-30f, 65504f));
        return tensors;
    }

    @Test
    void roundTripKeepsNamesOrderShapesBitsAndMetadata() {
        Path file = dir.resolve("model.safetensors");
        Map<String, Tensor> tensors = sample();
        Map<String, String> metadata = new LinkedHashMap<>();
        metadata.put("format", "pt");
        metadata.put("note", "grüße, \"quoted\"\nand a second line");

        Safetensors.write(file, tensors, metadata);
        Map<String, Tensor> back = Safetensors.read(file);

        assertEquals(List.of("zeta", "alpha.scalar", "empty", "mid"), List.copyOf(back.keySet()));
        for (String name : tensors.keySet()) {
            Tensor expected = tensors.get(name);
            Tensor actual = back.get(name);
            assertEquals("F32", actual.dtype(), name);
            assertArrayEquals(expected.shape(), actual.shape(), name);
            assertArrayEquals(rawBits(expected.values()), rawBits(actual.values()), name);
        }
        assertEquals(0, back.get("alpha.scalar").rank());
        assertEquals(0, back.get("empty").values().length);
        assertEquals(tensors, back);
        assertEquals(metadata, Safetensors.metadata(file));
        assertEquals(List.of("format", "note"), List.copyOf(Safetensors.metadata(file).keySet()));
    }

    @Test
    void writtenLayoutIsContiguousInMapOrderWithASpacePaddedHeader() throws IOException {
        Path file = dir.resolve("model.safetensors");
        Safetensors.write(file, sample(), Map.of("format", "pt"));
        byte[] bytes = Files.readAllBytes(file);
        long n = ByteBuffer.wrap(bytes, 0, 8).order(ByteOrder.LITTLE_ENDIAN).getLong();
        String header = new String(bytes, 8, (int) n, StandardCharsets.UTF_8);

        assertEquals(0, n % 8);
        String json = header.stripTrailing();
        assertEquals(" ".repeat((int) n - json.length()), header.substring(json.length()));
        assertEquals(List.of("__metadata__", "zeta", "alpha.scalar", "empty", "mid"), fieldNames(json));
        JsonNode root = new ObjectMapper().readTree(json);
        assertEquals("[0,24]", root.get("zeta").get("data_offsets").toString());
        assertEquals("[24,28]", root.get("alpha.scalar").get("data_offsets").toString());
        assertEquals("[28,28]", root.get("empty").get("data_offsets").toString());
        assertEquals("[28,44]", root.get("mid").get("data_offsets").toString());
        assertEquals("[]", root.get("alpha.scalar").get("shape").toString());
        assertEquals(8 + n + 44, bytes.length);
        // the first data bytes are zeta[0] = 1.0f, little-endian
        assertArrayEquals(f32(1f), Arrays.copyOfRange(bytes, 8 + (int) n, 12 + (int) n));
    }

    // Test vectors of the reference implementation (huggingface/safetensors,
    // safetensors/src/tensor.rs: test_serialization, test_serialization_forced_alignement,
    // test_empty): the exact bytes its writer produces.
    @Test
    void writerProducesTheReferenceWritersBytes() throws IOException {
        Tensor attn = Tensor.of(new long[] {1, 2, 3}, 0f, 1f, 2f, 3f, 4f, 5f);
        byte[] data = unsigned(0, 0, 0, 0, 0, 0, 128, 63, 0, 0, 0, 64, 0, 0, 64, 64, 0, 0, 128, 64,
                0, 0, 160, 64);
        byte[] unpadded = file("{\"attn.0\":{\"dtype\":\"F32\",\"shape\":[1,2,3],\"data_offsets\":[0,24]}}", data);
        byte[] padded = file("{\"attn0\":{\"dtype\":\"F32\",\"shape\":[1,1,2,3],\"data_offsets\":[0,24]}}       ", data);
        byte[] empty = unsigned(8, 0, 0, 0, 0, 0, 0, 0, 123, 125, 32, 32, 32, 32, 32, 32);
        byte[] emptyWithMetadata = file("{\"__metadata__\":{\"framework\":\"pt\"}}     ");
        assertEquals(64 + 8 + 24, unpadded.length);
        assertEquals(72 + 8 + 24, padded.length);

        assertArrayEquals(unpadded, written(Map.of("attn.0", attn), null));
        assertArrayEquals(padded, written(Map.of("attn0", Tensor.of(new long[] {1, 1, 2, 3}, attn.values())), null));
        assertArrayEquals(empty, written(Map.of(), Map.of()));
        assertArrayEquals(emptyWithMetadata, written(Map.of(), Map.of("framework", "pt")));
    }

    @Test
    void readerLoadsTheReferenceWritersBytes() throws IOException {
        Path file = dir.resolve("reference.safetensors");
        Files.write(file, file("{\"attn.0\":{\"dtype\":\"F32\",\"shape\":[1,2,3],\"data_offsets\":[0,24]}}",
                f32(0f, 1f, 2f, 3f, 4f, 5f)));
        assertEquals(Map.of("attn.0", Tensor.of(new long[] {1, 2, 3}, 0f, 1f, 2f, 3f, 4f, 5f)),
                Safetensors.read(file));
        Files.write(file, unsigned(8, 0, 0, 0, 0, 0, 0, 0, 123, 125, 32, 32, 32, 32, 32, 32));
        assertEquals(Map.of(), Safetensors.read(file));
        assertEquals(Map.of(), Safetensors.metadata(file));
    }

    /** F64 at [0, 40), F16 at [40, 60), BF16 at [60, 76); the header lists them out of data order. */
    private Path mixedDtypes() throws IOException {
        String header = "{\"h\":{\"dtype\":\"F16\",\"shape\":[2,5],\"data_offsets\":[40,60]},"
                + "\"d\":{\"dtype\":\"F64\",\"shape\":[5],\"data_offsets\":[0,40]},"
                + "\"b\":{\"dtype\":\"BF16\",\"shape\":[8],\"data_offsets\":[60,76]}}";
        Path file = dir.resolve("mixed.safetensors");
        Files.write(file, file(header,
                f64(1.0 / 3.0, -2.5, 1e-50, 0.1, 16777217.0),
                u16(0x3C00, 0xC000, 0x3555, 0x7BFF, 0x0001, 0x0400, 0x8000, 0x7C00, 0xFC00, 0x7E00),
                u16(0x3F80, 0xC040, 0x3EAB, 0x7F7F, 0x0001, 0x8000, 0xFF80, 0x7FC0)));
        return file;
    }

    @Test
    void readsF16ExactlyIncludingSubnormalsSignedZeroInfinitiesAndNan() throws IOException {
        Tensor h = Safetensors.read(mixedDtypes()).get("h");
        assertEquals("F16", h.dtype());
        assertArrayEquals(new long[] {2, 5}, h.shape());
        // 0x3555: 2^(13-15) * (1 + 341/1024) = 1365/4096; 0x7BFF: the largest half, 65504;
        // 0x0001: the smallest subnormal, 2^-24; 0x0400: the smallest normal, 2^-14
        float[] expected = {1f, -2f, 1365f / 4096f, 65504f, 0x1p-24f, 0x1p-14f, -0f,
            Float.POSITIVE_INFINITY, Float.NEGATIVE_INFINITY, Float.intBitsToFloat(0x7fc00000)};
        assertArrayEquals(rawBits(expected), rawBits(h.values()));
    }

    @Test
    void readsBf16AsTheUpperHalfOfAFloat() throws IOException {
        Tensor b = Safetensors.read(mixedDtypes()).get("b");
        assertEquals("BF16", b.dtype());
        // 0x3EAB: 2^-2 * (1 + 43/128) = 171/512; 0x7F7F: the largest bf16, (2 - 2^-7) * 2^127;
        // 0x0001: the smallest bf16 subnormal, 2^-133
        float[] expected = {1f, -3f, 171f / 512f, 0x1.fep127f, 0x1p-133f, -0f,
            Float.NEGATIVE_INFINITY, Float.intBitsToFloat(0x7fc00000)};
        assertArrayEquals(rawBits(expected), rawBits(b.values()));
    }

    @Test
    void readsF64RoundedToNearestEven() throws IOException {
        Map<String, Tensor> tensors = Safetensors.read(mixedDtypes());
        assertEquals(List.of("h", "d", "b"), List.copyOf(tensors.keySet()));
        Tensor d = tensors.get("d");
        assertEquals("F64", d.dtype());
        // 1/3 -> 0x3EAAAAAB; 1e-50 underflows to +0; 0.1 -> 0x3DCCCCCD;
        // 2^24 + 1 lies halfway between 2^24 and 2^24 + 2 and rounds to the even 2^24
        float[] expected = {Float.intBitsToFloat(0x3EAAAAAB), -2.5f, 0f,
            Float.intBitsToFloat(0x3DCCCCCD), 16777216f};
        assertArrayEquals(rawBits(expected), rawBits(d.values()));
    }

    @Test
    void readsEveryFiniteHalfAcrossChunkBoundaries() throws IOException {
        // 600,000 halves = 1.2 MB, more than the 1 MiB read chunk; value i has bits i mod 0x7C00,
        // which walks through every non-negative finite half.
        int count = 600_000;
        int[] bits = new int[count];
        float[] expected = new float[count];
        for (int i = 0; i < count; i++) {
            bits[i] = i % 0x7C00;
            int exponent = bits[i] >> 10;
            int mantissa = bits[i] & 0x3FF;
            expected[i] = (float) (exponent == 0 ? Math.scalb((double) mantissa, -24)
                    : Math.scalb(1 + mantissa / 1024.0, exponent - 15));
        }
        Path file = dir.resolve("halves.safetensors");
        Files.write(file, file("{\"h\":{\"dtype\":\"F16\",\"shape\":[" + count + "],\"data_offsets\":[0,"
                + 2 * count + "]}}", u16(bits)));
        assertArrayEquals(rawBits(expected), rawBits(Safetensors.read(file).get("h").values()));
    }

    @Test
    void roundTripsATensorLargerThanOneChunk() {
        float[] values = new float[300_001];
        for (int i = 0; i < values.length; i++) {
            values[i] = Float.intBitsToFloat(0x3F800000 + i * 17);
        }
        Path file = dir.resolve("large.safetensors");
        Safetensors.write(file, Map.of("w", Tensor.of(new long[] {values.length}, values)), null);
        assertArrayEquals(rawBits(values), rawBits(Safetensors.read(file).get("w").values()));
    }

    @Test
    void readsANameLongerThanJacksonsDefaultLimit() throws IOException {
        // Jackson rejects names over 50,000 characters by default; the format allows any length
        String name = "w".repeat(60_000);
        Path file = dir.resolve("long.safetensors");
        Files.write(file, file("{\"" + name + "\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[0,4]}}", f32(2f)));
        assertEquals(Map.of(name, Tensor.of(new long[] {1}, 2f)), Safetensors.read(file));
    }

    private byte[] written(Map<String, Tensor> tensors, Map<String, String> metadata) throws IOException {
        Path file = dir.resolve("written.safetensors");
        Safetensors.write(file, tensors, metadata);
        return Files.readAllBytes(file);
    }

    private static int[] rawBits(float[] values) {
        int[] bits = new int[values.length];
        for (int i = 0; i < values.length; i++) {
            bits[i] = Float.floatToRawIntBits(values[i]);
        }
        return bits;
    }

    private static List<String> fieldNames(String json) throws IOException {
        List<String> names = new java.util.ArrayList<>();
        new ObjectMapper().readTree(json).properties().forEach(p -> names.add(p.getKey()));
        return names;
    }
}
