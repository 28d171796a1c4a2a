package org.vitbench.reports;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.qameta.allure.Allure;
import java.io.ByteArrayInputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The report in a real browser (headless Chromium): it loads with no console errors or uncaught
 * exceptions, makes no request beyond its own file and inline data, and shows a method name made of
 * HTML as text. The screenshot is kept in {@code target/browser/report.png} and attached to the
 * Allure results. Needs Debian's {@code chromium}; {@code .ci/run} installs it, and under CI (the
 * variable {@code CI} set) a missing browser fails the test instead of skipping it.
 */
class ReportInBrowserTest {

    private static final String HOSTILE = "<img src=x onerror=console.error(1)><script>console.error(\"xss\")</script>";

    @TempDir
    Path tmp;

    @BeforeAll
    static void needsChromium() {
        HeadlessChromium.assumeInstalled();
    }

    @Test
    void theReportLoadsCleanlyOffline() throws Exception {
        Path html = tmp.resolve("report.html");
        HtmlReport.write(Fixtures.report(HOSTILE), html);

        HeadlessChromium.PageLoad page;
        try (HeadlessChromium browser = HeadlessChromium.start()) {
            page = browser.load(html.toUri());
        }

        Path shot = Path.of("target", "browser", "report.png");
        Files.createDirectories(shot.getParent());
        Files.write(shot, page.screenshot());
        Allure.addAttachment("report screenshot", "image/png", new ByteArrayInputStream(page.screenshot()), "png");

        assertEquals(List.of(), page.errors(), "console errors or exceptions");
        List<String> external = page.requests().stream()
                .filter(u -> !u.startsWith("file:") && !u.startsWith("data:")).toList();
        assertEquals(List.of(), external, "requests beyond the file itself and inline data");
        assertTrue(page.requests().contains(html.toUri().toString().replace("file:/", "file:///"))
                || page.requests().stream().anyMatch(u -> u.endsWith("/report.html")), page.requests().toString());
        assertTrue(page.text().contains(HOSTILE), "the method name shows as text: " + page.text());
        assertTrue(page.text().contains("attention-rollout") || page.text().contains("Leaderboard")
                || page.text().contains("leaderboard"), page.text());
        assertArrayEquals(new byte[] {(byte) 0x89, 'P', 'N', 'G'}, Arrays.copyOf(page.screenshot(), 4));
        assertTrue(page.screenshot().length > 10_000, "a rendered page, not a blank one");
    }

    @Test
    void theCheckSeesExternalRequestsAndConsoleErrors() throws Exception {
        Path html = tmp.resolve("bad.html");
        Files.writeString(html, "<!doctype html><html><body><p>bad</p>"
                + "<img src=\"http://example.invalid/pixel.png\"><script>console.error('boom')</script></body></html>");

        HeadlessChromium.PageLoad page;
        try (HeadlessChromium browser = HeadlessChromium.start()) {
            page = browser.load(html.toUri());
        }

        assertTrue(page.requests().contains("http://example.invalid/pixel.png"), page.requests().toString());
        assertTrue(page.errors().stream().anyMatch(e -> e.contains("boom")), page.errors().toString());
    }
}
