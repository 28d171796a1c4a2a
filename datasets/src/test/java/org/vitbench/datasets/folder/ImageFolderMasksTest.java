package org.vitbench.datasets.folder;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.vitbench.api.ConfigurationException;
import org.vitbench.api.Dataset;
import org.vitbench.api.Parameters;
import org.vitbench.api.Sample;

/** Users' annotated images: a mask folder beside the image folder, prepared exactly as the images. */
class ImageFolderMasksTest {

    @TempDir
    Path root;

    private final ImageFolderProvider provider = new ImageFolderProvider();

    /** A {@code w x h} PNG whose pixels in columns {@code [x0, x1)} are {@code colour}, the rest black. */
    private static void png(Path file, int w, int h, int x0, int x1, int colour) throws IOException {
        BufferedImage image = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
        for (int y = 0; y < h; y++) {
            for (int x = x0; x < x1; x++) {
                image.setRGB(x, y, colour);
            }
        }
        Files.createDirectories(file.getParent());
        ImageIO.write(image, "png", file.toFile());
    }

    private Dataset open(String... extra) {
        Map<String, String> values = new java.util.HashMap<>(Map.of("dir", root.resolve("images").toString(),
                "size", "8", "interpolation", "bilinear"));
        for (int i = 0; i < extra.length; i += 2) {
            values.put(extra[i], extra[i + 1]);
        }
        return provider.open(Parameters.of(ImageFolderProvider.ID, values));
    }

    @Test
    void aMaskIsResizedAndCroppedAsItsImage() throws IOException {
        // a 32 x 16 image, white in its right half; the mask marks the same half (in a dark red, still the object)
        png(root.resolve("images/cat/a.jpg"), 32, 16, 16, 32, 0xffffff);
        png(root.resolve("masks/cat/a.png"), 32, 16, 16, 32, 0x010000);
        Dataset data = open("masks", root.resolve("masks").toString(), "channels", "1", "crop-pct", "0.5");
        assertTrue(data.hasMasks());
        Sample sample = data.get(0);
        float[] mask = sample.groundTruthMask().orElseThrow();
        float[] pixels = sample.image().pixels();
        for (int i = 0; i < mask.length; i++) {
            // the image's white half, after the same resize and crop, is exactly where the mask is on
            assertTrue(mask[i] == (pixels[i] >= 0.5f ? 1f : 0f), "pixel " + i + ": image " + pixels[i] + ", mask "
                    + mask[i]);
        }
        float[] row = new float[8];
        System.arraycopy(mask, 0, row, 0, 8);
        assertArrayEquals(new float[] {0, 0, 0, 0, 1, 1, 1, 1}, row, "the centre crop splits the two halves evenly");
    }

    @Test
    void withoutMasksTheDatasetHasNone() throws IOException {
        png(root.resolve("images/cat/a.png"), 8, 8, 0, 4, 0xffffff);
        Dataset data = open();
        assertFalse(data.hasMasks());
        assertTrue(data.get(0).groundTruthMask().isEmpty());
    }

    @Test
    void missingMasksAreNamedWhenTheFolderIsOpened() throws IOException {
        png(root.resolve("images/cat/a.png"), 8, 8, 0, 4, 0xffffff);
        png(root.resolve("images/dog/b.png"), 8, 8, 0, 4, 0xffffff);
        png(root.resolve("masks/cat/a.png"), 8, 8, 0, 4, 0xffffff);
        ConfigurationException e = assertThrows(ConfigurationException.class,
                () -> open("masks", root.resolve("masks").toString()));
        assertTrue(e.getMessage().startsWith("1 of 2 images have no mask"), e.getMessage());
        assertTrue(e.getMessage().contains(root.resolve("masks/dog/b.png").toString()), e.getMessage());
        ConfigurationException notDir = assertThrows(ConfigurationException.class,
                () -> open("masks", root.resolve("nowhere").toString()));
        assertTrue(notDir.getMessage().contains("is not a directory"), notDir.getMessage());
    }

    @Test
    void aMaskOfAnotherSizeIsRefusedNamingBothFiles() throws IOException {
        png(root.resolve("images/cat/a.png"), 8, 8, 0, 4, 0xffffff);
        png(root.resolve("masks/cat/a.png"), 8, 6, 0, 4, 0xffffff);
        Dataset data = open("masks", root.resolve("masks").toString());
        ConfigurationException e = assertThrows(ConfigurationException.class, () -> data.get(0));
        assertTrue(e.getMessage().contains("is 8x6 pixels, but its image"), e.getMessage());
        assertTrue(e.getMessage().contains("is 8x8"), e.getMessage());
    }
}
