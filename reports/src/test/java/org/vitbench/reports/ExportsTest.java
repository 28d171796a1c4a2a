package org.vitbench.reports;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Standalone charts and CSV tables of a report. */
class ExportsTest {

    @TempDir
    Path tmp;

    @Test
    void everyChartIsAStandaloneSvgAndEveryTableCsv() throws Exception {
        ReportData data = Fixtures.report("a,\"b\"\nc").withAgreement(new ReportData.Agreement(List.of("x", "y"),
                List.of("deletion", "insertion"), new double[] {1.0, 2.0}, 2.0, 0.16, 1.39, 1.0, 0.16));
        List<Path> files = Exports.write(data, tmp);

        Set<String> names = new HashSet<>();
        files.forEach(f -> names.add(tmp.relativize(f).toString()));
        assertEquals(Set.of("charts/curves-deletion.svg", "charts/critical-difference.svg", "charts/runtime.svg",
                "tables/leaderboard.csv", "tables/runtime.csv", "tables/failures.csv", "tables/ranks.csv"), names);
        for (Path f : files) {
            if (f.toString().endsWith(".svg")) {
                String svg = Files.readString(f);
                assertTrue(svg.startsWith("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<svg "), f.toString());
                Xml.parse(svg);
            }
        }
        Golden.check("exports-leaderboard.csv", Files.readString(tmp.resolve("tables/leaderboard.csv")));
        Golden.check("exports-runtime.csv", Files.readString(tmp.resolve("tables/runtime.csv")));
        Golden.check("exports-failures.csv", Files.readString(tmp.resolve("tables/failures.csv")));
        Golden.check("exports-ranks.csv", Files.readString(tmp.resolve("tables/ranks.csv")));
    }

    @Test
    void fieldsWithCommasQuotesOrLineBreaksAreQuotedAsRfc4180Says() {
        ReportData data = new ReportData("t", Map.of(), List.of(), List.of(), List.of(
                new ReportData.Failure("m,1", "say \"hi\"", 2, "line one\nline two\r\nthree", null),
                new ReportData.Failure("plain", "metric", 1, "", "s-1")), List.of());
        assertEquals("method,metric,samples,reason,example_sample\n"
                + "\"m,1\",\"say \"\"hi\"\"\",2,\"line one\nline two\r\nthree\",\n"
                + "plain,metric,1,,s-1\n", Exports.failuresCsv(data));
    }

    @Test
    void fileNamesAreSafeAndUnique() {
        Set<String> used = new HashSet<>();
        assertEquals("curves-deletion-vit-shapley", Exports.unique("curves-deletion@vit-shapley", used));
        assertEquals("curves-deletion-vit-shapley-2", Exports.unique("curves-deletion@vit-shapley", used));
        assertEquals("etc-passwd", Exports.unique("../../etc/passwd", used));
        assertEquals("chart", Exports.unique("///", used));
    }
}
