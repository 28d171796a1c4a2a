package org.vitbench.datasets.fashionmnist;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.vitbench.datasets.idx.IdxWriter;

/**
 * Writes small Fashion-MNIST-shaped IDX files whose every pixel is known: pixel (y, x) of image
 * {@code i} is {@code (97 i + 28 y + x) mod 256}, so values above 127 (negative as Java bytes)
 * occur in every image.
 */
public final class SyntheticFashionMnist {

    private SyntheticFashionMnist() {
    }

    /** The value, 0 to 255, of pixel (y, x) of image {@code index}. */
    public static int pixel(int index, int y, int x) {
        return (97 * index + 28 * y + x) % 256;
    }

    /** The default label of image {@code index}. */
    public static int label(int index) {
        return (3 * index) % 10;
    }

    /** Writes {@code count} images of {@code split} with labels {@link #label} into {@code dir}. */
    public static void write(Path dir, String split, int count, boolean gzip) throws IOException {
        byte[] labels = new byte[count];
        for (int i = 0; i < count; i++) {
            labels[i] = (byte) label(i);
        }
        write(dir, split, labels, gzip);
    }

    /** Writes one image per label with the given labels, under the published file names. */
    public static void write(Path dir, String split, byte[] labels, boolean gzip) throws IOException {
        Files.createDirectories(dir);
        String suffix = gzip ? ".gz" : "";
        writeImages(dir.resolve(FashionMnistFiles.imagesName(split) + suffix), labels.length, 28, 28, gzip);
        IdxWriter.writeLabels(dir.resolve(FashionMnistFiles.labelsName(split) + suffix), labels, gzip);
    }

    /** Writes {@code count} images of {@code rows x cols} with values {@link #pixel}. */
    public static void writeImages(Path file, int count, int rows, int cols, boolean gzip) throws IOException {
        byte[] pixels = new byte[count * rows * cols];
        for (int i = 0; i < count; i++) {
            for (int y = 0; y < rows; y++) {
                for (int x = 0; x < cols; x++) {
                    pixels[(i * rows + y) * cols + x] = (byte) pixel(i, y, x);
                }
            }
        }
        IdxWriter.writeImages(file, rows, cols, pixels, gzip);
    }
}
