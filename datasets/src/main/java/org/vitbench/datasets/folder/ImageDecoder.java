package org.vitbench.datasets.folder;

import java.awt.color.ColorSpace;
import java.awt.image.BufferedImage;
import java.awt.image.Raster;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Iterator;
import javax.imageio.ImageIO;
import javax.imageio.ImageReader;
import javax.imageio.stream.ImageInputStream;
import org.vitbench.api.ConfigurationException;
import org.vitbench.api.Image;

/**
 * Reads a PNG or JPEG file with {@link ImageIO} into an {@link Image} in [0, 1], converting
 * channels as PIL's {@code Image.convert} does, so that pixels match a timm / torchvision pipeline.
 *
 * <ul>
 *   <li>grey files keep their stored values (Java's own grey-to-RGB conversion would apply a gamma
 *       curve, PIL's does not) and are repeated over three channels when {@code channels == 3};
 *   <li>colour files become grey with PIL's ITU-R 601-2 luma
 *       {@code L = (19595 R + 38470 G + 7471 B + 32768) >> 16} when {@code channels == 1};
 *   <li>alpha is dropped, not composited, as by {@code convert("RGB")}.
 * </ul>
 *
 * Stateless and thread-safe.
 */
public final class ImageDecoder {

    private ImageDecoder() {
    }

    /**
     * Decodes {@code file} at its own size.
     *
     * @param channels 1 (grey) or 3 (RGB)
     * @return a {@code channels x height x width} image
     * @throws ConfigurationException naming the file when it cannot be read or decoded
     */
    public static Image read(Path file, int channels) {
        if (!Files.isRegularFile(file)) {
            throw new ConfigurationException("image " + file + " is not a regular file; remove it from the folder");
        }
        if (!Files.isReadable(file)) {
            throw new ConfigurationException("cannot read image " + file + ": permission denied; make it readable "
                    + "(chmod a+r) or remove it");
        }
        BufferedImage decoded;
        try {
            checkSize(file);
            decoded = ImageIO.read(file.toFile());
        } catch (IOException | RuntimeException e) {
            if (e instanceof ConfigurationException c) {
                throw c;
            }
            // ImageIO reports unsupported variants (e.g. CMYK JPEG) and some corrupt data as runtime errors.
            throw new ConfigurationException("cannot decode image " + file + ": " + e.getMessage()
                    + "; re-save it as an 8-bit RGB or grey PNG or JPEG, or remove it", e);
        }
        if (decoded == null) {
            throw new ConfigurationException("cannot decode image " + file + ": no PNG or JPEG reader recognises it;"
                    + " re-save it as PNG or JPEG, or remove it");
        }
        return convert(decoded, channels);
    }

    /**
     * The most pixels an image may declare: 8192 x 8192. Larger ones are refused from the header,
     * before decoding, since a small compressed file can declare a huge image (a 1.5 MB PNG of
     * 20000 x 20000 grey pixels decodes to gigabytes).
     */
    public static final long MAX_PIXELS = 8192L * 8192L;

    private static void checkSize(Path file) throws IOException {
        try (ImageInputStream in = ImageIO.createImageInputStream(file.toFile())) {
            Iterator<ImageReader> readers = in == null ? null : ImageIO.getImageReaders(in);
            if (readers == null || !readers.hasNext()) {
                return; // read() reports the unknown format
            }
            ImageReader reader = readers.next();
            try {
                reader.setInput(in, true, true);
                long pixels = (long) reader.getWidth(0) * reader.getHeight(0);
                if (pixels > MAX_PIXELS) {
                    throw new ConfigurationException("image " + file + " declares " + reader.getWidth(0) + " x "
                            + reader.getHeight(0) + " pixels, more than the limit of " + MAX_PIXELS
                            + " (8192 x 8192); scale it down before the run, or remove it");
                }
            } finally {
                reader.dispose();
            }
        }
    }

    /** Converts a decoded image as described in the class comment. */
    public static Image convert(BufferedImage image, int channels) {
        if (channels != 1 && channels != 3) {
            throw new IllegalArgumentException("channels must be 1 or 3, got " + channels);
        }
        int w = image.getWidth();
        int h = image.getHeight();
        int n = w * h;
        float[] out = new float[channels * n];
        if (image.getColorModel().getColorSpace().getType() == ColorSpace.TYPE_GRAY) {
            Raster raster = image.getRaster();
            double max = (1L << image.getColorModel().getComponentSize(0)) - 1;
            for (int y = 0; y < h; y++) {
                for (int x = 0; x < w; x++) {
                    int v = raster.getSample(x, y, 0);
                    float value = max == 255 ? v / 255f : (float) (v / max);
                    for (int c = 0; c < channels; c++) {
                        out[c * n + y * w + x] = value;
                    }
                }
            }
            return new Image(channels, h, w, out);
        }
        int[] argb = image.getRGB(0, 0, w, h, null, 0, w);
        for (int i = 0; i < n; i++) {
            int r = (argb[i] >> 16) & 0xff;
            int g = (argb[i] >> 8) & 0xff;
            int b = argb[i] & 0xff;
            if (channels == 3) {
                out[i] = r / 255f;
                out[n + i] = g / 255f;
                out[2 * n + i] = b / 255f;
            } else {
                out[i] = ((r * 19595 + g * 38470 + b * 7471 + 0x8000) >> 16) / 255f;
            }
        }
        return new Image(channels, h, w, out);
    }
}
