package org.vitbench.runner.run;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class ConsoleProgressTest {

    private final AtomicLong clock = new AtomicLong();
    private final StringWriter text = new StringWriter();

    private ConsoleProgress progress(ConsoleProgress.Mode mode, long total, long done) {
        return new ConsoleProgress(new PrintWriter(text), mode, total, done, clock::get);
    }

    @Test
    void theBarShowsCountRateAndEta() {
        ConsoleProgress p = progress(ConsoleProgress.Mode.BAR, 400, 0);
        clock.set(10_000_000_000L);

        p.advance(100);

        assertEquals("\r[######------------------] 100/400 units  25% | 10.0 units/s | ETA 0:30", text.toString());
    }

    @Test
    void theBarRedrawsAtMostEvery200Ms() {
        ConsoleProgress p = progress(ConsoleProgress.Mode.BAR, 100, 0);
        p.advance(1);
        clock.addAndGet(100_000_000L);
        p.advance(1);
        assertEquals(1, count(text.toString(), "\r"));
        clock.addAndGet(100_000_000L);
        p.advance(1);
        assertEquals(2, count(text.toString(), "\r"));

        p.close();

        assertTrue(text.toString().endsWith("3/100 units   3% | 15.0 units/s | ETA 0:06" + System.lineSeparator()),
                text.toString());
    }

    @Test
    void plainLinesAreRareAndTheLastOneIsAlwaysPrinted() {
        ConsoleProgress p = progress(ConsoleProgress.Mode.LINES, 10, 4);
        for (int i = 0; i < 6; i++) {
            clock.addAndGet(1_000_000_000L);
            p.advance(1);
        }
        p.close();

        String[] lines = text.toString().split(System.lineSeparator());
        assertEquals(2, lines.length, text.toString());
        assertEquals("progress: 5/10 units  50% | 1.0 units/s | ETA 0:05", lines[0]);
        assertEquals("progress: 10/10 units 100% | 1.0 units/s | ETA 0:00", lines[1]);
    }

    @Test
    void aFinishedRunPrintsOneLine() {
        ConsoleProgress p = progress(ConsoleProgress.Mode.LINES, 10, 10);
        p.advance(0);
        p.close();

        assertEquals("progress: 10/10 units 100%" + System.lineSeparator(), text.toString());
    }

    @Test
    void quietPrintsNothing() {
        ConsoleProgress p = progress(ConsoleProgress.Mode.OFF, 10, 0);
        p.advance(5);
        p.update(1, 2);
        p.close();

        assertEquals("", text.toString());
    }

    @Test
    void innerProgressIsAppended() {
        ConsoleProgress p = progress(ConsoleProgress.Mode.LINES, 10, 0);

        p.update(3, 8);

        assertEquals("progress: 0/10 units   0% | ETA unknown (step 3/8)" + System.lineSeparator(), text.toString());
    }

    @Test
    void durationsReadAsClockTimes() {
        assertEquals("0:05", ConsoleProgress.duration(5));
        assertEquals("2:03", ConsoleProgress.duration(123));
        assertEquals("1:00:01", ConsoleProgress.duration(3601));
    }

    private static int count(String s, String needle) {
        return s.split(needle, -1).length - 1;
    }
}
