package org.vitbench.methods.cam;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import java.awt.color.ColorSpace;
import java.awt.image.BufferedImage;
import java.awt.image.Raster;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.stream.Stream;
import javax.imageio.ImageIO;
import org.vitbench.api.ConfigurationException;
import org.vitbench.api.ModelInfo;

/**
 * The PNG images that define a CDAM concept, decoded once with {@link ImageIO} to [0, 1] planes
 * and converted to a model's input on demand.
 *
 * <p>Grey files keep their stored values; colour files are read as RGB with alpha dropped. For a
 * one-channel model colour becomes grey with PIL's luma {@code 0.299 R + 0.587 G + 0.114 B}; for a
 * three-channel model grey is repeated. Each plane is then resized to the model's
 * {@code S x S} input bilinearly with half-pixel centres ({@code align_corners=False}, no
 * antialiasing, aspect ratio not kept): a plain resize rather than timm's resize and centre crop,
 * because the concept vector is an average of embeddings and the methods module does not depend on
 * the datasets module's PIL-exact pipeline. Immutable and thread-safe.
 */
final class ConceptImages {

    /** One decoded file: {@code channels} planes of {@code height * width} values. */
    private record Decoded(Path file, int channels, int height, int width, float[] pixels) {
    }

    private final Path dir;
    private final List<Decoded> images;

    private ConceptImages(Path dir, List<Decoded> images) {
        this.dir = dir;
        this.images = List.copyOf(images);
    }

    /**
     * Reads every {@code *.png} file of {@code dir} (not recursive, sorted by name).
     *
     * @throws ConfigurationException naming the directory, or the file, and the fix, when the
     *     directory is missing, holds no PNG file, or a file cannot be decoded
     */
    static ConceptImages load(Path dir, String owner) {
        String fix = "; set " + owner + ":concepts=<a directory of PNG images showing the concept>";
        if (!Files.isDirectory(dir)) {
            throw new ConfigurationException("concept directory " + dir.toAbsolutePath() + " of " + owner
                    + " does not exist or is not a directory" + fix);
        }
        List<Path> files;
        try (Stream<Path> list = Files.list(dir)) {
            files = list.filter(f -> Files.isRegularFile(f)
                            && f.getFileName().toString().toLowerCase(Locale.ROOT).endsWith(".png"))
                    .sorted().toList();
        } catch (IOException e) {
            throw new ConfigurationException("cannot list concept directory " + dir.toAbsolutePath() + " of "
                    + owner + ": " + e.getMessage() + fix, e);
        }
        if (files.isEmpty()) {
            throw new ConfigurationException("concept directory " + dir.toAbsolutePath() + " of " + owner
                    + " holds no .png image" + fix);
        }
        List<Decoded> decoded = new ArrayList<>();
        for (Path file : files) {
            decoded.add(decode(file, dir, owner));
        }
        return new ConceptImages(dir, decoded);
    }

    private static Decoded decode(Path file, Path dir, String owner) {
        BufferedImage image;
        try {
            image = ImageIO.read(file.toFile());
        } catch (IOException | RuntimeException e) {
            image = null;
        }
        if (image == null) {
            throw new ConfigurationException("cannot read concept image " + file.toAbsolutePath() + " in "
                    + dir.toAbsolutePath() + " of " + owner
                    + "; re-save it as an 8-bit grey or RGB PNG, or remove it from the directory");
        }
        int w = image.getWidth();
        int h = image.getHeight();
        int n = w * h;
        if (image.getColorModel().getColorSpace().getType() == ColorSpace.TYPE_GRAY) {
            // Raw samples, not getRGB: Java's grey-to-sRGB conversion would apply a gamma curve.
            Raster raster = image.getRaster();
            double max = (1L << image.getColorModel().getComponentSize(0)) - 1;
            float[] grey = new float[n];
            for (int y = 0; y < h; y++) {
                for (int x = 0; x < w; x++) {
                    grey[y * w + x] = (float) (raster.getSample(x, y, 0) / max);
                }
            }
            return new Decoded(file, 1, h, w, grey);
        }
        int[] argb = image.getRGB(0, 0, w, h, null, 0, w);
        float[] rgb = new float[3 * n];
        for (int i = 0; i < n; i++) {
            rgb[i] = ((argb[i] >> 16) & 0xff) / 255f;
            rgb[n + i] = ((argb[i] >> 8) & 0xff) / 255f;
            rgb[2 * n + i] = (argb[i] & 0xff) / 255f;
        }
        return new Decoded(file, 3, h, w, rgb);
    }

    /** The directory the images came from. */
    Path dir() {
        return dir;
    }

    /** Number of concept images. */
    int size() {
        return images.size();
    }

    /**
     * The images as a model input {@code [M, C, S, S]} in [0, 1] on {@code manager}.
     *
     * @throws ConfigurationException when the model has neither 1 nor 3 channels
     */
    NDArray stack(NDManager manager, ModelInfo info) {
        int c = info.channels();
        int s = info.imageSize();
        if (c != 1 && c != 3) {
            throw new ConfigurationException("concept images can be converted to 1 or 3 channels, but model "
                    + info.name() + " has " + c);
        }
        float[] data = new float[images.size() * c * s * s];
        for (int m = 0; m < images.size(); m++) {
            Decoded image = images.get(m);
            for (int ch = 0; ch < c; ch++) {
                float[] plane = resize(plane(image, c, ch), image.height(), image.width(), s);
                System.arraycopy(plane, 0, data, (m * c + ch) * s * s, s * s);
            }
        }
        return manager.create(data, new Shape(images.size(), c, s, s));
    }

    /** Channel {@code ch} of {@code image} converted to {@code channels} channels. */
    private static float[] plane(Decoded image, int channels, int ch) {
        int n = image.height() * image.width();
        float[] p = image.pixels();
        if (image.channels() == channels) {
            float[] out = new float[n];
            System.arraycopy(p, ch * n, out, 0, n);
            return out;
        }
        if (image.channels() == 1) { // grey -> RGB: repeat
            return p.clone();
        }
        float[] luma = new float[n]; // RGB -> grey, PIL's ITU-R 601-2 weights
        for (int i = 0; i < n; i++) {
            luma[i] = 0.299f * p[i] + 0.587f * p[n + i] + 0.114f * p[2 * n + i];
        }
        return luma;
    }

    /**
     * Bilinear resize of one {@code h x w} plane to {@code s x s} with half-pixel centres (PyTorch
     * {@code interpolate(mode='bilinear', align_corners=False)}); the identity when the sizes match.
     */
    static float[] resize(float[] plane, int h, int w, int s) {
        if (h == s && w == s) {
            return plane;
        }
        float[] out = new float[s * s];
        for (int y = 0; y < s; y++) {
            double sy = Math.max((y + 0.5) * h / s - 0.5, 0);
            int y0 = Math.min((int) Math.floor(sy), h - 1);
            int y1 = Math.min(y0 + 1, h - 1);
            double fy = sy - y0;
            for (int x = 0; x < s; x++) {
                double sx = Math.max((x + 0.5) * w / s - 0.5, 0);
                int x0 = Math.min((int) Math.floor(sx), w - 1);
                int x1 = Math.min(x0 + 1, w - 1);
                double fx = sx - x0;
                double top = plane[y0 * w + x0] * (1 - fx) + plane[y0 * w + x1] * fx;
                double bottom = plane[y1 * w + x0] * (1 - fx) + plane[y1 * w + x1] * fx;
                out[y * s + x] = (float) (top * (1 - fy) + bottom * fy);
            }
        }
        return out;
    }
}
