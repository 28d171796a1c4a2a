package org.vitbench.reports;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import org.junit.jupiter.api.Test;
import org.vitbench.api.Image;

class OverlayTest {

    @Test
    void scalesEndInTheirColours() {
        assertEquals(0x440154, Overlay.colour(0, 1, false), "viridis starts dark purple");
        assertEquals(0xfde725, Overlay.colour(1, 1, false), "and ends yellow");
        assertEquals(0xffffff, Overlay.colour(0, 1, true), "the diverging scale is white at 0");
        assertEquals(0x2166ac, Overlay.colour(-1, 1, true));
        assertEquals(0xb2182b, Overlay.colour(2, 1, true), "values beyond the top saturate");
    }

    @Test
    void theOverlayShowsEachPatchsValue() {
        Image image = new Image(1, 4, 4, new float[16]);
        float[] map = {0, 0, 0, 1}; // 2 x 2 grid, the bottom-right patch is the largest
        BufferedImage picture = Overlay.render(image, map, 2, 1);
        int overlayLeft = 4 + 2; // image width plus the gap at scale 1
        int dark = picture.getRGB(overlayLeft, 0) & 0xffffff;
        int bright = picture.getRGB(overlayLeft + 3, 3) & 0xffffff;
        assertTrue(((bright >> 8) & 0xff) > ((dark >> 8) & 0xff), "the maximal patch is brighter (viridis yellow)");
        assertTrue(Overlay.legend(map).startsWith("0"), Overlay.legend(map));
        assertTrue(Overlay.legend(new float[] {-2, 1}).contains("-2"), "signed maps are symmetric around 0");
    }

    @Test
    void titlesAndTheBarsNumbersAreDrawn() {
        Image image = new Image(1, 28, 28, new float[28 * 28]);
        float[] map = new float[49];
        map[0] = -0.5f;
        map[48] = 0.25f;
        BufferedImage plain = Overlay.render(image, map, 7, 4);
        BufferedImage titled = Overlay.render(image, map, 7, 4, java.util.List.of("rise", "class 3 | sample s"));
        assertEquals(plain.getWidth(), titled.getWidth());
        assertTrue(titled.getHeight() > plain.getHeight(), "two title lines above");
        assertTrue(dark(titled, 0, 0, titled.getWidth(), 9) > 0, "the first title line has ink");
        // the numbers under the bar: -0.5000 at the left, 0.5000 at the right of the overlay
        int overlayLeft = 28 * 4 + 8;
        int below = plain.getHeight() - 9;
        assertTrue(dark(plain, overlayLeft, below, overlayLeft + 30, plain.getHeight()) > 0, "the low end's number");
        assertTrue(dark(plain, plain.getWidth() - 30, below, plain.getWidth(), plain.getHeight()) > 0,
                "the high end's number");
    }

    @Test
    void theGridHasTheImageAndEveryMapInColumns() {
        Image image = new Image(1, 28, 28, new float[28 * 28]);
        java.util.List<float[]> maps = java.util.List.of(new float[49], new float[49], new float[49]);
        BufferedImage one = Overlay.grid(image, java.util.List.of("a", "b", "c"), maps, 7, 2, 2, java.util.List.of());
        BufferedImage row = Overlay.grid(image, java.util.List.of("a", "b", "c"), maps, 7, 2, 4, java.util.List.of());
        assertTrue(row.getWidth() > one.getWidth() && row.getHeight() < one.getHeight(), "4 pictures, 2 or 4 per row");
    }

    private static int dark(BufferedImage image, int x0, int y0, int x1, int y1) {
        int n = 0;
        for (int y = y0; y < y1; y++) {
            for (int x = x0; x < x1; x++) {
                n += (image.getRGB(x, y) & 0xffffff) == 0x1f2328 ? 1 : 0;
            }
        }
        return n;
    }
}
