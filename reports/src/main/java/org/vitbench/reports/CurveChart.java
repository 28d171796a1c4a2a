package org.vitbench.reports;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Mean curves of one metric as an inline SVG line chart: one line per method with its 95% band,
 * axes with round ticks and an HTML legend. Up to {@code PALETTE.length} methods each get a
 * colour of a colour-blind-safe palette; with more, the first {@value #HIGHLIGHTED} (the caller
 * orders curves best first) keep their colours and bands and the rest are thin grey lines under
 * them, listed together in the legend, so that no two coloured lines share a colour. Hand-written SVG so the report needs no chart library
 * and no script; the element has no {@code xmlns} because inline SVG in HTML does not need one.
 * {@link StrictMath} keeps coordinates identical on every JVM, which the golden test relies on.
 */
final class CurveChart {

    /** Okabe and Ito's colour-blind-safe palette, black last. */
    static final String[] PALETTE = {"#0072B2", "#D55E00", "#009E73", "#CC79A7", "#E69F00", "#56B4E9",
        "#F0E442", "#000000"};

    /** With more methods than colours, how many keep a colour. */
    static final int HIGHLIGHTED = 6;

    /** The colour of the lines that are not highlighted. */
    static final String GREY = "#b6bcc3";

    private static final int WIDTH = 640;
    private static final int HEIGHT = 320;
    private static final int LEFT = 64;
    private static final int RIGHT = 16;
    private static final int TOP = 16;
    private static final int BOTTOM = 48;

    private CurveChart() {
    }

    /** The chart and its legend for {@code curves}, which all belong to {@code metric}. */
    static String render(String metric, List<ReportData.Curve> curves, String xLabel, String yLabel) {
        StringBuilder svg = new StringBuilder();
        svg.append("<figure class=\"chart\">\n<svg viewBox=\"0 0 ").append(WIDTH).append(' ').append(HEIGHT)
                .append("\" width=\"").append(WIDTH).append("\" height=\"").append(HEIGHT)
                .append("\" role=\"img\" aria-label=\"mean curves of ").append(Html.escape(metric)).append("\">\n");
        if (!plot(svg, metric, curves, xLabel, yLabel)) {
            return "<p class=\"note\">No finite curve values for " + Html.escape(metric) + ".</p>\n";
        }
        svg.append("</svg>\n<figcaption><ul class=\"legend\">\n");
        int coloured = coloured(curves.size());
        for (int k = 0; k < coloured; k++) {
            ReportData.Curve c = curves.get(k);
            svg.append("<li><span class=\"swatch\" style=\"background:").append(colour(k, curves.size()))
                    .append("\"></span>").append(Html.escape(c.method())).append(" <span class=\"meta\">n=")
                    .append(c.n()).append("</span></li>\n");
        }
        if (coloured < curves.size()) {
            svg.append("<li class=\"others\"><span class=\"swatch\" style=\"background:").append(GREY)
                    .append("\"></span>").append(curves.size() - coloured).append(" others: ")
                    .append(Html.escape(String.join(", ", curves.subList(coloured, curves.size()).stream()
                            .map(ReportData.Curve::method).toList()))).append("</li>\n");
        }
        return svg.append("</ul></figcaption>\n</figure>\n").toString();
    }

    /**
     * The same chart as a standalone SVG document (XML declaration, namespace, its own style and
     * the legend drawn below the plot), for papers and slides; null when no curve value is finite.
     */
    static String standalone(String metric, List<ReportData.Curve> curves, String xLabel, String yLabel) {
        int coloured = coloured(curves.size());
        int height = HEIGHT + 8 + LEGEND_ROW * (coloured + (coloured < curves.size() ? 1 : 0));
        StringBuilder svg = new StringBuilder();
        svg.append(Svg.header(WIDTH, height, "mean curves of " + metric));
        if (!plot(svg, metric, curves, xLabel, yLabel)) {
            return null;
        }
        for (int k = 0; k <= coloured && k < curves.size(); k++) {
            int y = HEIGHT + 4 + LEGEND_ROW * k;
            boolean others = k == coloured;
            svg.append("<rect x=\"").append(LEFT).append("\" y=\"").append(y + 5).append("\" width=\"14\" height=\"4\" ")
                    .append("fill=\"").append(others ? GREY : colour(k, curves.size())).append("\"/>\n");
            svg.append("<text x=\"").append(LEFT + 20).append("\" y=\"").append(y + 11).append("\">");
            if (others) {
                svg.append(curves.size() - coloured).append(" others in grey");
            } else {
                svg.append(Html.escape(curves.get(k).method())).append(" (n=").append(curves.get(k).n()).append(')');
            }
            svg.append("</text>\n");
        }
        return svg.append("</svg>\n").toString();
    }

    private static final int LEGEND_ROW = 16;

    /** How many of {@code n} curves get a colour of their own. */
    static int coloured(int n) {
        return n <= PALETTE.length ? n : HIGHLIGHTED;
    }

    /** The colour of curve {@code k} of {@code n}. */
    static String colour(int k, int n) {
        return k < coloured(n) ? PALETTE[k] : GREY;
    }

    /** Title, grid, bands, lines and axis labels into {@code svg}; false when no value is finite. */
    private static boolean plot(StringBuilder svg, String metric, List<ReportData.Curve> curves, String xLabel,
            String yLabel) {
        double xMin = Double.POSITIVE_INFINITY;
        double xMax = Double.NEGATIVE_INFINITY;
        double yMin = Double.POSITIVE_INFINITY;
        double yMax = Double.NEGATIVE_INFINITY;
        for (ReportData.Curve c : curves) {
            for (int i = 0; i < c.x().length; i++) {
                xMin = finiteMin(xMin, c.x()[i]);
                xMax = finiteMax(xMax, c.x()[i]);
                yMin = finiteMin(finiteMin(yMin, c.low()[i]), c.mean()[i]);
                yMax = finiteMax(finiteMax(yMax, c.high()[i]), c.mean()[i]);
            }
        }
        if (!(xMin <= xMax) || !(yMin <= yMax)) {
            return false;
        }
        Axis xAxis = Axis.of(xMin, xMax, 5, LEFT, WIDTH - RIGHT);
        Axis yAxis = Axis.of(yMin, yMax, 5, HEIGHT - BOTTOM, TOP);
        svg.append("<title>Mean curves of ").append(Html.escape(metric)).append(" with 95% bands</title>\n");
        grid(svg, xAxis, yAxis);
        int coloured = coloured(curves.size());
        // grey lines first, under the coloured ones and without bands; the best drawn last, on top
        for (int k = curves.size() - 1; k >= coloured; k--) {
            line(svg, curves.get(k), xAxis, yAxis, GREY);
        }
        for (int k = 0; k < coloured; k++) {
            band(svg, curves.get(k), xAxis, yAxis, colour(k, curves.size()));
        }
        for (int k = coloured - 1; k >= 0; k--) {
            line(svg, curves.get(k), xAxis, yAxis, colour(k, curves.size()));
        }
        svg.append("<text class=\"label\" x=\"").append(Html.coordinate((LEFT + WIDTH - RIGHT) / 2.0))
                .append("\" y=\"").append(HEIGHT - 8).append("\" text-anchor=\"middle\">")
                .append(Html.escape(xLabel)).append("</text>\n");
        svg.append("<text class=\"label\" x=\"14\" y=\"").append(Html.coordinate((TOP + HEIGHT - BOTTOM) / 2.0))
                .append("\" text-anchor=\"middle\" transform=\"rotate(-90 14 ")
                .append(Html.coordinate((TOP + HEIGHT - BOTTOM) / 2.0)).append(")\">")
                .append(Html.escape(yLabel)).append("</text>\n");
        return true;
    }

    private static void grid(StringBuilder svg, Axis x, Axis y) {
        svg.append("<g class=\"grid\">\n");
        for (double t : y.ticks) {
            String py = Html.coordinate(y.map(t));
            svg.append("<line x1=\"").append(LEFT).append("\" x2=\"").append(WIDTH - RIGHT).append("\" y1=\"")
                    .append(py).append("\" y2=\"").append(py).append("\"/>\n");
        }
        svg.append("</g>\n<g class=\"axis\">\n");
        svg.append("<line x1=\"").append(LEFT).append("\" x2=\"").append(WIDTH - RIGHT).append("\" y1=\"")
                .append(HEIGHT - BOTTOM).append("\" y2=\"").append(HEIGHT - BOTTOM).append("\"/>\n");
        svg.append("<line x1=\"").append(LEFT).append("\" x2=\"").append(LEFT).append("\" y1=\"").append(TOP)
                .append("\" y2=\"").append(HEIGHT - BOTTOM).append("\"/>\n");
        for (double t : x.ticks) {
            String px = Html.coordinate(x.map(t));
            svg.append("<line x1=\"").append(px).append("\" x2=\"").append(px).append("\" y1=\"")
                    .append(HEIGHT - BOTTOM).append("\" y2=\"").append(HEIGHT - BOTTOM + 5).append("\"/>\n");
            svg.append("<text x=\"").append(px).append("\" y=\"").append(HEIGHT - BOTTOM + 18)
                    .append("\" text-anchor=\"middle\">").append(x.label(t)).append("</text>\n");
        }
        for (double t : y.ticks) {
            String py = Html.coordinate(y.map(t));
            svg.append("<text x=\"").append(LEFT - 8).append("\" y=\"").append(Html.coordinate(y.map(t) + 4))
                    .append("\" text-anchor=\"end\">").append(y.label(t)).append("</text>\n");
            svg.append("<line x1=\"").append(LEFT - 5).append("\" x2=\"").append(LEFT).append("\" y1=\"")
                    .append(py).append("\" y2=\"").append(py).append("\"/>\n");
        }
        svg.append("</g>\n");
    }

    /** The band as one polygon (upper edge left to right, lower edge back); skipped if any bound is not finite. */
    private static void band(StringBuilder svg, ReportData.Curve c, Axis x, Axis y, String color) {
        int t = c.x().length;
        for (int i = 0; i < t; i++) {
            if (!Double.isFinite(c.x()[i]) || !Double.isFinite(c.low()[i]) || !Double.isFinite(c.high()[i])) {
                return;
            }
        }
        svg.append("<polygon class=\"band\" fill=\"").append(color).append("\" points=\"");
        for (int i = 0; i < t; i++) {
            point(svg, x.map(c.x()[i]), y.map(c.high()[i]));
        }
        for (int i = t - 1; i >= 0; i--) {
            point(svg, x.map(c.x()[i]), y.map(c.low()[i]));
        }
        svg.setLength(svg.length() - 1);
        svg.append("\"/>\n");
    }

    /** The mean as a path; a non-finite point breaks the line. */
    private static void line(StringBuilder svg, ReportData.Curve c, Axis x, Axis y, String color) {
        StringBuilder d = new StringBuilder();
        boolean pen = false;
        for (int i = 0; i < c.x().length; i++) {
            if (!Double.isFinite(c.x()[i]) || !Double.isFinite(c.mean()[i])) {
                pen = false;
                continue;
            }
            d.append(pen ? 'L' : 'M').append(Html.coordinate(x.map(c.x()[i]))).append(',')
                    .append(Html.coordinate(y.map(c.mean()[i]))).append(' ');
            pen = true;
        }
        if (d.length() == 0) {
            return;
        }
        d.setLength(d.length() - 1);
        svg.append("<path class=\"mean\" stroke=\"").append(color).append("\" d=\"").append(d).append("\">")
                .append("<title>").append(Html.escape(c.method())).append("</title></path>\n");
    }

    private static void point(StringBuilder svg, double px, double py) {
        svg.append(Html.coordinate(px)).append(',').append(Html.coordinate(py)).append(' ');
    }

    private static double finiteMin(double acc, double v) {
        return Double.isFinite(v) ? StrictMath.min(acc, v) : acc;
    }

    private static double finiteMax(double acc, double v) {
        return Double.isFinite(v) ? StrictMath.max(acc, v) : acc;
    }

    /** A linear axis whose domain is widened to round tick values (steps of 1, 2 or 5 times a power of 10). */
    static final class Axis {
        final double lo;
        final double hi;
        final double from;
        final double to;
        final List<Double> ticks = new ArrayList<>();
        final int decimals;

        private Axis(double lo, double hi, double step, double from, double to) {
            this.lo = lo;
            this.hi = hi;
            this.from = from;
            this.to = to;
            long first = Math.round(lo / step);
            long last = Math.round(hi / step);
            for (long k = first; k <= last; k++) {
                ticks.add(k * step);
            }
            this.decimals = (int) StrictMath.max(0, -StrictMath.floor(StrictMath.log10(step) + 1e-9));
        }

        static Axis of(double min, double max, int target, double from, double to) {
            if (max - min < 1e-12 * StrictMath.max(1, StrictMath.abs(max))) {
                double pad = min == 0 ? 0.5 : StrictMath.abs(min) * 0.1;
                min -= pad;
                max += pad;
            }
            double raw = (max - min) / target;
            double magnitude = StrictMath.pow(10, StrictMath.floor(StrictMath.log10(raw)));
            double norm = raw / magnitude;
            double step = (norm < 1.5 ? 1 : norm < 3 ? 2 : norm < 7 ? 5 : 10) * magnitude;
            double lo = StrictMath.floor(min / step + 1e-9) * step;
            double hi = StrictMath.ceil(max / step - 1e-9) * step;
            return new Axis(lo, hi, step, from, to);
        }

        double map(double v) {
            return from + (v - lo) / (hi - lo) * (to - from);
        }

        String label(double v) {
            return String.format(Locale.ROOT, "%." + decimals + "f", v == 0 ? 0.0 : v);
        }
    }
}
