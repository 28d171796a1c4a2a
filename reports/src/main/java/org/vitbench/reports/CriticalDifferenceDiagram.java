package org.vitbench.reports;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;

/**
 * The critical-difference diagram of Demšar (2006, "Statistical Comparisons of Classifiers over
 * Multiple Data Sets", JMLR 7:1-30, section 3.2.2): the methods' average ranks across metrics on an
 * axis (rank 1, the best, on the left), the Nemenyi critical difference as a bar of its length, and
 * thick bars joining methods whose average ranks differ by less than it (not significantly
 * different). When the Friedman test does not reject equal ranks at 5%, one bar joins all methods;
 * when the critical difference is unknown (more methods than its table), no group is drawn and the
 * caption says why.
 */
final class CriticalDifferenceDiagram {

    private static final int AXIS_Y = 56;
    private static final int AXIS_WIDTH = 360;
    /** Axis length per method beyond 18 methods, so that ranks keep their room. */
    private static final int AXIS_PER_METHOD = 20;
    /** Least distance between the centres of two rank numbers on the axis. */
    private static final double LABEL_GAP = 26;
    private static final int ROW = 18;
    private static final double CHAR_WIDTH = 6.2;

    private CriticalDifferenceDiagram() {
    }

    /**
     * The maximal groups of methods whose average ranks, sorted ascending, lie within less than
     * {@code cd} of each other; each group as {first, last} indices into the sorted ranks. Groups
     * contained in an earlier one and single methods are left out.
     */
    static List<int[]> groups(double[] sortedRanks, double cd) {
        List<int[]> out = new ArrayList<>();
        int lastEnd = -1;
        for (int i = 0; i < sortedRanks.length; i++) {
            int j = i;
            while (j + 1 < sortedRanks.length && sortedRanks[j + 1] - sortedRanks[i] < cd) {
                j++;
            }
            if (j > i && j > lastEnd) {
                out.add(new int[] {i, j});
                lastEnd = j;
            }
        }
        return out;
    }

    /** The diagram as inline SVG inside a figure with its caption. */
    static String render(ReportData.Agreement a) {
        return "<figure class=\"chart\">\n" + svg(a, false) + "<figcaption class=\"note\">" + Html.escape(caption(a))
                + "</figcaption>\n</figure>\n";
    }

    /** The diagram as a standalone SVG document. */
    static String standalone(ReportData.Agreement a) {
        return svg(a, true);
    }

    static String caption(ReportData.Agreement a) {
        String base = "Average ranks across metrics (1 = best, on the left). ";
        if (Double.isNaN(a.criticalDifference())) {
            return base + "No critical difference could be computed, so no groups are drawn.";
        }
        if (!(a.friedmanP() < 0.05)) {
            return base + String.format(Locale.ROOT, "The Friedman test does not reject equal ranks (p = %.3g), so one "
                    + "bar joins all methods: none differs significantly.", a.friedmanP());
        }
        return base + String.format(Locale.ROOT, "Bars join methods whose average ranks differ by less than the "
                + "Nemenyi critical difference CD = %.2f (5%%): those are not significantly different.",
                a.criticalDifference());
    }

    private static String svg(ReportData.Agreement a, boolean standalone) {
        int k = a.methods().size();
        Integer[] order = new Integer[k];
        for (int i = 0; i < k; i++) {
            order[i] = i;
        }
        double[] ranks = a.averageRanks();
        Arrays.sort(order, Comparator.comparingDouble(i -> ranks[i]));
        double[] sorted = new double[k];
        for (int i = 0; i < k; i++) {
            sorted[i] = ranks[order[i]];
        }
        boolean significant = a.friedmanP() < 0.05;
        double cd = a.criticalDifference();
        List<int[]> groups = Double.isNaN(cd) ? List.of()
                : significant ? groups(sorted, cd) : List.of(new int[] {0, k - 1});

        int left = (k + 1) / 2;
        double labelWidth = 0;
        for (String m : a.methods()) {
            // the label is the method and its rank, " (1.50)": 7 characters more
            labelWidth = Math.max(labelWidth, (m.length() + 7) * CHAR_WIDTH);
        }
        double x0 = 24 + labelWidth + 16;
        double x1 = x0 + Math.max(AXIS_WIDTH, AXIS_PER_METHOD * k);
        int width = (int) Math.ceil(x1 + 16 + labelWidth + 24);
        int groupTop = AXIS_Y + 10;
        int rowTop = groupTop + 8 * groups.size() + 14;
        int height = rowTop + ROW * Math.max(left, k - left) + 10;
        double lo = 1;
        double hi = Math.max(2, k);

        StringBuilder s = new StringBuilder();
        if (standalone) {
            s.append(Svg.header(width, height, "critical difference diagram"));
        } else {
            s.append("<svg viewBox=\"0 0 ").append(width).append(' ').append(height).append("\" width=\"").append(width)
                    .append("\" height=\"").append(height).append("\" role=\"img\" aria-label=\"critical difference "
                    + "diagram\">\n");
        }
        s.append("<title>Critical difference diagram: average ranks across metrics</title>\n<g class=\"cd\">\n");
        if (!Double.isNaN(cd)) {
            double end = x(lo + cd, lo, hi, x0, x1);
            s.append(line(x0, 22, end, 22)).append(line(x0, 17, x0, 27)).append(line(end, 17, end, 27));
            s.append("<text x=\"").append(Html.coordinate((x0 + end) / 2)).append("\" y=\"13\" text-anchor=\"middle\">")
                    .append(String.format(Locale.ROOT, "CD = %.2f", cd)).append("</text>\n");
        }
        s.append(line(x0, AXIS_Y, x1, AXIS_Y));
        int step = labelStep((x1 - x0) / (hi - lo));
        for (int r = 1; r <= hi; r++) {
            double px = x(r, lo, hi, x0, x1);
            boolean labelled = (r - 1) % step == 0;
            s.append(line(px, AXIS_Y - (labelled ? 5 : 3), px, AXIS_Y));
            if (labelled) {
                s.append("<text x=\"").append(Html.coordinate(px)).append("\" y=\"").append(AXIS_Y - 9)
                        .append("\" text-anchor=\"middle\">").append(r).append("</text>\n");
            }
        }
        for (int i = 0; i < k; i++) {
            int m = order[i];
            double px = x(ranks[m], lo, hi, x0, x1);
            boolean onLeft = i < left;
            int py = rowTop + ROW * (onLeft ? i : k - 1 - i);
            double tx = onLeft ? x0 - 10 : x1 + 10;
            s.append("<polyline fill=\"none\" stroke=\"#1f2328\" points=\"").append(Html.coordinate(px)).append(',')
                    .append(AXIS_Y).append(' ').append(Html.coordinate(px)).append(',').append(py).append(' ')
                    .append(Html.coordinate(tx)).append(',').append(py).append("\"/>\n");
            s.append("<text x=\"").append(Html.coordinate(onLeft ? tx - 4 : tx + 4)).append("\" y=\"").append(py + 4)
                    .append("\" text-anchor=\"").append(onLeft ? "end" : "start").append("\">")
                    .append(Html.escape(a.methods().get(m))).append(String.format(Locale.ROOT, " (%.2f)", ranks[m]))
                    .append("</text>\n");
        }
        for (int g = 0; g < groups.size(); g++) {
            int[] grp = groups.get(g);
            double from = x(sorted[grp[0]], lo, hi, x0, x1) - 4;
            double to = x(sorted[grp[1]], lo, hi, x0, x1) + 4;
            int py = groupTop + 8 * g;
            s.append("<line class=\"group\" stroke=\"#1f2328\" stroke-width=\"4\" x1=\"").append(Html.coordinate(from))
                    .append("\" x2=\"").append(Html.coordinate(to)).append("\" y1=\"").append(py).append("\" y2=\"")
                    .append(py).append("\"/>\n");
        }
        return s.append("</g>\n</svg>\n").toString();
    }

    /**
     * Every how many ranks the axis is numbered (1, 2, 5, 10, 20, ..., counting from rank 1), so
     * that numbers stand at least {@link #LABEL_GAP} pixels apart.
     */
    static int labelStep(double pixelsPerRank) {
        for (int scale = 1; ; scale *= 10) {
            for (int b : new int[] {1, 2, 5}) {
                if (b * scale * pixelsPerRank >= LABEL_GAP) {
                    return b * scale;
                }
            }
        }
    }

    private static double x(double rank, double lo, double hi, double x0, double x1) {
        return x0 + (rank - lo) / (hi - lo) * (x1 - x0);
    }

    private static String line(double xa, double ya, double xb, double yb) {
        return "<line stroke=\"#1f2328\" x1=\"" + Html.coordinate(xa) + "\" y1=\"" + Html.coordinate(ya) + "\" x2=\""
                + Html.coordinate(xb) + "\" y2=\"" + Html.coordinate(yb) + "\"/>\n";
    }
}
