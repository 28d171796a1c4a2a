package org.vitbench.reports;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import org.junit.jupiter.api.Test;

class GlyphsTest {

    @Test
    void aGlyphIsDrawnAsItsRows() {
        BufferedImage image = new BufferedImage(6, 7, BufferedImage.TYPE_INT_RGB);
        Glyphs.draw(image, "1", 0, 0, 1, 0xffffff);
        String[] expected = {"..#..", ".##..", "..#..", "..#..", "..#..", "..#..", ".###."};
        for (int y = 0; y < 7; y++) {
            StringBuilder row = new StringBuilder();
            for (int x = 0; x < 5; x++) {
                row.append((image.getRGB(x, y) & 0xffffff) == 0xffffff ? '#' : '.');
            }
            assertEquals(expected[y], row.toString(), "row " + y);
        }
    }

    @Test
    void everyPrintableCharacterHasInkAndTheSpaceHasNone() {
        for (char c = 33; c <= 126; c++) {
            assertTrue(ink(String.valueOf(c)) > 0, "'" + c + "' draws nothing");
        }
        assertEquals(0, ink(" "));
        assertEquals(ink("?"), ink("\u00b7"), "outside ASCII draws as ?");
    }

    @Test
    void widthsAndCutting() {
        assertEquals(11 * 2, Glyphs.width("ab", 2));
        assertEquals(0, Glyphs.width("", 1));
        assertEquals("abc", Glyphs.fit("abc", 100, 1));
        String cut = Glyphs.fit("a long method name", 60, 1);
        assertTrue(cut.endsWith("..") && Glyphs.width(cut, 1) <= 60, cut);
    }

    private static int ink(String text) {
        BufferedImage image = new BufferedImage(Glyphs.ADVANCE, 7, BufferedImage.TYPE_INT_RGB);
        Glyphs.draw(image, text, 0, 0, 1, 0xffffff);
        int n = 0;
        for (int y = 0; y < 7; y++) {
            for (int x = 0; x < Glyphs.ADVANCE; x++) {
                n += (image.getRGB(x, y) & 0xffffff) == 0xffffff ? 1 : 0;
            }
        }
        return n;
    }
}
