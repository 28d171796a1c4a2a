package org.vitbench.datasets.idx;

import java.io.BufferedInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Locale;
import java.util.zip.GZIPInputStream;
import java.util.zip.ZipException;
import org.vitbench.api.ConfigurationException;

/**
 * Reads unsigned-byte IDX files, plain or gzip-compressed (detected from the magic bytes
 * {@code 1f 8b}, not the name). Every problem with a file, including a truncated or corrupt gzip
 * stream and bytes after the announced data, is a {@link ConfigurationException} that names the
 * file, what was expected and what was found. Stateless and thread-safe.
 */
public final class IdxReader {

    /** Magic number of an image file: unsigned bytes, three dimensions {@code [n, rows, cols]}. */
    public static final int IMAGES_MAGIC = 0x00000803;
    /** Magic number of a label file: unsigned bytes, one dimension {@code [n]}. */
    public static final int LABELS_MAGIC = 0x00000801;

    private static final int BUFFER = 1 << 16;
    // Arrays near Integer.MAX_VALUE cannot be allocated by the JVM.
    private static final long MAX_DATA = Integer.MAX_VALUE - 8;

    private IdxReader() {
    }

    /**
     * Reads the magic number and dimensions of {@code file} without its data, checking the magic.
     *
     * @param expectedMagic {@link #IMAGES_MAGIC} or {@link #LABELS_MAGIC}
     */
    public static IdxHeader readHeader(Path file, int expectedMagic) {
        String source = file.toString();
        try (InputStream in = decompressed(Files.newInputStream(file))) {
            return header(in, source, expectedMagic);
        } catch (IOException e) {
            throw unreadable(source, e);
        }
    }

    /** Reads an image file ({@link #IMAGES_MAGIC}). */
    public static IdxImages readImages(Path file) {
        try {
            return readImages(Files.newInputStream(file), file.toString());
        } catch (IOException e) {
            throw unreadable(file.toString(), e);
        }
    }

    /** Reads a label file ({@link #LABELS_MAGIC}). */
    public static IdxLabels readLabels(Path file) {
        try {
            return readLabels(Files.newInputStream(file), file.toString());
        } catch (IOException e) {
            throw unreadable(file.toString(), e);
        }
    }

    /**
     * Reads an image file from {@code in}, which this method closes.
     *
     * @param source names the stream in error messages, e.g. a path or a class-path resource
     */
    public static IdxImages readImages(InputStream in, String source) {
        try (InputStream data = decompressed(in)) {
            IdxHeader header = header(data, source, IMAGES_MAGIC);
            int[] dims = header.dims();
            if (dims[1] == 0 || dims[2] == 0) {
                throw new ConfigurationException(source + " announces images of " + dims[1] + "x" + dims[2]
                        + " pixels; an IDX image file needs at least one row and one column");
            }
            return new IdxImages(source, dims[0], dims[1], dims[2], payload(data, header));
        } catch (IOException e) {
            throw unreadable(source, e);
        }
    }

    /**
     * Reads a label file from {@code in}, which this method closes.
     *
     * @param source names the stream in error messages, e.g. a path or a class-path resource
     */
    public static IdxLabels readLabels(InputStream in, String source) {
        try (InputStream data = decompressed(in)) {
            IdxHeader header = header(data, source, LABELS_MAGIC);
            return new IdxLabels(source, payload(data, header));
        } catch (IOException e) {
            throw unreadable(source, e);
        }
    }

    private static InputStream decompressed(InputStream raw) throws IOException {
        BufferedInputStream in = new BufferedInputStream(raw, BUFFER);
        in.mark(2);
        int b0 = in.read();
        int b1 = in.read();
        in.reset();
        return b0 == 0x1f && b1 == 0x8b ? new GZIPInputStream(in, BUFFER) : in;
    }

    private static IdxHeader header(InputStream in, String source, int expectedMagic) throws IOException {
        byte[] magicBytes = in.readNBytes(4);
        if (magicBytes.length < 4) {
            throw new ConfigurationException(source + " is too short to be an IDX file: expected a 4-byte magic "
                    + hex(expectedMagic) + " (" + describe(expectedMagic) + "), found " + magicBytes.length
                    + " bytes; the file is truncated or empty, obtain it again");
        }
        int magic = bigEndian(magicBytes, 0);
        if (magic != expectedMagic) {
            throw new ConfigurationException(source + " is not an IDX " + kind(expectedMagic) + " file: expected magic "
                    + hex(expectedMagic) + " (" + describe(expectedMagic) + "), found " + hex(magic) + " ("
                    + describe(magic) + "); check that the right file is given");
        }
        int rank = magic & 0xff;
        byte[] sizeBytes = in.readNBytes(4 * rank);
        if (sizeBytes.length < 4 * rank) {
            throw new ConfigurationException(source + " is truncated: its magic " + hex(magic) + " announces " + rank
                    + " dimension sizes (" + 4 * rank + " bytes) but only " + sizeBytes.length
                    + " bytes follow; obtain the file again");
        }
        long[] sizes = new long[rank];
        long total = 1;
        for (int d = 0; d < rank; d++) {
            sizes[d] = bigEndian(sizeBytes, 4 * d) & 0xffffffffL;
            // Saturate once over the limit (also for a huge size after a zero), so nothing overflows.
            total = total > MAX_DATA || sizes[d] > MAX_DATA ? Long.MAX_VALUE : total * sizes[d];
        }
        if (total > MAX_DATA) {
            throw new ConfigurationException(source + " announces dimensions " + Arrays.toString(sizes)
                    + ", more than the " + MAX_DATA + " bytes an array can hold; the file is corrupt");
        }
        int[] dims = new int[rank];
        for (int d = 0; d < rank; d++) {
            dims[d] = (int) sizes[d];
        }
        return new IdxHeader(source, magic, dims);
    }

    private static byte[] payload(InputStream in, IdxHeader header) throws IOException {
        int expected = (int) header.dataBytes();
        byte[] data = new byte[expected];
        int found = in.readNBytes(data, 0, expected);
        if (found < expected) {
            throw new ConfigurationException(header.source() + " is truncated: its header announces "
                    + shape(header.dims()) + " = " + expected + " bytes of data but only " + found
                    + " follow the " + header.headerBytes() + "-byte header; obtain the file again");
        }
        if (in.read() != -1) {
            throw new ConfigurationException(header.source() + " is corrupt: more than the " + expected
                    + " bytes its header announces (" + shape(header.dims()) + ") follow the "
                    + header.headerBytes() + "-byte header; obtain the file again");
        }
        return data;
    }

    private static ConfigurationException unreadable(String source, IOException e) {
        if (e instanceof ZipException || e instanceof EOFException) {
            // GZIPInputStream reports a cut-off stream as EOFException and bad data or CRC as ZipException.
            return new ConfigurationException(source + " is a corrupt or truncated gzip file (" + e.getMessage()
                    + "); obtain the file again", e);
        }
        String reason = e instanceof NoSuchFileException ? "no such file"
                : e instanceof AccessDeniedException ? "permission denied" : e.toString();
        return new ConfigurationException("cannot read " + source + ": " + reason, e);
    }

    private static int bigEndian(byte[] b, int at) {
        return (b[at] & 0xff) << 24 | (b[at + 1] & 0xff) << 16 | (b[at + 2] & 0xff) << 8 | (b[at + 3] & 0xff);
    }

    static String hex(int magic) {
        return String.format(Locale.ROOT, "0x%08X", magic);
    }

    static String shape(int[] dims) {
        StringBuilder s = new StringBuilder("[");
        for (int d = 0; d < dims.length; d++) {
            s.append(d == 0 ? "" : " x ").append(dims[d]);
        }
        return s.append(']').toString();
    }

    private static String kind(int magic) {
        return magic == IMAGES_MAGIC ? "image" : magic == LABELS_MAGIC ? "label" : describe(magic);
    }

    /** Explains a magic number, e.g. {@code unsigned bytes, 3 dimensions}. */
    private static String describe(int magic) {
        if ((magic >>> 16) != 0) {
            return "not an IDX magic number, whose first two bytes are zero";
        }
        int type = (magic >>> 8) & 0xff;
        int rank = magic & 0xff;
        String typeName = switch (type) {
            case 0x08 -> "unsigned bytes";
            case 0x09 -> "signed bytes";
            case 0x0B -> "16-bit integers";
            case 0x0C -> "32-bit integers";
            case 0x0D -> "32-bit floats";
            case 0x0E -> "64-bit floats";
            default -> String.format(Locale.ROOT, "unknown type 0x%02X", type);
        };
        return typeName + ", " + rank + (rank == 1 ? " dimension" : " dimensions");
    }
}
