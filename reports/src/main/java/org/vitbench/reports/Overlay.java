package org.vitbench.reports;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import javax.imageio.ImageIO;
import org.vitbench.api.Heatmaps;
import org.vitbench.api.Image;

/**
 * Heatmap overlays as PNG: the image, and the image in grey under the heatmap (patch values
 * upsampled by nearest neighbour, so every pixel shows a value the method computed). Maps with
 * negative values use a diverging blue-white-red scale symmetric around 0 (max |value| saturates);
 * non-negative maps use viridis from 0 to the maximum. Both scales are perceptually ordered and
 * readable in grey; the colour bar under the overlay shows the scale with its end values drawn in
 * (by {@link Glyphs}, which needs no system font), and titles name what is shown.
 */
public final class Overlay {

    /** Viridis at 9 evenly spaced stops (matplotlib's colormap), interpolated linearly in RGB. */
    private static final int[] VIRIDIS = {0x440154, 0x472d7b, 0x3b528b, 0x2c728e, 0x21918c, 0x28ae80, 0x5ec962,
        0xaadc32, 0xfde725};
    private static final int LEGEND = 12;
    private static final int INK = 0x1f2328;

    private Overlay() {
    }

    /**
     * Renders {@code image} and its overlay side by side, {@code scale} screen pixels per image
     * pixel, with a colour bar and its end values under the overlay.
     *
     * @param map the patch-grid map, {@code grid * grid} values
     */
    public static BufferedImage render(Image image, float[] map, int grid, int scale) {
        return render(image, map, grid, scale, List.of());
    }

    /**
     * As {@link #render(Image, float[], int, int)} with {@code title} lines above (for example the
     * method, then the class and the sample id), cut to the picture's width.
     */
    public static BufferedImage render(Image image, float[] map, int grid, int scale, List<String> title) {
        BufferedImage picture = panel(image, null, grid, scale, List.of());
        BufferedImage overlay = panel(image, map, grid, scale, List.of());
        int gap = scale * 2;
        int width = picture.getWidth() + gap + overlay.getWidth();
        int text = textScale(width);
        int header = title.isEmpty() ? 0 : title.size() * Glyphs.LINE * text + 2 * text;
        BufferedImage out = blank(width, header + overlay.getHeight());
        for (int k = 0; k < title.size(); k++) {
            Glyphs.draw(out, Glyphs.fit(title.get(k), width, text), 0, k * Glyphs.LINE * text, text, INK);
        }
        copy(picture, out, 0, header);
        copy(overlay, out, picture.getWidth() + gap, header);
        return out;
    }

    /**
     * One picture of every method for one image, for papers: the image first, then each map's
     * overlay with its own colour bar and numbers, {@code columns} per row, each under its label;
     * {@code title} lines above all.
     */
    public static BufferedImage grid(Image image, List<String> labels, List<float[]> maps, int grid, int scale,
            int columns, List<String> title) {
        List<BufferedImage> panels = new ArrayList<>();
        panels.add(panel(image, null, grid, scale, List.of("image")));
        for (int k = 0; k < maps.size(); k++) {
            panels.add(panel(image, maps.get(k), grid, scale, List.of(labels.get(k))));
        }
        int cellWidth = panels.stream().mapToInt(BufferedImage::getWidth).max().orElse(1);
        int cellHeight = panels.stream().mapToInt(BufferedImage::getHeight).max().orElse(1);
        int gap = Math.max(4, scale * 2);
        int cols = Math.max(1, Math.min(columns, panels.size()));
        int rows = (panels.size() + cols - 1) / cols;
        int width = cols * cellWidth + (cols - 1) * gap;
        int text = textScale(width);
        int header = title.isEmpty() ? 0 : title.size() * Glyphs.LINE * text + 2 * text;
        BufferedImage out = blank(width, header + rows * cellHeight + (rows - 1) * gap);
        for (int k = 0; k < title.size(); k++) {
            Glyphs.draw(out, Glyphs.fit(title.get(k), width, text), 0, k * Glyphs.LINE * text, text, INK);
        }
        for (int k = 0; k < panels.size(); k++) {
            copy(panels.get(k), out, (k % cols) * (cellWidth + gap), header + (k / cols) * (cellHeight + gap));
        }
        return out;
    }

    /**
     * The image (map null) or its overlay, with {@code label} lines above; an overlay has its colour
     * bar under it with the scale's numbers (0 in the middle of a signed scale).
     */
    private static BufferedImage panel(Image image, float[] map, int grid, int scale, List<String> label) {
        int h = image.height();
        int w = image.width();
        int width = w * scale;
        int text = textScale(width);
        int header = label.isEmpty() ? 0 : label.size() * Glyphs.LINE * text + text;
        int bar = Math.max(4, LEGEND * scale / 4);
        int footer = scale + bar + text + Glyphs.LINE * text;
        BufferedImage out = blank(width, header + h * scale + footer);
        for (int k = 0; k < label.size(); k++) {
            Glyphs.draw(out, Glyphs.fit(label.get(k), width, text), 0, k * Glyphs.LINE * text, text, INK);
        }
        double top = 0;
        boolean signed = false;
        float[] values = null;
        if (map != null) {
            values = Heatmaps.toPixels(map, grid, h / grid);
            double min = Double.POSITIVE_INFINITY;
            double max = Double.NEGATIVE_INFINITY;
            for (float v : map) {
                min = Math.min(min, v);
                max = Math.max(max, v);
            }
            signed = min < 0;
            top = signed ? Math.max(Math.abs(min), Math.abs(max)) : max;
        }
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                int g = (int) Math.round(255 * grey(image, y, x));
                int plain = g << 16 | g << 8 | g;
                fill(out, x * scale, header + y * scale, scale,
                        values == null ? plain : blend(colour(values[y * w + x], top, signed), plain, 0.65));
            }
        }
        if (map == null) {
            return out;
        }
        int barTop = header + h * scale + scale;
        for (int x = 0; x < width; x++) {
            double t = x / (double) Math.max(1, width - 1);
            int colour = colour(signed ? (2 * t - 1) * top : t * top, top, signed);
            for (int y = barTop; y < barTop + bar; y++) {
                out.setRGB(x, y, colour);
            }
        }
        int numbers = barTop + bar + text;
        String low = signed ? Html.number(-top) : "0";
        String high = Html.number(top);
        Glyphs.draw(out, low, 0, numbers, text, INK);
        Glyphs.draw(out, high, width - Glyphs.width(high, text), numbers, text, INK);
        if (signed && Glyphs.width(low, text) + Glyphs.width(high, text) + 4 * Glyphs.ADVANCE * text < width) {
            Glyphs.draw(out, "0", (width - Glyphs.width("0", text)) / 2, numbers, text, INK);
        }
        return out;
    }

    /** Text 2 font pixels per image pixel from 360 pixels of width, else 1. */
    private static int textScale(int width) {
        return width >= 360 ? 2 : 1;
    }

    private static BufferedImage blank(int width, int height) {
        BufferedImage out = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
        fill(out, 0, 0, Math.max(width, height), 0xffffff);
        return out;
    }

    private static void copy(BufferedImage from, BufferedImage to, int x0, int y0) {
        for (int y = 0; y < from.getHeight(); y++) {
            for (int x = 0; x < from.getWidth(); x++) {
                to.setRGB(x0 + x, y0 + y, from.getRGB(x, y));
            }
        }
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

    /** Paints the {@code size x size} square at ({@code x0}, {@code y0}); pixels outside the image are skipped. */
    static void fill(BufferedImage out, int x0, int y0, int size, int rgb) {
        for (int y = Math.max(0, y0); y < Math.min(out.getHeight(), y0 + size); y++) {
            for (int x = Math.max(0, x0); x < Math.min(out.getWidth(), x0 + size); x++) {
                out.setRGB(x, y, rgb);
            }
        }
    }
}
