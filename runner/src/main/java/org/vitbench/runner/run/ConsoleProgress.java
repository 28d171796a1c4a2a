package org.vitbench.runner.run;

import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.LongSupplier;
import org.vitbench.api.Progress;

/**
 * Progress of a run on stderr: done/total units, the work under way (which method explains or
 * which metric scores, on which samples, with a long call's own steps), elapsed time and ETA. On a
 * terminal it is one line redrawn in place at most every 200 ms; otherwise (CI logs, pipes) a plain
 * line at most every 10 s so logs stay short; with {@code --quiet} nothing. Thread-safe: each of a
 * run's workers reports through its own {@link Lane}, and the line shows every lane's work.
 *
 * <p>The ETA of a run is not units over elapsed time, since its units cost very different amounts
 * (a KernelSHAP explanation against a random one): the run gives the work left per task (a method's
 * explanations, a method x metric's scoring) in samples with {@link #plan}, each task's time per
 * sample is measured as it runs ({@link #begin}, {@link #end}), and the ETA is the sum of work left
 * times measured time. Until every task with work left has been timed once (the first batch) it
 * says so instead of guessing. Without a plan (uniform units, as in {@code predict}) the ETA is
 * the units left at the rate so far. With several lanes at work the measured times are each lane's
 * own, so the ETA divides their sum by the number of lanes.
 */
public final class ConsoleProgress implements Progress, AutoCloseable {

    /** How progress is shown. */
    /** A bar redrawn in place on a terminal, a line every few seconds otherwise, or nothing. */
    public enum Mode { BAR, LINES, OFF }

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
    private int lastWidth;
    private long lastDrawnDone = -1;
    /** Samples left per task; empty without a plan. */
    private final Map<String, Long> left = new LinkedHashMap<>();
    /** Measured seconds and samples per task. */
    private final Map<String, double[]> measured = new HashMap<>();
    /** The lanes, in the order they were opened; the first is the one this object's own methods report to. */
    private final List<Lane> lanes = new ArrayList<>();
    private final Lane main;

    public ConsoleProgress(PrintWriter err, Mode mode, long total, long alreadyDone, LongSupplier nanoClock) {
        this.err = err;
        this.mode = mode;
        this.total = total;
        this.startDone = alreadyDone;
        this.done = alreadyDone;
        this.nanoClock = nanoClock;
        this.startNanos = nanoClock.getAsLong();
        this.main = lane();
    }

    /**
     * A new lane: one worker's view of the progress, with its own work under way. Lanes share the
     * units done, the plan and the measured times.
     */
    public synchronized Lane lane() {
        Lane lane = new Lane();
        lanes.add(lane);
        return lane;
    }

    /** {@link Mode#OFF} when quiet, {@link Mode#BAR} on a terminal, else {@link Mode#LINES}. */
    public static Mode mode(boolean quiet) {
        return quiet ? Mode.OFF : System.console() != null ? Mode.BAR : Mode.LINES;
    }

    /** Counts finished units. */
    public void advance(long units) {
        main.advance(units);
    }

    /**
     * The work left per task, in samples (a task is what {@link #begin} names: one method's
     * explanations, or one method x metric's scoring); the ETA is computed from it.
     */
    public synchronized void plan(Map<String, Long> samplesLeft) {
        left.clear();
        samplesLeft.forEach((k, v) -> {
            if (v > 0) {
                left.put(k, v);
            }
        });
    }

    /** The samples being worked on, e.g. {@code samples 17-32 of 100}. */
    public void samples(String which) {
        main.samples(which);
    }

    /** Work on {@code task} begins; {@code label} says what it is, e.g. {@code rise explaining}. */
    public void begin(String task, String label) {
        main.begin(task, label);
    }

    /** The work begun last ended: it took its time for {@code samples} samples and finished {@code units} units. */
    public void end(int samples, long units) {
        main.end(samples, units);
    }

    /** Progress inside the current step (a long method or metric call). */
    @Override
    public void update(long innerDone, long innerTotal) {
        main.update(innerDone, innerTotal);
    }

    /**
     * One worker's progress: the samples it works on, the task under way and the steps of a long
     * call. Its methods are those of {@link ConsoleProgress} and report to it.
     */
    public final class Lane implements Progress {

        private String samples = "";
        private String task;
        private String working = "";
        private String inner = "";
        private long taskStart;
        /** Whether the lane has begun any work (the ETA counts such lanes as working in parallel). */
        private boolean used;

        private Lane() {
        }

        /** Counts finished units. */
        public void advance(long units) {
            synchronized (ConsoleProgress.this) {
                done += units;
                inner = "";
                draw(false);
            }
        }

        /** The samples being worked on, e.g. {@code samples 17-32 of 100}. */
        public void samples(String which) {
            synchronized (ConsoleProgress.this) {
                samples = which;
            }
        }

        /** Work on {@code task} begins; {@code label} says what it is, e.g. {@code rise explaining}. */
        public void begin(String task, String label) {
            synchronized (ConsoleProgress.this) {
                this.task = task;
                this.taskStart = nanoClock.getAsLong();
                working = label;
                inner = "";
                used = true;
                draw(false);
            }
        }

        /** The work begun last ended: it took its time for {@code samples} samples and finished {@code units} units. */
        public void end(int samples, long units) {
            synchronized (ConsoleProgress.this) {
                if (task != null) {
                    double[] m = measured.computeIfAbsent(task, k -> new double[2]);
                    m[0] += (nanoClock.getAsLong() - taskStart) / 1e9;
                    m[1] += samples;
                    left.computeIfPresent(task, (k, v) -> v > samples ? v - samples : null);
                    task = null;
                }
                advance(units);
            }
        }

        /** The lane has no work under way: its worker waits for a batch or has finished. */
        public void idle() {
            synchronized (ConsoleProgress.this) {
                task = null;
                working = "";
                inner = "";
                samples = "";
            }
        }

        /** Progress inside the current step (a long method or metric call). */
        @Override
        public void update(long innerDone, long innerTotal) {
            synchronized (ConsoleProgress.this) {
                inner = " (step " + innerDone + "/" + innerTotal + ")";
                draw(false);
            }
        }

        /** What the lane is doing, e.g. {@code rise explaining samples 17-32 of 100 (step 3/10)}; empty when idle. */
        private String doing() {
            return working.isEmpty() ? "" : working + (samples.isEmpty() ? "" : " " + samples) + inner;
        }
    }

    @Override
    public synchronized void close() {
        lanes.forEach(Lane::idle);
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

    /**
     * The status text, e.g. {@code [######----] 120/400 units 30% | rise explaining samples 17-32 of
     * 100 (step 3/10) | 2:10 elapsed | ETA 9:41}.
     */
    synchronized String line(long now) {
        double fraction = total == 0 ? 1 : (double) done / total;
        StringBuilder sb = new StringBuilder();
        if (mode == Mode.BAR) {
            int filled = (int) Math.round(fraction * BAR_WIDTH);
            sb.append('[').append("#".repeat(filled)).append("-".repeat(BAR_WIDTH - filled)).append("] ");
        }
        sb.append(done).append('/').append(total).append(" units ")
                .append(String.format(Locale.ROOT, "%3.0f%%", 100 * fraction));
        if (done < total) {
            // a bar must fit one terminal line to be redrawn in place: there, one lane's work and a count
            int shown = 0;
            int others = 0;
            for (Lane lane : lanes) {
                String doing = lane.doing();
                if (doing.isEmpty()) {
                    continue;
                }
                if (mode == Mode.BAR && shown > 0) {
                    others++;
                } else {
                    sb.append(" | ").append(doing);
                    shown++;
                }
            }
            if (others > 0) {
                sb.append(" (+").append(others).append(others == 1 ? " more worker)" : " more workers)");
            }
        }
        double seconds = (now - startNanos) / 1e9;
        long session = done - startDone;
        if (!left.isEmpty() || !measured.isEmpty()) {
            sb.append(" | ").append(duration(Math.round(seconds))).append(" elapsed");
            if (done < total) {
                double eta = eta();
                sb.append(Double.isNaN(eta) ? " | ETA after the first batch" : " | ETA " + duration(Math.round(eta)));
            }
        } else if (seconds > 0 && session > 0) {
            double rate = session / seconds;
            sb.append(String.format(Locale.ROOT, " | %.1f units/s | ETA %s", rate,
                    duration(Math.round((total - done) / rate))));
        } else if (done < total) {
            sb.append(" | ETA unknown");
        }
        if (main.working.isEmpty() || done >= total) {
            sb.append(main.inner);
        }
        return sb.toString();
    }

    /** Seconds left: each task's samples left at its measured time per sample; NaN while a task is untimed. */
    synchronized double eta() {
        double seconds = 0;
        for (Map.Entry<String, Long> e : left.entrySet()) {
            double[] m = measured.get(e.getKey());
            if (m == null || m[1] == 0) {
                return Double.NaN;
            }
            seconds += e.getValue() * m[0] / m[1];
        }
        // each lane measured its own time: lanes at work share what is left
        return seconds / Math.max(1, lanes.stream().filter(l -> l.used).count());
    }

    /** {@code m:ss}, or {@code h:mm:ss} from one hour. */
    static String duration(long seconds) {
        long h = seconds / 3600;
        long m = seconds / 60 % 60;
        long s = seconds % 60;
        return h > 0 ? String.format(Locale.ROOT, "%d:%02d:%02d", h, m, s) : String.format(Locale.ROOT, "%d:%02d", m, s);
    }
}
