package org.vitbench.runner.run;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
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
    void theLineNamesTheWorkUnderWayAndMovesWithinABatch() {
        ConsoleProgress p = progress(ConsoleProgress.Mode.LINES, 40, 0);
        p.plan(Map.of("explain a", 20L, "score a", 20L));
        p.samples("samples 1-10 of 20");
        p.begin("explain a", "a explaining");
        clock.addAndGet(20_000_000_000L);
        p.update(3, 8);
        p.end(10, 0);
        p.begin("score a", "m scoring a");
        clock.addAndGet(10_000_000_000L);
        p.end(10, 10);

        String[] lines = text.toString().split(System.lineSeparator());
        assertEquals("progress: 0/40 units   0% | a explaining samples 1-10 of 20 | 0:00 elapsed "
                + "| ETA after the first batch", lines[0]);
        assertEquals("progress: 0/40 units   0% | a explaining samples 1-10 of 20 (step 3/8) | 0:20 elapsed "
                + "| ETA after the first batch", lines[1]);
        assertEquals("progress: 10/40 units  25% | m scoring a samples 1-10 of 20 | 0:30 elapsed | ETA 0:30",
                lines[lines.length - 1], "units move as each pair finishes, not at the end of the batch");
    }

    @Test
    void theEtaIsTheWorkLeftAtEachTasksMeasuredTimeAndDoesNotClimb() {
        // a costly method (10 s per sample) and a cheap one (0.1 s), 100 samples in batches of 10;
        // the cheap one runs first in every batch, so the count moves fast early in a batch
        ConsoleProgress p = progress(ConsoleProgress.Mode.OFF, 200, 0);
        p.plan(Map.of("explain cheap", 100L, "explain costly", 100L));
        List<Double> etas = new ArrayList<>();
        for (int batch = 0; batch < 10; batch++) {
            p.begin("explain cheap", "cheap");
            clock.addAndGet(1_000_000_000L);
            p.end(10, 10);
            if (batch == 0) {
                assertTrue(Double.isNaN(p.eta()), "no guess before every task was timed");
            } else {
                etas.add(p.eta());
            }
            p.begin("explain costly", "costly");
            clock.addAndGet(100_000_000_000L);
            p.end(10, 10);
            etas.add(p.eta());
        }
        assertEquals(9 * 10 * (10 + 0.1), etas.get(0), 1e-6, "after the first batch: samples left x measured cost");
        for (int i = 1; i < etas.size(); i++) {
            assertTrue(etas.get(i) <= etas.get(i - 1), "the ETA never climbs: " + etas);
        }
        assertEquals(0, etas.get(etas.size() - 1), 1e-9);
    }

    @Test
    void twoLanesShowTheirOwnWorkAndShareTheEta() {
        ConsoleProgress p = progress(ConsoleProgress.Mode.LINES, 40, 0);
        p.plan(Map.of("explain a", 20L));
        ConsoleProgress.Lane first = p.lane();
        ConsoleProgress.Lane second = p.lane();
        first.samples("samples 1-5 of 20");
        second.samples("samples 6-10 of 20");
        first.begin("explain a", "a explaining");
        second.begin("explain a", "a explaining");
        clock.addAndGet(10_000_000_000L);
        second.update(1, 4);
        clock.addAndGet(10_000_000_000L);
        first.end(5, 5);
        second.end(5, 5);
        first.idle();

        String[] lines = text.toString().split(System.lineSeparator());
        assertEquals("progress: 0/40 units   0% | a explaining samples 1-5 of 20 | a explaining samples 6-10 of 20 "
                + "(step 1/4) | 0:10 elapsed | ETA after the first batch", lines[1], text.toString());
        // each lane took 20 s for 5 samples, at the same time: 10 samples left take 20 s on two lanes
        assertEquals(20, p.eta(), 1e-9);
    }

    @Test
    void onATerminalTheBarShowsOneLanesWorkAndCountsTheOthers() {
        ConsoleProgress p = progress(ConsoleProgress.Mode.BAR, 40, 0);
        ConsoleProgress.Lane first = p.lane();
        ConsoleProgress.Lane second = p.lane();
        first.samples("samples 1-5 of 20");
        first.begin("explain a", "a explaining");
        clock.addAndGet(1_000_000_000L);
        second.begin("explain b", "b explaining");

        String[] draws = text.toString().split("\r");
        assertEquals("[------------------------] 0/40 units   0% | a explaining samples 1-5 of 20 (+1 more worker) "
                + "| ETA unknown", draws[draws.length - 1].strip());
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
