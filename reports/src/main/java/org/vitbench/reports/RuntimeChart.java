package org.vitbench.reports;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;

/**
 * Seconds per sample of each method's explanations as horizontal bars, fastest first, with a
 * whisker of one standard deviation across batches. The axis is logarithmic when the slowest mean
 * is more than 100 times the fastest (the axis label says so), since methods span orders of
 * magnitude (a gradient against thousands of model evaluations).
 */
final class RuntimeChart {

    private static final int BAR = 16;
    private static final int GAP = 6;
    private static final int TOP = 12;
    private static final int PLOT = 400;
    private static final double CHAR_WIDTH = 6.2;

    private RuntimeChart() {
    }

    /** The chart inside a figure, or an empty string when no method was timed. */
    static String render(List<ReportData.Timing> timings) {
        String svg = svg(timings, false);
        return svg == null ? "" : "<figure class=\"chart\">\n" + svg + "</figure>\n";
    }

    /** The chart as a standalone SVG document, or null when no method was timed. */
    static String standalone(List<ReportData.Timing> timings) {
        return svg(timings, true);
    }

    /** Whether the axis is logarithmic for these means: the largest over the smallest exceeds 100. */
    static boolean logarithmic(double min, double max) {
        return max / min > 100;
    }

    private static String svg(List<ReportData.Timing> timings, boolean standalone) {
        List<ReportData.Timing> bars = new ArrayList<>();
        for (ReportData.Timing t : timings) {
            if (t.stage().equals("explain") && t.meanSeconds() > 0 && Double.isFinite(t.meanSeconds())) {
                bars.add(t);
            }
        }
        if (bars.isEmpty()) {
            return null;
        }
        bars.sort(Comparator.comparingDouble(ReportData.Timing::meanSeconds));
        double min = bars.get(0).meanSeconds();
        double max = 0;
        double labelWidth = 0;
        for (ReportData.Timing t : bars) {
            max = Math.max(max, t.meanSeconds() + (Double.isFinite(t.sdSeconds()) ? t.sdSeconds() : 0));
            labelWidth = Math.max(labelWidth, t.component().length() * CHAR_WIDTH);
        }
        boolean log = logarithmic(min, bars.get(bars.size() - 1).meanSeconds());
        double x0 = labelWidth + 16;
        double lo = log ? Math.pow(10, Math.floor(Math.log10(min))) : 0;
        CurveChart.Axis linear = log ? null : CurveChart.Axis.of(0, max, 4, x0, x0 + PLOT);
        double hi = log ? Math.pow(10, Math.ceil(Math.log10(max))) : linear.hi;
        int width = (int) Math.ceil(x0 + PLOT + 80);
        int height = TOP + bars.size() * (BAR + GAP) + 40;
        StringBuilder s = new StringBuilder();
        if (standalone) {
            s.append(Svg.header(width, height, "seconds per sample by method"));
        } else {
            s.append("<svg viewBox=\"0 0 ").append(width).append(' ').append(height).append("\" width=\"").append(width)
                    .append("\" height=\"").append(height).append("\" role=\"img\" aria-label=\"seconds per sample by "
                    + "method\">\n");
        }
        s.append("<title>Seconds per sample of each method's explanations</title>\n");
        for (int i = 0; i < bars.size(); i++) {
            ReportData.Timing t = bars.get(i);
            double y = TOP + i * (BAR + GAP);
            double end = map(t.meanSeconds(), lo, hi, log, x0);
            double labelX = Math.max(end, x0) + 6;
            s.append("<text x=\"").append(Html.coordinate(x0 - 6)).append("\" y=\"").append(Html.coordinate(y + BAR - 4))
                    .append("\" text-anchor=\"end\">").append(Html.escape(t.component())).append("</text>\n");
            s.append("<rect class=\"bar\" fill=\"#0072B2\" x=\"").append(Html.coordinate(x0)).append("\" y=\"")
                    .append(Html.coordinate(y)).append("\" width=\"").append(Html.coordinate(Math.max(1, end - x0)))
                    .append("\" height=\"").append(BAR).append("\"><title>").append(Html.escape(t.component()))
                    .append(": ").append(Html.number(t.meanSeconds())).append(" \u00b1 ").append(Html.number(t.sdSeconds()))
                    .append(" s</title></rect>\n");
            if (Double.isFinite(t.sdSeconds()) && t.sdSeconds() > 0) {
                double a = map(Math.max(t.meanSeconds() - t.sdSeconds(), lo), lo, hi, log, x0);
                double b = map(t.meanSeconds() + t.sdSeconds(), lo, hi, log, x0);
                labelX = Math.max(labelX, b + 4);
                double mid = y + BAR / 2.0;
                s.append("<g class=\"spread\"><line stroke=\"#1f2328\" x1=\"").append(Html.coordinate(a)).append("\" x2=\"")
                        .append(Html.coordinate(b)).append("\" y1=\"").append(Html.coordinate(mid)).append("\" y2=\"")
                        .append(Html.coordinate(mid)).append("\"/></g>\n");
            }
            s.append("<text x=\"").append(Html.coordinate(labelX)).append("\" y=\"")
                    .append(Html.coordinate(y + BAR - 4)).append("\">").append(Html.number(t.meanSeconds()))
                    .append("</text>\n");
        }
        double axisY = TOP + bars.size() * (BAR + GAP);
        s.append("<g class=\"axis\"><line stroke=\"#57606a\" x1=\"").append(Html.coordinate(x0)).append("\" x2=\"")
                .append(Html.coordinate(x0 + PLOT)).append("\" y1=\"").append(Html.coordinate(axisY)).append("\" y2=\"")
                .append(Html.coordinate(axisY)).append("\"/></g>\n");
        List<Double> ticks = new ArrayList<>();
        if (log) {
            for (double v = lo; v <= hi * 1.0001; v *= 10) {
                ticks.add(v);
            }
        } else {
            ticks.addAll(linear.ticks);
        }
        for (double v : ticks) {
            double px = map(v, lo, hi, log, x0);
            s.append("<text x=\"").append(Html.coordinate(px)).append("\" y=\"").append(Html.coordinate(axisY + 14))
                    .append("\" text-anchor=\"middle\">").append(log ? String.format(Locale.ROOT, "%.0e", v)
                            : linear.label(v)).append("</text>\n");
        }
        s.append("<text class=\"label\" x=\"").append(Html.coordinate(x0 + PLOT / 2.0)).append("\" y=\"")
                .append(Html.coordinate(axisY + 32)).append("\" text-anchor=\"middle\">seconds per sample")
                .append(log ? " (logarithmic axis)" : "").append("</text>\n");
        return s.append("</svg>\n").toString();
    }

    private static double map(double v, double lo, double hi, boolean log, double x0) {
        double f = log ? (Math.log10(v) - Math.log10(lo)) / (Math.log10(hi) - Math.log10(lo)) : (v - lo) / (hi - lo);
        return x0 + f * PLOT;
    }
}
