package org.vitbench.models.checkpoint;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The parsed and fully validated header of a safetensors file: tensor entries in header order,
 * the {@code __metadata__} strings, and where the data section starts.
 *
 * <p>Validation is that of the reference implementation's {@code read_metadata} and
 * {@code Metadata::validate}, with a message per problem instead of one error kind; after it,
 * every entry's byte range lies inside the file, and the ranges tile the data section exactly.
 */
final class Header {

    /** The header size limit of the reference implementation ({@code MAX_HEADER_SIZE}). */
    static final long MAX_HEADER_BYTES = 100_000_000L;

    static final String METADATA_KEY = "__metadata__";

    // Jackson's default limits on string and name length are below what a valid header may hold.
    private static final JsonFactory JSON = JsonFactory.builder()
            .streamReadConstraints(StreamReadConstraints.builder()
                    .maxStringLength((int) MAX_HEADER_BYTES).maxNameLength((int) MAX_HEADER_BYTES).build())
            .build();
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;
    private static final Set<String> FIELDS = Set.of("dtype", "shape", "data_offsets");

    /** One tensor: its byte range {@code [begin, end)} is relative to the data section. */
    record Entry(String name, Dtype dtype, long[] shape, long elements, long begin, long end) {}

    private final Path file;
    private final Map<String, String> metadata = new LinkedHashMap<>();
    private final List<Entry> entries = new ArrayList<>();
    private long dataStart;

    private Header(Path file) {
        this.file = file;
    }

    /** Reads the length prefix and the header of {@code channel}, and checks them against its size. */
    static Header read(Path file, FileChannel channel) throws IOException {
        Header h = new Header(file);
        h.parse(channel);
        return h;
    }

    Map<String, String> metadata() {
        return Collections.unmodifiableMap(metadata);
    }

    List<Entry> entries() {
        return Collections.unmodifiableList(entries);
    }

    /** The file offset of the data section: 8 + the header length. */
    long dataStart() {
        return dataStart;
    }

    private void parse(FileChannel channel) throws IOException {
        long size = channel.size();
        if (size < 8) {
            throw fail("file is " + size + " bytes long, shorter than the 8-byte header length");
        }
        ByteBuffer prefix = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN);
        readFully(channel, prefix, 0);
        long n = prefix.getLong(0);
        // n is an unsigned 64-bit count: a negative long is above 2^63
        if (n < 0 || n > MAX_HEADER_BYTES) {
            throw fail("header length " + Long.toUnsignedString(n) + " bytes exceeds the limit of "
                    + MAX_HEADER_BYTES + " bytes");
        }
        if (n > size - 8) {
            throw fail("header length " + n + " bytes is larger than the file: only " + (size - 8)
                    + " bytes follow the 8-byte length");
        }
        ByteBuffer bytes = ByteBuffer.allocate((int) n);
        readFully(channel, bytes, 8);
        bytes.flip();
        dataStart = 8 + n;
        ObjectNode root = parseJson(decodeUtf8(bytes));
        long dataLength = size - dataStart;
        for (Map.Entry<String, JsonNode> field : root.properties()) {
            if (field.getKey().equals(METADATA_KEY)) {
                readMetadata(field.getValue());
            } else {
                entries.add(entry(field.getKey(), field.getValue(), dataLength));
            }
        }
        checkTiling(dataLength);
    }

    /** Fills {@code buffer} from {@code position} on; a short file is an {@link IOException}. */
    static void readFully(FileChannel channel, ByteBuffer buffer, long position)
            throws IOException {
        while (buffer.hasRemaining()) {
            int read = channel.read(buffer, position);
            if (read < 0) {
                throw new IOException("unexpected end of file at byte " + position
                        + " (was the file changed while it was read?)");
            }
            position += read;
        }
    }

    private String decodeUtf8(ByteBuffer bytes) {
        try {
            return StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(bytes).toString();
        } catch (CharacterCodingException e) {
            throw fail("header is not valid UTF-8 (byte " + (8 + bytes.position()) + " of the file)");
        }
    }

    private ObjectNode parseJson(String text) {
        try (JsonParser p = JSON.createParser(text)) {
            JsonToken first = p.nextToken();
            if (first == null) {
                throw fail("header is empty, expected a JSON object");
            }
            JsonNode root = value(p, null);
            if (p.nextToken() != null) {
                throw fail("header has content after its JSON object, at" + where(p.currentTokenLocation()));
            }
            if (!(root instanceof ObjectNode object)) {
                throw fail("header is not a JSON object but " + kind(root));
            }
            return object;
        } catch (JsonProcessingException e) {
            throw fail("header is not valid JSON: " + e.getOriginalMessage()
                    + (e.getLocation() == null ? "" : " at" + where(e.getLocation())));
        } catch (IOException e) {
            throw new IllegalStateException("reading JSON from a String failed", e);
        }
    }

    /** The value at the parser's current token; {@code entry} names the enclosing tensor entry. */
    private JsonNode value(JsonParser p, String entry) throws IOException {
        switch (p.currentToken()) {
            case START_OBJECT -> {
                ObjectNode object = NODES.objectNode();
                for (String key = p.nextFieldName(); key != null; key = p.nextFieldName()) {
                    if (object.has(key)) {
                        // Jackson, and serde for tensor names, keep the last duplicate silently;
                        // two readers of one file could then see different tensors.
                        throw fail("header has the key '" + key + "' twice"
                                + (entry == null ? "" : " in entry '" + entry + "'"));
                    }
                    p.nextToken();
                    object.set(key, value(p, entry == null ? key : entry));
                }
                return object;
            }
            case START_ARRAY -> {
                ArrayNode array = NODES.arrayNode();
                while (p.nextToken() != JsonToken.END_ARRAY) {
                    array.add(value(p, entry));
                }
                return array;
            }
            case VALUE_STRING -> {
                return NODES.textNode(p.getText());
            }
            case VALUE_NUMBER_INT -> {
                return p.getNumberType() == JsonParser.NumberType.BIG_INTEGER
                        ? NODES.numberNode(p.getBigIntegerValue()) : NODES.numberNode(p.getLongValue());
            }
            case VALUE_NUMBER_FLOAT -> {
                return NODES.numberNode(p.getDecimalValue());
            }
            case VALUE_TRUE, VALUE_FALSE -> {
                return NODES.booleanNode(p.getBooleanValue());
            }
            case VALUE_NULL -> {
                return NODES.nullNode();
            }
            default -> throw fail("header has an unexpected JSON token " + p.currentToken());
        }
    }

    private void readMetadata(JsonNode node) {
        if (!node.isObject()) {
            throw fail("'" + METADATA_KEY + "' is " + kind(node) + ", expected an object of strings");
        }
        for (Map.Entry<String, JsonNode> field : node.properties()) {
            if (!field.getValue().isTextual()) {
                throw fail("'" + METADATA_KEY + "' value of '" + field.getKey() + "' is "
                        + kind(field.getValue()) + ", expected a string");
            }
            metadata.put(field.getKey(), field.getValue().textValue());
        }
    }

    private Entry entry(String name, JsonNode node, long dataLength) {
        String where = "tensor '" + name + "'";
        if (!node.isObject()) {
            throw fail(where + " is " + kind(node) + ", expected an object with dtype, shape and data_offsets");
        }
        for (Map.Entry<String, JsonNode> property : node.properties()) {
            String field = property.getKey();
            if (!FIELDS.contains(field)) {
                throw fail(where + " has an unknown field '" + field
                        + "'; allowed are dtype, shape, data_offsets");
            }
        }
        JsonNode dtypeNode = required(node, "dtype", where);
        if (!dtypeNode.isTextual()) {
            throw fail(where + ": 'dtype' is " + kind(dtypeNode) + ", expected a string such as \"F32\"");
        }
        Dtype dtype = Dtype.byName(dtypeNode.textValue());
        if (dtype == null) {
            throw fail(where + " has unknown dtype '" + dtypeNode.textValue()
                    + "'; vitbench loads floating-point tensors only (" + Dtype.READABLE_NAMES + ")");
        }
        long[] shape = longs(required(node, "shape", where), where + ": 'shape'", -1);
        for (long dim : shape) {
            if (dim < 0) {
                throw fail(where + " has a negative dimension " + dim + " in shape " + Arrays.toString(shape));
            }
        }
        long[] offsets = longs(required(node, "data_offsets", where), where + ": 'data_offsets'", 2);
        long begin = offsets[0];
        long end = offsets[1];
        if (begin < 0 || begin > end) {
            throw fail(where + " has data_offsets " + Arrays.toString(offsets)
                    + "; expected [begin, end] with 0 <= begin <= end");
        }
        long elements;
        long bytes;
        try {
            elements = 1;
            for (long dim : shape) {
                elements = Math.multiplyExact(elements, dim);
            }
            bytes = Math.multiplyExact(elements, dtype.size);
        } catch (ArithmeticException e) {
            throw fail(where + " has shape " + Arrays.toString(shape) + " whose byte size overflows 64 bits");
        }
        if (end - begin != bytes) {
            throw fail(where + " has dtype " + dtype + " and shape " + Arrays.toString(shape) + " ("
                    + elements + " elements, " + bytes + " bytes) but data_offsets "
                    + Arrays.toString(offsets) + " span " + (end - begin) + " bytes");
        }
        if (end > dataLength) {
            throw fail("file is truncated: " + where + " needs bytes [" + begin + ", " + end
                    + ") of the data section but it has only " + dataLength + " bytes");
        }
        return new Entry(name, dtype, shape, elements, begin, end);
    }

    private JsonNode required(JsonNode entry, String field, String where) {
        JsonNode value = entry.get(field);
        if (value == null) {
            throw fail(where + " has no '" + field + "'");
        }
        return value;
    }

    /** A JSON array of integers that fit in a long; {@code length} -1 allows any length. */
    private long[] longs(JsonNode node, String where, int length) {
        String expected = length < 0 ? "an array of integers" : "an array of " + length + " integers";
        if (!node.isArray() || (length >= 0 && node.size() != length)) {
            throw fail(where + " is " + node + ", expected " + expected);
        }
        long[] out = new long[node.size()];
        for (int i = 0; i < out.length; i++) {
            JsonNode item = node.get(i);
            if (!item.isIntegralNumber() || !item.canConvertToLong()) {
                throw fail(where + " is " + node + ", expected " + expected + " (item " + i
                        + " is " + (item.isIntegralNumber() ? "out of range" : kind(item)) + ")");
            }
            out[i] = item.longValue();
        }
        return out;
    }

    /** The spec requires the entries to cover the data section exactly: no overlap, hole or tail. */
    private void checkTiling(long dataLength) {
        List<Entry> byOffset = new ArrayList<>(entries);
        byOffset.sort(Comparator.comparingLong(Entry::begin).thenComparingLong(Entry::end));
        long covered = 0;
        Entry last = null;
        for (Entry e : byOffset) {
            if (e.begin() < covered) {
                throw fail("tensors '" + last.name() + "' (bytes " + range(last) + ") and '" + e.name()
                        + "' (bytes " + range(e) + ") overlap in the data section");
            }
            if (e.begin() > covered) {
                throw fail("bytes [" + covered + ", " + e.begin() + ") of the data section belong to"
                        + " no tensor (a hole before tensor '" + e.name() + "')");
            }
            covered = e.end();
            last = e;
        }
        if (covered != dataLength) {
            throw fail("bytes [" + covered + ", " + dataLength + ") of the data section are trailing"
                    + " bytes after the last tensor" + (last == null ? " (there is no tensor)" : " '" + last.name() + "'"));
        }
    }

    private static String where(JsonLocation location) {
        return " line " + location.getLineNr() + ", column " + location.getColumnNr();
    }

    private static String range(Entry e) {
        return "[" + e.begin() + ", " + e.end() + ")";
    }

    private static String kind(JsonNode node) {
        return switch (node.getNodeType()) {
            case OBJECT -> "an object";
            case ARRAY -> "an array";
            case STRING -> "a string";
            case NUMBER -> "a number";
            case BOOLEAN -> "a boolean";
            case NULL -> "null";
            default -> node.getNodeType().name().toLowerCase(java.util.Locale.ROOT);
        };
    }

    private CheckpointException fail(String problem) {
        return new CheckpointException(file, problem);
    }
}
