package org.vitbench.datasets.folder;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.vitbench.api.ConfigurationException;
import org.vitbench.api.Dataset;
import org.vitbench.api.Parameters;
import org.vitbench.api.Sample;

class ImageFolderProviderTest {

    @TempDir
    Path root;

    private final ImageFolderProvider provider = new ImageFolderProvider();

    private Dataset open(String... keyValues) {
        Map<String, String> values = new HashMap<>();
        for (int i = 0; i < keyValues.length; i += 2) {
            values.put(keyValues[i], keyValues[i + 1]);
        }
        return provider.open(Parameters.of(ImageFolderProvider.ID, values));
    }

    private static int red(int y, int x) {
        return 60 * x + y;
    }

    private static int green(int y, int x) {
        return 255 - 50 * y;
    }

    private static int blue(int y, int x) {
        return (x * y * 17) % 256;
    }

    /** A 4 x 4 RGB PNG with channel values {@link #red}, {@link #green}, {@link #blue}. */
    private static Path rgbPng(Path file) throws IOException {
        BufferedImage image = new BufferedImage(4, 4, BufferedImage.TYPE_INT_RGB);
        for (int y = 0; y < 4; y++) {
            for (int x = 0; x < 4; x++) {
                image.setRGB(x, y, red(y, x) << 16 | green(y, x) << 8 | blue(y, x));
            }
        }
        Files.createDirectories(file.getParent());
        ImageIO.write(image, "png", file.toFile());
        return file;
    }

    /** A 4 x 4 8-bit grey PNG with values {@code 16 y + 15 x}. */
    private static Path greyPng(Path file) throws IOException {
        BufferedImage image = new BufferedImage(4, 4, BufferedImage.TYPE_BYTE_GRAY);
        for (int y = 0; y < 4; y++) {
            for (int x = 0; x < 4; x++) {
                image.getRaster().setSample(x, y, 0, 16 * y + 15 * x);
            }
        }
        Files.createDirectories(file.getParent());
        ImageIO.write(image, "png", file.toFile());
        return file;
    }

    @Test
    void readsSortedClassFoldersWithExactPixels() throws IOException {
        rgbPng(root.resolve("dog").resolve("b.png"));
        rgbPng(root.resolve("dog").resolve("a.PNG"));
        rgbPng(root.resolve("cat").resolve("z.png"));
        Files.writeString(root.resolve("cat").resolve("notes.txt"), "not an image");
        Files.createDirectories(root.resolve(".ipynb_checkpoints"));

        Dataset dataset = open("dir", root.toString(), "size", "4");
        assertEquals(List.of("cat", "dog"), dataset.classNames());
        assertEquals(3, dataset.size());
        assertEquals("image-folder/" + root.getFileName(), dataset.name());
        assertEquals(List.of("image-folder/cat/z.png", "image-folder/dog/a.PNG", "image-folder/dog/b.png"),
                List.of(dataset.get(0).id(), dataset.get(1).id(), dataset.get(2).id()));
        assertEquals(List.of(0, 1, 1), List.of(dataset.get(0).label(), dataset.get(1).label(), dataset.get(2).label()));

        Sample sample = dataset.get(2);
        assertEquals(3, sample.image().channels());
        float[] pixels = sample.image().pixels();
        for (int y = 0; y < 4; y++) {
            for (int x = 0; x < 4; x++) {
                assertEquals(red(y, x) / 255f, pixels[y * 4 + x]);
                assertEquals(green(y, x) / 255f, pixels[16 + y * 4 + x]);
                assertEquals(blue(y, x) / 255f, pixels[32 + y * 4 + x]);
            }
        }
    }

    @Test
    void keepsStoredGreyValuesAndRepeatsThemForRgb() throws IOException {
        greyPng(root.resolve("only").resolve("g.png"));
        float[] one = open("dir", root.toString(), "size", "4", "channels", "1").get(0).image().pixels();
        float[] three = open("dir", root.toString(), "size", "4").get(0).image().pixels();
        for (int y = 0; y < 4; y++) {
            for (int x = 0; x < 4; x++) {
                float expected = (16 * y + 15 * x) / 255f;
                assertEquals(expected, one[y * 4 + x]);
                for (int c = 0; c < 3; c++) {
                    assertEquals(expected, three[c * 16 + y * 4 + x]);
                }
            }
        }
    }

    /** PIL's {@code convert("L")}: pure red, green and blue become 76, 150 and 29. */
    @Test
    void convertsColourToGreyWithPillowsLuma() throws IOException {
        BufferedImage image = new BufferedImage(3, 1, BufferedImage.TYPE_INT_RGB);
        image.setRGB(0, 0, 0xff0000);
        image.setRGB(1, 0, 0x00ff00);
        image.setRGB(2, 0, 0x0000ff);
        float[] grey = ImageDecoder.convert(image, 1).pixels();
        assertEquals(76 / 255f, grey[0]);
        assertEquals(150 / 255f, grey[1]);
        assertEquals(29 / 255f, grey[2]);
    }

    @Test
    void resizesToTheRequestedSize() throws IOException {
        BufferedImage image = new BufferedImage(16, 8, BufferedImage.TYPE_INT_RGB);
        for (int y = 0; y < 8; y++) {
            for (int x = 0; x < 16; x++) {
                image.setRGB(x, y, 0x804020);
            }
        }
        Path file = root.resolve("c").resolve("wide.jpg");
        Files.createDirectories(file.getParent());
        ImageIO.write(image, "png", file.toFile()); // the extension chooses nothing; ImageIO reads the content
        Sample sample = open("dir", root.toString(), "size", "4", "interpolation", "bicubic").get(0);
        assertEquals(3, sample.image().channels());
        assertEquals(4, sample.image().height());
        assertEquals(4, sample.image().width());
        for (int i = 0; i < 16; i++) {
            assertEquals(0x80 / 255f, sample.image().pixels()[i]);
            assertEquals(0x40 / 255f, sample.image().pixels()[16 + i]);
            assertEquals(0x20 / 255f, sample.image().pixels()[32 + i]);
        }
    }

    @Test
    void namesTheFileThatCannotBeDecoded() throws IOException {
        rgbPng(root.resolve("a").resolve("good.png"));
        Path bad = Files.writeString(root.resolve("a").resolve("bad.png"), "this is not a PNG");
        Dataset dataset = open("dir", root.toString(), "size", "4");
        assertEquals(2, dataset.size());
        assertEquals("image-folder/a/good.png", dataset.get(1).id());
        String message = assertThrows(ConfigurationException.class, () -> dataset.get(0)).getMessage();
        assertEquals("cannot decode image " + bad + ": no PNG or JPEG reader recognises it; re-save it as PNG or JPEG,"
                + " or remove it", message);
    }

    @Test
    void rejectsMissingOrEmptyFolders() throws IOException {
        Path missing = root.resolve("missing");
        assertEquals("image folder " + missing + " does not exist; pass dir= a folder with one sub-folder of PNG or"
                + " JPEG images per class", assertThrows(ConfigurationException.class,
                        () -> open("dir", missing.toString(), "size", "4")).getMessage());

        rgbPng(root.resolve("loose.png"));
        assertTrue(assertThrows(ConfigurationException.class, () -> open("dir", root.toString(), "size", "4"))
                .getMessage().startsWith("image folder " + root + " has no class sub-folders; put the images of each"
                        + " class in a sub-folder named after the class"));

        rgbPng(root.resolve("cat").resolve("1.png"));
        Files.createDirectories(root.resolve("dog"));
        Files.writeString(root.resolve("dog").resolve("readme.txt"), "no images here");
        assertEquals("class folder " + root.resolve("dog") + " of image folder " + root + " holds no PNG or JPEG images"
                + " (.png, .jpg, .jpeg); add images or remove the folder", assertThrows(ConfigurationException.class,
                        () -> open("dir", root.toString(), "size", "4")).getMessage());
    }

    @Test
    void rejectsMissingAndInvalidParameters() {
        String dir = root.toString();
        assertTrue(assertThrows(ConfigurationException.class, () -> open("size", "4")).getMessage()
                .startsWith("parameter 'dir' of image-folder is required"));
        assertTrue(assertThrows(ConfigurationException.class, () -> open("dir", dir)).getMessage()
                .startsWith("parameter 'size' of image-folder is required"));
        assertEquals("invalid value '0' for parameter 'size' of image-folder; allowed: an integer from 1 to 4096",
                assertThrows(ConfigurationException.class, () -> open("dir", dir, "size", "0")).getMessage());
        assertEquals("invalid value '2' for parameter 'channels' of image-folder; allowed: one of 1, 3",
                assertThrows(ConfigurationException.class, () -> open("dir", dir, "size", "4", "channels", "2"))
                        .getMessage());
        assertEquals("invalid value 'nearest' for parameter 'interpolation' of image-folder; allowed: one of bicubic,"
                + " bilinear", assertThrows(ConfigurationException.class,
                        () -> open("dir", dir, "size", "4", "interpolation", "nearest")).getMessage());
        assertEquals("unknown parameter 'crop' for image-folder; allowed: channels, crop-pct, dir, interpolation, masks, resize, size",
                assertThrows(ConfigurationException.class, () -> open("dir", dir, "size", "4", "crop", "1"))
                        .getMessage());
    }
}
