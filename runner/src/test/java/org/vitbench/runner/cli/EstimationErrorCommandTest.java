package org.vitbench.runner.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class EstimationErrorCommandTest {

    @TempDir
    Path dir;

    private static String[] args(Path out, String... extra) {
        List<String> args = new java.util.ArrayList<>(List.of("estimation-error", "--model", "fake-model", "--dataset",
                "fake-data:size=10", "--budgets", "18,34", "--subsets", "4", "--truth-budget", "2000",
                "--truth-subsets", "16", "--out", out.toString()));
        args.addAll(List.of(extra));
        if (!args.contains("--limit")) {
            args.addAll(List.of("--limit", "3"));
        }
        return args.toArray(String[]::new);
    }

    @Test
    void reportsTheErrorPerBudgetAndResumesWithoutRecomputing() throws Exception {
        Cli cli = new Cli();
        assertEquals(0, cli.run(args(dir, "--method", "oracle")), cli.err);
        assertTrue(cli.out.contains("| kernel-shap@18 | 18 |"), cli.out);
        assertTrue(cli.out.contains("| kernel-shap@34 | 34 |"), cli.out);
        assertTrue(cli.out.contains("| oracle | - |"), cli.out);
        assertTrue(cli.out.contains("3 images"), cli.out);
        List<String> samples = Files.readAllLines(dir.resolve("samples.jsonl"));
        List<String> truth = Files.readAllLines(dir.resolve("truth.jsonl"));
        assertEquals(3, samples.size());
        assertEquals(3, truth.size());
        assertTrue(Files.readString(dir.resolve("summary.md")).contains("kernel-shap@34"));

        // A rerun computes nothing new and reports the same table.
        String table = cli.out;
        assertEquals(0, cli.run(args(dir, "--method", "oracle")), cli.err);
        assertEquals(samples, Files.readAllLines(dir.resolve("samples.jsonl")));
        assertEquals(table, cli.out);
        assertTrue(cli.err.isEmpty() || !cli.err.contains("[1/3]"), cli.err);

        // More samples reuse the stored truths and add only the new ones.
        assertEquals(0, cli.run(args(dir, "--method", "oracle", "--limit", "4")), cli.err);
        assertEquals(4, Files.readAllLines(dir.resolve("samples.jsonl")).size());
        assertTrue(cli.out.contains("4 images"), cli.out);
    }

    @Test
    void theErrorShrinksWithTheBudget() throws Exception {
        Cli cli = new Cli();
        assertEquals(0, cli.run(args(dir, "--budgets", "10,1002")), cli.err);
        double small = l2(cli.out, "kernel-shap@10");
        double large = l2(cli.out, "kernel-shap@1002");
        assertTrue(large < small, "L2 " + large + " at 1002 evaluations, " + small + " at 10");
    }

    @Test
    void otherSettingsInTheSameDirectoryAreRefusedAndNothingIsLost() throws Exception {
        Cli cli = new Cli();
        assertEquals(0, cli.run(args(dir)), cli.err);
        List<String> before = Files.readAllLines(dir.resolve("samples.jsonl"));
        assertEquals(2, cli.run(args(dir, "--budgets", "18,66")));
        assertTrue(cli.err.contains("other settings") && cli.err.contains("--out"), cli.err);
        assertEquals(before, Files.readAllLines(dir.resolve("samples.jsonl")));
    }

    @Test
    void aTooSmallBudgetNamesTheMinimum() {
        Cli cli = new Cli();
        assertEquals(2, cli.run(args(dir, "--budgets", "8")));
        assertTrue(cli.err.contains("10"), cli.err);
    }

    private static double l2(String table, String estimator) {
        for (String line : table.split("\n")) {
            if (line.startsWith("| " + estimator + " |")) {
                return Double.parseDouble(line.split("\\|")[3].trim().split(" ")[0]);
            }
        }
        throw new AssertionError(estimator + " not in " + table);
    }
}
