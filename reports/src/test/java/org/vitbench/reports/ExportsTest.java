package org.vitbench.reports;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
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
                "tables/runtime.csv", "tables/failures.csv", "tables/ranks.csv"), names);
        for (Path f : files) {
            if (f.toString().endsWith(".svg")) {
                Xml.parse(Files.readString(f));
            }
        }
        assertEquals("component,stage,mean_seconds,sd_seconds,n\r\n"
                + "\"a,\"\"b\"\"\nc\",explain,0.0123,0.001,4\r\n"
                + "random,explain,4.56E-5,1.0E-5,4\r\n"
                + "deletion,metric,0.5,0.05,8\r\n", Files.readString(tmp.resolve("tables/runtime.csv")));
        assertEquals("method,average_rank\r\nx,1.0\r\ny,2.0\r\n", Files.readString(tmp.resolve("tables/ranks.csv")));
        assertTrue(Files.readString(tmp.resolve("tables/failures.csv"))
                .contains("kernel-shap:budget=64,deletion,4,IllegalStateException: out of memory & <time>,test-0000"));
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
