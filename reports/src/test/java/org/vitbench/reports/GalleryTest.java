package org.vitbench.reports;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The gallery's files round trip, and its section shows every cell inline with escaped labels. */
class GalleryTest {

    /** Stand-ins for PNGs: the section copies the bytes, it does not decode them. */
    private static final byte[] PNG_A = {(byte) 0x89, 'P', 'N', 'G', 1, 2, 3};
    private static final byte[] PNG_B = {(byte) 0x89, 'P', 'N', 'G', 4, 5, 6};

    @TempDir
    Path tmp;

    @Test
    void theIndexAndThePngsRoundTripIntoTheSection() throws Exception {
        Files.write(tmp.resolve(Gallery.file(0, 0)), PNG_A);
        Files.write(tmp.resolve(Gallery.file(1, 1)), PNG_B);
        Gallery.writeIndex(tmp, List.of("<m>", "b"), List.of("s0 \u00b7 true Shirt", "s1 & co"),
                new String[][] {{"0 \u2026 1 (viridis)", null}, {null, "-1 (blue) \u2026 1 (red)"}});

        Gallery g = Gallery.read(tmp);
        assertEquals(List.of("<m>", "b"), g.methods());
        assertEquals(List.of("s0 \u00b7 true Shirt", "s1 & co"), g.samples());
        assertArrayEquals(PNG_A, g.cells()[0][0]);
        assertArrayEquals(PNG_B, g.cells()[1][1]);
        assertNull(g.cells()[0][1]);
        assertNull(g.cells()[1][0]);
        assertEquals("-1 (blue) \u2026 1 (red)", g.legends()[1][1]);
    }

    /** A PNG without its legend in the index (an interrupted run) is not shown. */
    @Test
    void aPngWithoutALegendIsLeftOut() throws Exception {
        Files.write(tmp.resolve(Gallery.file(0, 0)), PNG_A);
        Gallery.writeIndex(tmp, List.of("m"), List.of("s"), new String[][] {{null}});
        assertNull(Gallery.read(tmp).cells()[0][0]);
    }

    @Test
    void everyMethodIsARowAndEverySampleAColumnWithEscapedNames() throws Exception {
        List<String> methods = List.of("<b>rollout</b>", "kernel-shap:budget=2&3", "\"quoted\"");
        List<String> samples = List.of("s-0 \u00b7 true <T> \u00b7 predicted Shirt", "s-1 & 2");
        byte[][][] cells = new byte[3][2][];
        String[][] legends = new String[3][2];
        for (int j = 0; j < 3; j++) {
            for (int i = 0; i < 2; i++) {
                cells[j][i] = j == 1 && i == 1 ? null : (i == 0 ? PNG_A : PNG_B);
                legends[j][i] = cells[j][i] == null ? null : "0 \u2026 " + j + i + " (viridis) <x>";
            }
        }
        Gallery g = new Gallery(methods, samples, cells, legends);
        String html = HtmlReport.render(Fixtures.report().withGallery(g));

        assertEquals(3 * 2 - 1, count(html, "<img alt="), "one image per method and sample, less the missing one");
        assertEquals(1, count(html, "<td class=\"note\" title=\"no heatmap: the method failed on this sample\">"));
        assertTrue(html.contains("<th scope=\"row\">&lt;b&gt;rollout&lt;/b&gt;</th>"), html);
        assertTrue(html.contains("<th scope=\"row\">&quot;quoted&quot;</th>"));
        assertTrue(html.contains("<th scope=\"col\">s-1 &amp; 2</th>"));
        assertTrue(html.contains("alt=\"heatmap of kernel-shap:budget=2&amp;3 for s-0 \u00b7 true &lt;T&gt; \u00b7 "
                + "predicted Shirt\""));
        assertTrue(html.contains("src=\"data:image/png;base64," + Base64.getEncoder().encodeToString(PNG_B) + "\""));
        assertFalse(html.contains("<b>rollout"), "no name reaches the page unescaped");
        assertTrue(html.contains("<a href=\"#heatmaps\">Heatmaps</a>"));
        assertFalse(Fixtures.withoutBoardScript(html).contains("<script"));
        Golden.check("gallery-section.html", section(html));
    }

    /** The legend bars show the overlay's own colours at their ends and at 0. */
    @Test
    void theScalesEndInTheOverlaysColours() {
        Gallery g = new Gallery(List.of("m"), List.of("s"), new byte[][][] {{PNG_A}}, new String[][] {{"0 \u2026 1"}});
        String html = g.html();
        assertTrue(html.contains("<stop offset=\"0.0000\" stop-color=\"#440154\"/>"), html);
        assertTrue(html.contains("<stop offset=\"1.0000\" stop-color=\"#fde725\"/>"));
        assertTrue(html.contains("<stop offset=\"0.0000\" stop-color=\"#2166ac\"/>"));
        assertTrue(html.contains("<stop offset=\"0.5000\" stop-color=\"#ffffff\"/>"));
        assertTrue(html.contains("<stop offset=\"1.0000\" stop-color=\"#b2182b\"/>"));
    }

    @Test
    void noIndexMeansNoSection() {
        assertSame(Gallery.EMPTY, Gallery.read(tmp.resolve("absent")));
        assertSame(Gallery.EMPTY, Fixtures.report().gallery());
        String html = HtmlReport.render(Fixtures.report());
        assertFalse(html.contains("id=\"heatmaps\""));
        assertFalse(html.contains("#heatmaps"));
    }

    private static String section(String html) {
        int start = html.indexOf("<section id=\"heatmaps\">");
        return html.substring(start, html.indexOf("</section>", start) + "</section>\n".length());
    }

    private static int count(String text, String part) {
        int n = 0;
        for (int i = text.indexOf(part); i >= 0; i = text.indexOf(part, i + 1)) {
            n++;
        }
        return n;
    }
}
