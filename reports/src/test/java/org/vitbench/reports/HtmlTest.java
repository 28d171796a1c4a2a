package org.vitbench.reports;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;

import org.junit.jupiter.api.Test;

class HtmlTest {

    @Test
    void escapesTheFiveSpecialCharacters() {
        assertEquals("&lt;a href=&quot;x&quot; title=&#39;y&#39;&gt;Tom &amp; Jerry&lt;/a&gt;",
                Html.escape("<a href=\"x\" title='y'>Tom & Jerry</a>"));
    }

    @Test
    void leavesPlainTextAndUnicodeAlone() {
        String plain = "kernel-shap:budget=2048 \u2193 \u00e9";
        assertSame(plain, Html.escape(plain));
        assertEquals("", Html.escape(null));
    }

    @Test
    void escapesAnAlreadyEscapedStringAgain() {
        assertEquals("&amp;lt;", Html.escape("&lt;"));
    }

    @Test
    void formatsNumbersForTables() {
        assertEquals("0.1235", Html.number(0.123456));
        assertEquals("-2.0000", Html.number(-2));
        assertEquals("0.0000", Html.number(0));
        assertEquals("4.56e-05", Html.number(0.0000456));
        assertEquals("1.23e+05", Html.number(123456));
        assertEquals("\u2013", Html.number(Double.NaN));
    }
}
