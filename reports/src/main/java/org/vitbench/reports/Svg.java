package org.vitbench.reports;

/**
 * What standalone SVG documents share: the XML declaration, the namespace, a white background and
 * the style rules that the report's stylesheet gives its inline charts.
 */
final class Svg {

    /** The report's chart rules, for documents that stand alone. */
    static final String STYLE = "text { font: 11px sans-serif; fill: #1f2328; } .grid line { stroke: #eaeef2; } "
            + ".axis line { stroke: #57606a; } .band { fill-opacity: .16; stroke: none; } "
            + ".mean { fill: none; stroke-width: 2; } .label { font-size: 12px; } .bar { fill: #0072B2; } "
            + ".spread line, .cd line { stroke: #1f2328; } .group { stroke: #1f2328; stroke-width: 4; }";

    private Svg() {
    }

    /** The opening of a standalone document of the given size; {@code label} names it for screen readers. */
    static String header(int width, int height, String label) {
        return "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 "
                + width + " " + height + "\" width=\"" + width + "\" height=\"" + height + "\" role=\"img\" aria-label=\""
                + Html.escape(label) + "\">\n<style>" + STYLE + "</style>\n<rect width=\"100%\" height=\"100%\" "
                + "fill=\"#ffffff\"/>\n";
    }
}
