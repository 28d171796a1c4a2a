package org.vitbench.reports;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import javax.imageio.ImageIO;
import org.vitbench.api.Heatmaps;
import org.vitbench.api.Image;

/**
 * Heatmap overlays as PNG: the image, and the image in grey under the heatmap (patch values
 * upsampled by nearest neighbour, so every pixel shows a value the method computed). Maps with
 * negative values use a diverging blue-white-red scale symmetric around 0 (max |value| saturates);
 * non-negative maps use viridis from 0 to the maximum. Both scales are perceptually ordered and
 * readable in grey; the legend bar under the overlay shows the scale with its end values.
 */
public final class Overlay {

    /** Viridis at 9 evenly spaced stops (matplotlib's colormap), interpolated linearly in RGB. */
    private static final int[] VIRIDIS = {0x440154, 0x472d7b, 0x3b528b, 0x2c728e, 0x21918c, 0x28ae80, 0x5ec962,
        0xaadc32, 0xfde725};
    private static final int LEGEND = 12;

    private Overlay() {
    }

    /**
     * Renders {@code image} and its overlay side by side, {@code scale} screen pixels per image
     * pixel, with a legend bar under the overlay.
     *
     * @param map the patch-grid map, {@code grid * grid} values
     */
    public static BufferedImage render(Image image, float[] map, int grid, int scale) {
        int h = image.height();
        int w = image.width();
        float[] values = Heatmaps.toPixels(map, grid, h / grid);
        double min = Double.POSITIVE_INFINITY;
        double max = Double.NEGATIVE_INFINITY;
        for (float v : map) {
            min = Math.min(min, v);
            max = Math.max(max, v);
        }
        boolean signed = min < 0;
        double top = signed ? Math.max(Math.abs(min), Math.abs(max)) : max;
        int gap = scale * 2;
        BufferedImage out = new BufferedImage(2 * w * scale + gap, h * scale + gap + LEGEND * scale / 2,
                BufferedImage.TYPE_INT_RGB);
        for (int y = 0; y < out.getHeight(); y++) {
            for (int x = 0; x < out.getWidth(); x++) {
                out.setRGB(x, y, 0xffffff);
            }
        }
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                double grey = grey(image, y, x);
                int g = (int) Math.round(255 * grey);
                int plain = g << 16 | g << 8 | g;
                int colour = colour(values[y * w + x], top, signed);
                int blended = blend(colour, plain, 0.65);
                fill(out, x * scale, y * scale, scale, plain);
                fill(out, w * scale + gap + x * scale, y * scale, scale, blended);
            }
        }
        int barTop = h * scale + gap / 2;
        int barWidth = w * scale;
        for (int x = 0; x < barWidth; x++) {
            double t = x / (double) (barWidth - 1);
            int colour = colour(signed ? (2 * t - 1) * top : t * top, top, signed);
            for (int y = barTop; y < barTop + LEGEND * scale / 4; y++) {
                out.setRGB(w * scale + gap + x, y, colour);
            }
        }
        return out;
    }

    /** The scale's end values as a caption, e.g. {@code "-0.12 ... 0.12"}. */
    public static String legend(float[] map) {
        double min = Double.POSITIVE_INFINITY;
        double max = Double.NEGATIVE_INFINITY;
        for (float v : map) {
            min = Math.min(min, v);
            max = Math.max(max, v);
        }
        double top = min < 0 ? Math.max(Math.abs(min), Math.abs(max)) : max;
        return min < 0 ? Html.number(-top) + " (blue) \u2026 0 (white) \u2026 " + Html.number(top) + " (red)"
                : "0 \u2026 " + Html.number(top) + " (viridis)";
    }

    /** Writes a PNG atomically. */
    public static void write(BufferedImage picture, Path file) {
        try {
            Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
            if (!ImageIO.write(picture, "png", tmp.toFile())) {
                throw new IllegalStateException("no PNG writer in this Java runtime");
            }
            Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + file, e);
        }
    }

    private static double grey(Image image, int y, int x) {
        int plane = image.height() * image.width();
        double sum = 0;
        for (int c = 0; c < image.channels(); c++) {
            sum += image.pixels()[c * plane + y * image.width() + x];
        }
        return Math.max(0, Math.min(1, sum / image.channels()));
    }

    /** The colour of {@code v}: diverging around 0 when {@code signed}, else viridis on [0, top]. */
    static int colour(double v, double top, boolean signed) {
        if (!(top > 0)) {
            return signed ? 0xffffff : VIRIDIS[0];
        }
        if (signed) {
            double t = Math.max(-1, Math.min(1, v / top));
            return t < 0 ? mix(0xffffff, 0x2166ac, -t) : mix(0xffffff, 0xb2182b, t);
        }
        double t = Math.max(0, Math.min(1, v / top)) * (VIRIDIS.length - 1);
        int i = Math.min(VIRIDIS.length - 2, (int) Math.floor(t));
        return mix(VIRIDIS[i], VIRIDIS[i + 1], t - i);
    }

    private static int mix(int a, int b, double t) {
        int r = (int) Math.round(((a >> 16) & 0xff) * (1 - t) + ((b >> 16) & 0xff) * t);
        int g = (int) Math.round(((a >> 8) & 0xff) * (1 - t) + ((b >> 8) & 0xff) * t);
        int bl = (int) Math.round((a & 0xff) * (1 - t) + (b & 0xff) * t);
        return r << 16 | g << 8 | bl;
    }

    private static int blend(int colour, int under, double alpha) {
        return mix(under, colour, alpha);
    }

    private static void fill(BufferedImage out, int x0, int y0, int size, int rgb) {
        for (int y = y0; y < y0 + size; y++) {
            for (int x = x0; x < x0 + size; x++) {
                out.setRGB(x, y, rgb);
            }
        }
    }
}
