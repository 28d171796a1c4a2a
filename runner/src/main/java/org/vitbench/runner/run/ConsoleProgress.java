package org.vitbench.runner.run;

import java.io.PrintWriter;
import java.util.Locale;
import java.util.function.LongSupplier;
import org.vitbench.api.Progress;

/**
 * Progress of a run on stderr: done/total units, rate and ETA. On a terminal it is one line
 * redrawn in place at most every 200 ms; otherwise (CI logs, pipes) a plain line at most every
 * 10 s so logs stay short; with {@code --quiet} nothing. Not thread-safe: the run loop owns it.
 */
public final class ConsoleProgress implements Progress, AutoCloseable {

    /** How progress is shown. */
    enum Mode { BAR, LINES, OFF }

    static final long BAR_INTERVAL_NANOS = 200_000_000L;
    static final long LINE_INTERVAL_NANOS = 10_000_000_000L;
    private static final int BAR_WIDTH = 24;

    private final PrintWriter err;
    private final Mode mode;
    private final long total;
    private final long startDone;
    private final LongSupplier nanoClock;
    private final long startNanos;
    private long done;
    private long lastDraw = Long.MIN_VALUE;
    private String inner = "";
    private int lastWidth;
    private long lastDrawnDone = -1;

    public ConsoleProgress(PrintWriter err, Mode mode, long total, long alreadyDone, LongSupplier nanoClock) {
        this.err = err;
        this.mode = mode;
        this.total = total;
        this.startDone = alreadyDone;
        this.done = alreadyDone;
        this.nanoClock = nanoClock;
        this.startNanos = nanoClock.getAsLong();
    }

    /** {@link Mode#OFF} when quiet, {@link Mode#BAR} on a terminal, else {@link Mode#LINES}. */
    public static Mode mode(boolean quiet) {
        return quiet ? Mode.OFF : System.console() != null ? Mode.BAR : Mode.LINES;
    }

    /** Counts finished units. */
    public void advance(long units) {
        done += units;
        inner = "";
        draw(false);
    }

    /** Progress inside the current step (a long method or metric call). */
    @Override
    public void update(long innerDone, long innerTotal) {
        inner = " (step " + innerDone + "/" + innerTotal + ")";
        draw(false);
    }

    @Override
    public void close() {
        inner = "";
        draw(true);
        if (mode == Mode.BAR) {
            err.println();
            err.flush();
        }
    }

    private void draw(boolean force) {
        if (mode == Mode.OFF) {
            return;
        }
        long now = nanoClock.getAsLong();
        long interval = mode == Mode.BAR ? BAR_INTERVAL_NANOS : LINE_INTERVAL_NANOS;
        if (!force && lastDraw != Long.MIN_VALUE && now - lastDraw < interval) {
            return;
        }
        if (force && mode == Mode.LINES && done == lastDrawnDone) {
            return; // the last line already says this (e.g. a resumed run with nothing left to do)
        }
        lastDraw = now;
        lastDrawnDone = done;
        String text = line(now);
        if (mode == Mode.BAR) {
            // pad over the previous, possibly longer, line
            String padded = text.length() < lastWidth ? text + " ".repeat(lastWidth - text.length()) : text;
            lastWidth = text.length();
            err.print("\r" + padded);
        } else {
            err.println("progress: " + text);
        }
        err.flush();
    }

    /** The status text, e.g. {@code [######----] 120/400 units 30% | 12.3 units/s | ETA 0:23}. */
    String line(long now) {
        double fraction = total == 0 ? 1 : (double) done / total;
        StringBuilder sb = new StringBuilder();
        if (mode == Mode.BAR) {
            int filled = (int) Math.round(fraction * BAR_WIDTH);
            sb.append('[').append("#".repeat(filled)).append("-".repeat(BAR_WIDTH - filled)).append("] ");
        }
        sb.append(done).append('/').append(total).append(" units ")
                .append(String.format(Locale.ROOT, "%3.0f%%", 100 * fraction));
        double seconds = (now - startNanos) / 1e9;
        long session = done - startDone;
        if (seconds > 0 && session > 0) {
            double rate = session / seconds;
            sb.append(String.format(Locale.ROOT, " | %.1f units/s | ETA %s", rate,
                    duration(Math.round((total - done) / rate))));
        } else if (done < total) {
            sb.append(" | ETA unknown");
        }
        return sb.append(inner).toString();
    }

    /** {@code m:ss}, or {@code h:mm:ss} from one hour. */
    static String duration(long seconds) {
        long h = seconds / 3600;
        long m = seconds / 60 % 60;
        long s = seconds % 60;
        return h > 0 ? String.format(Locale.ROOT, "%d:%02d:%02d", h, m, s) : String.format(Locale.ROOT, "%d:%02d", m, s);
    }
}
