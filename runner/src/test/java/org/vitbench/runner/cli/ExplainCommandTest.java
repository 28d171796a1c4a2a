package org.vitbench.runner.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ExplainCommandTest {

    @TempDir
    Path dir;

    @Test
    void writesOneOverlayPerMethod() throws Exception {
        Cli cli = new Cli();

        int code = cli.run("explain", "--model", "fake-model", "--dataset", "fake-data:size=3", "--sample", "1",
                "--method", "oracle", "--method", "noise", "--scale", "4", "--out", dir.toString());

        assertEquals(ExitCode.OK.code(), code, cli.err);
        for (String method : new String[] {"oracle", "noise"}) {
            Path png = Files.list(dir).filter(p -> p.getFileName().toString().endsWith("_" + method + ".png"))
                    .findFirst().orElseThrow(() -> new AssertionError("no overlay for " + method + " in " + dir));
            BufferedImage image = ImageIO.read(png.toFile());
            assertTrue(image.getWidth() > 2 * 4 * 4, "image and overlay side by side at scale 4");
            assertTrue(cli.out.contains(png.toString()), cli.out);
        }
    }

    @Test
    void theGridHoldsEveryMethodInOnePicture() throws Exception {
        Cli cli = new Cli();

        int code = cli.run("explain", "--model", "fake-model", "--dataset", "fake-data:size=3", "--sample", "1",
                "--method", "oracle", "--method", "noise", "--scale", "8", "--grid", "--out", dir.toString());

        assertEquals(ExitCode.OK.code(), code, cli.err);
        Path all = Files.list(dir).filter(p -> p.getFileName().toString().endsWith("_all.png")).findFirst()
                .orElseThrow(() -> new AssertionError("no grid picture in " + dir));
        assertTrue(cli.out.contains(all.toString()), cli.out);
        assertTrue(cli.out.contains("sample "), "the sample id is printed: " + cli.out);
        BufferedImage image = ImageIO.read(all.toFile());
        assertTrue(image.getWidth() >= 3 * 8 * 4, "the image and two overlays side by side: " + image.getWidth());
    }

    @Test
    void aSampleOutOfRangeIsAUsageError() {
        Cli cli = new Cli();

        int code = cli.run("explain", "--model", "fake-model", "--dataset", "fake-data:size=3", "--sample", "7",
                "--method", "oracle", "--out", dir.toString());

        assertEquals(ExitCode.USAGE.code(), code);
        assertTrue(cli.err.contains("--sample 7 is out of range"), cli.err);
    }
}
