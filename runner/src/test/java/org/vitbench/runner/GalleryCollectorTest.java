package org.vitbench.runner;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.vitbench.reports.Gallery;

/** The heatmap gallery drawn during a run, kept across a resume, and shown in the report. */
class GalleryCollectorTest {

    @TempDir
    Path tmp;

    @Test
    void aRunDrawsTheFirstSamplesOfEveryMethodIntoTheReport() throws Exception {
        Cli cli = new Cli();
        Path out = tmp.resolve("out");
        assertEquals(Main.OK, cli.benchmark(out, List.of("oracle", "crash", "noise"), List.of("fake-sum")), cli.err);

        Gallery g = Gallery.read(out.resolve(Gallery.DIR));
        assertEquals(List.of("oracle", "crash", "noise"), g.methods());
        assertEquals(Benchmark.GALLERY_SAMPLES, g.samples().size());
        assertTrue(g.samples().get(0).startsWith("s-000 \u00b7 true "), g.samples().get(0));
        for (int i = 0; i < g.samples().size(); i++) {
            assertNotNull(g.cells()[0][i]);
            assertNull(g.cells()[1][i], "a failed method has no heatmap to show");
            assertNotNull(g.cells()[2][i]);
        }
        assertArrayEquals(new byte[] {(byte) 0x89, 'P', 'N', 'G'}, java.util.Arrays.copyOf(g.cells()[0][0], 4));
        String html = Files.readString(out.resolve("report.html"));
        assertTrue(html.contains("<section id=\"heatmaps\">"));
        assertEquals(2 * Benchmark.GALLERY_SAMPLES, CompareCount.of(html, "<img alt="));
    }

    @Test
    void aResumedRunKeepsWhatTheFirstDrew() throws Exception {
        Cli cli = new Cli();
        Path out = tmp.resolve("out");
        assertEquals(Main.OK, cli.benchmark(out, List.of("oracle"), List.of("fake-sum")), cli.err);
        Path png = out.resolve(Gallery.DIR).resolve(Gallery.file(0, 0));
        byte[] before = Files.readAllBytes(png);

        Cli again = new Cli();
        assertEquals(Main.OK, again.benchmark(out, List.of("oracle"), List.of("fake-sum")), again.err);
        assertEquals(0, again.fakes.explained.get(), "nothing explained again");
        assertArrayEquals(before, Files.readAllBytes(png));
        assertEquals(Benchmark.GALLERY_SAMPLES, Gallery.read(out.resolve(Gallery.DIR)).samples().size());
    }

    /** Counts occurrences. */
    static final class CompareCount {
        static int of(String text, String part) {
            int n = 0;
            for (int i = text.indexOf(part); i >= 0; i = text.indexOf(part, i + 1)) {
                n++;
            }
            return n;
        }
    }
}
