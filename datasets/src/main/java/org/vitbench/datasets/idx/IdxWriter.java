package org.vitbench.datasets.idx;

import java.io.BufferedOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.GZIPOutputStream;

/**
 * Writes unsigned-byte IDX files that {@link IdxReader} reads back, plain or gzip-compressed.
 * Gzip output carries no file name and a zero modification time, so equal inputs give equal bytes
 * with a given zlib. Used by tests and by the embedded-subset generator. Stateless and thread-safe.
 */
public final class IdxWriter {

    private IdxWriter() {
    }

    /**
     * Writes an image file ({@link IdxReader#IMAGES_MAGIC}).
     *
     * @param pixels {@code [n, rows, cols]} row-major unsigned bytes; {@code n} is
     *     {@code pixels.length / (rows * cols)}
     * @param gzip whether to gzip the file
     * @throws IllegalArgumentException when {@code pixels} is not a whole number of images
     */
    public static void writeImages(Path file, int rows, int cols, byte[] pixels, boolean gzip) throws IOException {
        if (rows <= 0 || cols <= 0 || pixels.length % (rows * cols) != 0) {
            throw new IllegalArgumentException(pixels.length + " bytes are not a whole number of " + rows + "x"
                    + cols + " images");
        }
        write(file, IdxReader.IMAGES_MAGIC, new int[] {pixels.length / (rows * cols), rows, cols}, pixels, gzip);
    }

    /** Writes an image file holding {@code images}. */
    public static void writeImages(Path file, IdxImages images, boolean gzip) throws IOException {
        writeImages(file, images.rows(), images.cols(), images.pixels(), gzip);
    }

    /**
     * Writes a label file ({@link IdxReader#LABELS_MAGIC}).
     *
     * @param labels one unsigned byte per sample
     * @param gzip whether to gzip the file
     */
    public static void writeLabels(Path file, byte[] labels, boolean gzip) throws IOException {
        write(file, IdxReader.LABELS_MAGIC, new int[] {labels.length}, labels, gzip);
    }

    private static void write(Path file, int magic, int[] dims, byte[] data, boolean gzip) throws IOException {
        try (OutputStream raw = Files.newOutputStream(file);
                OutputStream packed = gzip ? new GZIPOutputStream(raw, 1 << 16) : raw;
                DataOutputStream out = new DataOutputStream(new BufferedOutputStream(packed, 1 << 16))) {
            out.writeInt(magic); // DataOutputStream is big-endian, as IDX requires
            for (int d : dims) {
                out.writeInt(d);
            }
            out.write(data);
        }
    }
}
