package org.vitbench.runner.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.vitbench.reports.Gallery;
import org.vitbench.runner.run.HeatmapOutputs;

/** The heatmap gallery drawn during a run, kept across a resume, and shown in the report. */
class GalleryCollectorTest {

    @TempDir
    Path tmp;

    @Test
    void aRunDrawsTheFirstSamplesOfEveryMethodIntoTheReport() throws Exception {
        Cli cli = new Cli();
        Path out = tmp.resolve("out");
        assertEquals(ExitCode.OK.code(),
                cli.benchmark(out, List.of("oracle", "crash", "noise"), List.of("fake-sum")), cli.err);

        Gallery g = Gallery.read(out.resolve(Gallery.DIR));
        int shown = HeatmapOutputs.DEFAULT_GALLERY_SAMPLES;
        assertEquals(List.of("oracle", "crash", "noise"), g.methods());
        assertEquals(shown, g.samples().size());
        // the fake model's logit k is the mean of patch k; sample 0 is labelled class 0
        assertTrue(g.samples().get(0).matches("s-000 \u00b7 true c0 \u00b7 predicted c[0-3]"), g.samples().get(0));
        for (int i = 0; i < shown; i++) {
            assertNotNull(g.cells()[0][i]);
            assertNull(g.cells()[1][i], "a failed method has no heatmap to show");
            assertNotNull(g.cells()[2][i]);
        }
        assertArrayEquals(new byte[] {(byte) 0x89, 'P', 'N', 'G'}, java.util.Arrays.copyOf(g.cells()[0][0], 4));
        String html = Files.readString(out.resolve("report.html"));
        assertTrue(html.contains("<section id=\"heatmaps\">"));
        assertEquals(2 * shown, count(html, "<img alt="));
        assertTrue(html.contains("<img alt=\"heatmap of noise for s-003 \u00b7 true "), "alt names method and sample");

        // vitbench report rebuilds the page from the run directory alone: the gallery is kept there
        Files.delete(out.resolve("report.html"));
        assertEquals(ExitCode.OK.code(), cli.run("report", out.toString()), cli.err);
        assertEquals(html, Files.readString(out.resolve("report.html")));
    }

    @Test
    void theGallerySizeIsAnOptionAndAConfigKeyAndZeroTurnsItOff() throws Exception {
        Cli cli = new Cli();
        Path out = tmp.resolve("out");
        assertEquals(ExitCode.OK.code(),
                cli.benchmark(out, List.of("oracle", "noise"), List.of("fake-sum"), "--gallery-samples",
                "2"), cli.err);
        assertEquals(2, Gallery.read(out.resolve(Gallery.DIR)).samples().size());
        assertEquals(2 * 2, count(Files.readString(out.resolve("report.html")), "<img alt="));

        Path config = tmp.resolve("run.yaml");
        Files.writeString(config, "gallery-samples: 0\n");
        Cli again = new Cli();
        assertEquals(ExitCode.OK.code(),
                again.benchmark(out, List.of("oracle", "noise"), List.of("fake-sum"), "--config",
                config.toString()), again.err);
        assertTrue(Gallery.read(out.resolve(Gallery.DIR)).isEmpty(), "the earlier run's gallery is withdrawn");
        String html = Files.readString(out.resolve("report.html"));
        assertFalse(html.contains("id=\"heatmaps\""));
        assertFalse(html.contains("<img"));

        Cli bad = new Cli();
        assertEquals(ExitCode.USAGE.code(), bad.benchmark(tmp.resolve("bad"), List.of("oracle"), List.of("fake-sum"),
                "--gallery-samples", "-1"));
        assertTrue(bad.err.contains("invalid gallery size -1"), bad.err);
    }

    @Test
    void aResumedRunKeepsWhatTheFirstDrew() throws Exception {
        Cli cli = new Cli();
        Path out = tmp.resolve("out");
        assertEquals(ExitCode.OK.code(), cli.benchmark(out, List.of("oracle"), List.of("fake-sum")), cli.err);
        Path png = out.resolve(Gallery.DIR).resolve(Gallery.file(0, 0));
        byte[] before = Files.readAllBytes(png);

        Cli again = new Cli();
        assertEquals(ExitCode.OK.code(), again.benchmark(out, List.of("oracle"), List.of("fake-sum")), again.err);
        assertEquals(0, again.fakes.explained.get(), "nothing explained again");
        assertArrayEquals(before, Files.readAllBytes(png));
        assertEquals(HeatmapOutputs.DEFAULT_GALLERY_SAMPLES, Gallery.read(out.resolve(Gallery.DIR)).samples().size());
    }

    private static int count(String text, String part) {
        int n = 0;
        for (int i = text.indexOf(part); i >= 0; i = text.indexOf(part, i + 1)) {
            n++;
        }
        return n;
    }
}
