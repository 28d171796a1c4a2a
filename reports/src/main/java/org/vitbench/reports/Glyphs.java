package org.vitbench.reports;

import java.awt.image.BufferedImage;

/**
 * A 5 x 7 pixel font of printable ASCII drawn into images, so PNG titles and scale numbers need no
 * system fonts (a headless machine may have none) and render the same everywhere. Each glyph is
 * seven rows of five bits, one base-32 digit per row; characters outside ASCII 32 to 126 draw as
 * {@code ?}.
 */
final class Glyphs {

    /** Glyph cell width and height in font pixels, spacing included. */
    static final int ADVANCE = 6;
    static final int LINE = 9;

    private static final int HEIGHT = 7;
    private static final String DIGITS = "0123456789abcdefghijklmnopqrstuv";
    private static final String FONT = "00000004444404aaa0000aavavaa4fke5u4op248j3cik8lidc48000024888428422248"
            + "04lel40044v4400000c48000v00000000cc01248g0ehjlphe4c4444eeh1248vv2421he"
            + "26aiv22vgu11he68guhhev124888ehhehheehhf12c0cc0cc00cc0c48248g84200v0v00"
            + "8421248eh12404eh1dlleehhvhhhuhhuhhuehggghesihhhisvgguggvvggugggehgnhhf"
            + "hhhvhhhe44444e72222ichikokihggggggvhrllhhhhhpljhhehhhhheuhhugggehhhlid"
            + "uhhukihfgge11uv444444hhhhhhehhhhha4hhhlllahha4ahhhha4444v1248gve88888e"
            + "0g84210e22222e4ah0000000000v840000000e1fhfggmphhu00egghe11djhhf00ehvge"
            + "698s8880fhhf1eggmphhh40c444e20622icggikokic44444e00qllhh00mphhh00ehhhe"
            + "00uhugg00djf1100mpggg00ege1u88s889600hhhjd00hhha400hhlla00ha4ah00hhf1e"
            + "00v248v34484434444444o44244o008l200";

    private Glyphs() {
    }

    /** The width of {@code text} in image pixels at {@code scale} image pixels per font pixel. */
    static int width(String text, int scale) {
        return text.isEmpty() ? 0 : (text.length() * ADVANCE - 1) * scale;
    }

    /** Draws {@code text} with its top-left corner at ({@code x}, {@code y}); pixels outside the image are skipped. */
    static void draw(BufferedImage image, String text, int x, int y, int scale, int rgb) {
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            int glyph = (c < 32 || c > 126 ? '?' : c) - 32;
            for (int row = 0; row < HEIGHT; row++) {
                int bits = DIGITS.indexOf(FONT.charAt(glyph * HEIGHT + row));
                for (int col = 0; col < 5; col++) {
                    if ((bits >> (4 - col) & 1) == 1) {
                        Overlay.fill(image, x + (i * ADVANCE + col) * scale, y + row * scale, scale, rgb);
                    }
                }
            }
        }
    }

    /** {@code text} cut to at most {@code maxWidth} pixels at {@code scale}, ending in {@code ..} when cut. */
    static String fit(String text, int maxWidth, int scale) {
        if (width(text, scale) <= maxWidth) {
            return text;
        }
        int chars = Math.max(0, (maxWidth / scale + 1) / ADVANCE - 2);
        return text.substring(0, Math.min(chars, text.length())) + "..";
    }
}
