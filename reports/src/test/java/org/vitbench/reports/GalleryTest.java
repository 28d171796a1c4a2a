package org.vitbench.reports;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
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

    @TempDir
    Path tmp;

    @Test
    void theIndexAndThePngsRoundTripIntoTheSection() throws Exception {
        byte[] png = {(byte) 0x89, 'P', 'N', 'G', 1, 2, 3};
        Files.write(tmp.resolve(Gallery.file(0, 0)), png);
        Files.write(tmp.resolve(Gallery.file(1, 1)), png);
        Gallery.writeIndex(tmp, List.of("<m>", "b"), List.of("s0 \u00b7 true Shirt", "s1 & co"),
                new String[][] {{"0 \u2026 1 (viridis)", null}, {null, "-1 (blue) \u2026 1 (red)"}});

        Gallery g = Gallery.read(tmp);
        assertEquals(List.of("<m>", "b"), g.methods());
        assertArrayEquals(png, g.cells()[0][0]);
        assertNull(g.cells()[0][1]);
        assertNull(g.cells()[1][0]);
        String html = HtmlReport.render(Fixtures.report(), g);
        assertTrue(html.contains("<th scope=\"row\">&lt;m&gt;</th>"), html);
        assertTrue(html.contains("<th scope=\"col\">s1 &amp; co</th>"));
        assertTrue(html.contains("src=\"data:image/png;base64," + Base64.getEncoder().encodeToString(png) + "\""));
        assertEquals(2, html.split("<img alt=", -1).length - 1);
        assertTrue(html.contains("<a href=\"#heatmaps\">Heatmaps</a>"));
    }

    @Test
    void noIndexMeansNoSection() {
        assertSame(Gallery.EMPTY, Gallery.read(tmp.resolve("absent")));
        String html = HtmlReport.render(Fixtures.report(), Gallery.EMPTY);
        assertTrue(!html.contains("id=\"heatmaps\""));
    }
}
