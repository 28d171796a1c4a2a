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
}
