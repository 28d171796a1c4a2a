package org.vitbench.datasets.idx;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.vitbench.api.ConfigurationException;
import org.vitbench.api.Image;

class IdxReaderTest {

    @TempDir
    Path dir;

    /** 3 images of 2 x 4 pixels; byte k is {@code 37 k + 11 mod 256}, then pixel 0 is 255 and pixel 1 is 0. */
    private static byte[] pixels() {
        byte[] pixels = new byte[3 * 2 * 4];
        for (int k = 0; k < pixels.length; k++) {
            pixels[k] = (byte) (37 * k + 11);
        }
        pixels[0] = (byte) 255;
        pixels[1] = 0;
        return pixels;
    }

    /** An IDX file built by hand from the format's definition, independent of {@link IdxWriter}. */
    private static byte[] idx(int magic, int[] dims, byte[] data) {
        ByteBuffer buffer = ByteBuffer.allocate(4 + 4 * dims.length + data.length); // big-endian by default
        buffer.putInt(magic);
        for (int d : dims) {
            buffer.putInt(d);
        }
        return buffer.put(data).array();
    }

    private static byte[] gzip(byte[] data) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (GZIPOutputStream out = new GZIPOutputStream(bytes)) {
            out.write(data);
        }
        return bytes.toByteArray();
    }

    private Path file(String name, byte[] content) throws IOException {
        return Files.write(dir.resolve(name), content);
    }

    private static void assertPixels(byte[] expected, IdxImages images) {
        assertEquals(3, images.count());
        assertEquals(2, images.rows());
        assertEquals(4, images.cols());
        assertArrayEquals(expected, images.pixels());
        for (int i = 0; i < 3; i++) {
            Image image = images.image(i);
            assertEquals(1, image.channels());
            assertEquals(2, image.height());
            assertEquals(4, image.width());
            for (int k = 0; k < 8; k++) {
                assertEquals((expected[8 * i + k] & 0xff) / 255f, image.pixels()[k], "image " + i + " pixel " + k);
            }
        }
        assertEquals(1f, images.image(0).pixels()[0]);
        assertEquals(0f, images.image(0).pixels()[1]);
        // row 1, column 3 of image 2 is byte 2 * 8 + 1 * 4 + 3 = 23: 37 * 23 + 11 = 862 = 94 mod 256
        assertEquals(94, images.pixel(2, 1, 3));
        assertEquals(94 / 255f, images.image(2).pixels()[7]);
    }

    @Test
    void readsHandBuiltPlainAndGzipFiles() throws IOException {
        byte[] raw = idx(0x00000803, new int[] {3, 2, 4}, pixels());
        assertPixels(pixels(), IdxReader.readImages(file("plain", raw)));
        assertPixels(pixels(), IdxReader.readImages(file("packed", gzip(raw))));
        byte[] labels = {9, 0, (byte) 200};
        IdxLabels read = IdxReader.readLabels(file("labels.gz", gzip(idx(0x00000801, new int[] {3}, labels))));
        assertEquals(3, read.count());
        assertEquals(200, read.label(2));
    }

    @Test
    void detectsGzipByContentNotByName() throws IOException {
        Path gzipNamedPlain = dir.resolve("plain.gz");
        IdxWriter.writeImages(gzipNamedPlain, 2, 4, pixels(), false);
        Path plainNamedGzip = dir.resolve("packed.idx");
        IdxWriter.writeImages(plainNamedGzip, 2, 4, pixels(), true);
        assertEquals(0x00, Files.readAllBytes(gzipNamedPlain)[0]);
        assertEquals((byte) 0x1f, Files.readAllBytes(plainNamedGzip)[0]);
        assertPixels(pixels(), IdxReader.readImages(gzipNamedPlain));
        assertPixels(pixels(), IdxReader.readImages(plainNamedGzip));
    }

    @Test
    void writerProducesTheDocumentedLayout() throws IOException {
        Path plain = dir.resolve("images");
        IdxWriter.writeImages(plain, 2, 4, pixels(), false);
        assertArrayEquals(idx(0x00000803, new int[] {3, 2, 4}, pixels()), Files.readAllBytes(plain));
        Path labels = dir.resolve("labels");
        IdxWriter.writeLabels(labels, new byte[] {1, 2}, false);
        assertArrayEquals(new byte[] {0, 0, 8, 1, 0, 0, 0, 2, 1, 2}, Files.readAllBytes(labels));
    }

    @Test
    void readsHeaderWithoutData() throws IOException {
        Path images = dir.resolve("images.gz");
        IdxWriter.writeImages(images, 2, 4, pixels(), true);
        IdxHeader header = IdxReader.readHeader(images, IdxReader.IMAGES_MAGIC);
        assertArrayEquals(new int[] {3, 2, 4}, header.dims());
        assertEquals(3, header.count());
        assertEquals(24, header.dataBytes());
        assertEquals(16, header.headerBytes());
    }

    @Test
    void rejectsLabelFileReadAsImages() throws IOException {
        Path labels = dir.resolve("t10k-labels-idx1-ubyte.gz");
        IdxWriter.writeLabels(labels, new byte[] {1, 2, 3}, true);
        String message = assertThrows(ConfigurationException.class, () -> IdxReader.readImages(labels)).getMessage();
        assertEquals(labels + " is not an IDX image file: expected magic 0x00000803 (unsigned bytes, 3 dimensions),"
                + " found 0x00000801 (unsigned bytes, 1 dimension); check that the right file is given", message);
    }

    @Test
    void rejectsFileThatIsNotIdx() throws IOException {
        Path png = file("picture.png", new byte[] {(byte) 0x89, 'P', 'N', 'G', 13, 10, 26, 10});
        String message = assertThrows(ConfigurationException.class, () -> IdxReader.readLabels(png)).getMessage();
        assertTrue(message.startsWith(png + " is not an IDX label file: expected magic 0x00000801"), message);
        assertTrue(message.contains("found 0x89504E47 (not an IDX magic number"), message);
    }

    @Test
    void rejectsEmptyFile() throws IOException {
        Path empty = file("empty", new byte[0]);
        String message = assertThrows(ConfigurationException.class, () -> IdxReader.readImages(empty)).getMessage();
        assertTrue(message.startsWith(empty + " is too short to be an IDX file: expected a 4-byte magic 0x00000803"),
                message);
        assertTrue(message.contains("found 0 bytes"), message);
    }

    @Test
    void rejectsTruncatedHeader() throws IOException {
        byte[] raw = idx(0x00000803, new int[] {3, 2, 4}, pixels());
        Path cut = file("cut", Arrays.copyOf(raw, 6));
        String message = assertThrows(ConfigurationException.class, () -> IdxReader.readImages(cut)).getMessage();
        assertEquals(cut + " is truncated: its magic 0x00000803 announces 3 dimension sizes (12 bytes) but only 2 bytes"
                + " follow; obtain the file again", message);
    }

    @Test
    void rejectsTruncatedData() throws IOException {
        byte[] raw = idx(0x00000803, new int[] {3, 2, 4}, pixels());
        for (Path cut : new Path[] {file("cut", Arrays.copyOf(raw, raw.length - 5)),
                file("cut.gz", gzip(Arrays.copyOf(raw, raw.length - 5)))}) {
            String message = assertThrows(ConfigurationException.class, () -> IdxReader.readImages(cut)).getMessage();
            assertEquals(cut + " is truncated: its header announces [3 x 2 x 4] = 24 bytes of data but only 19 follow"
                    + " the 16-byte header; obtain the file again", message);
        }
    }

    @Test
    void rejectsDataBeyondTheHeader() throws IOException {
        byte[] raw = idx(0x00000801, new int[] {3}, new byte[] {1, 2, 3, 4});
        Path longer = file("labels", raw);
        String message = assertThrows(ConfigurationException.class, () -> IdxReader.readLabels(longer)).getMessage();
        assertEquals(longer + " is corrupt: more than the 3 bytes its header announces ([3]) follow the 8-byte header;"
                + " obtain the file again", message);
    }

    @Test
    void rejectsTruncatedGzipStream() throws IOException {
        byte[] packed = gzip(idx(0x00000803, new int[] {3, 2, 4}, pixels()));
        Path cut = file("images.gz", Arrays.copyOf(packed, packed.length / 2));
        String message = assertThrows(ConfigurationException.class, () -> IdxReader.readImages(cut)).getMessage();
        assertTrue(message.startsWith(cut + " is a corrupt or truncated gzip file ("), message);
        assertTrue(message.endsWith("); obtain the file again"), message);
    }

    @Test
    void rejectsImpossibleDimensions() throws IOException {
        Path huge = file("huge", idx(0x00000803, new int[] {60000, 60000, 28}, new byte[0]));
        String message = assertThrows(ConfigurationException.class, () -> IdxReader.readImages(huge)).getMessage();
        assertTrue(message.startsWith(huge + " announces dimensions [60000, 60000, 28], more than the"), message);
        Path negative = file("negative", idx(0x00000801, new int[] {-1}, new byte[0]));
        message = assertThrows(ConfigurationException.class, () -> IdxReader.readLabels(negative)).getMessage();
        assertTrue(message.startsWith(negative + " announces dimensions [4294967295]"), message);
    }

    @Test
    void rejectsMissingFile() {
        Path missing = dir.resolve("missing.gz");
        String message = assertThrows(ConfigurationException.class, () -> IdxReader.readImages(missing)).getMessage();
        assertEquals("cannot read " + missing + ": no such file", message);
    }

    @Test
    void rejectsImagesAndLabelsOfDifferentCounts() throws IOException {
        Path images = dir.resolve("images.gz");
        IdxWriter.writeImages(images, 2, 4, pixels(), true);
        Path labels = dir.resolve("labels.gz");
        IdxWriter.writeLabels(labels, new byte[] {1, 2}, true);
        String message = assertThrows(ConfigurationException.class, () -> LabelledImages.read(images, labels))
                .getMessage();
        assertEquals(images + " holds 3 images but " + labels + " holds 2 labels; an image file and its label file"
                + " must come from the same split and hold one label per image", message);
    }

    @Test
    void rejectsLabelsOutsideTheClasses() throws IOException {
        Path images = dir.resolve("images");
        IdxWriter.writeImages(images, 2, 4, pixels(), false);
        Path labels = dir.resolve("labels");
        IdxWriter.writeLabels(labels, new byte[] {9, (byte) 200, 10}, false);
        LabelledImages read = LabelledImages.read(images, labels);
        assertEquals(read, read.checkLabels(201));
        String message = assertThrows(ConfigurationException.class, () -> read.checkLabels(10)).getMessage();
        assertEquals("label 200 of sample 1 in " + labels + " is outside 0..9; the file does not belong to a dataset"
                + " with 10 classes", message);
    }
}
