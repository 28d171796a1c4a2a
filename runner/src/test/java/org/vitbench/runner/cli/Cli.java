package org.vitbench.runner.cli;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.vitbench.api.Registry;

/** Runs the command line in-process against a fake registry and keeps what it printed. */
public final class Cli {

    public final Fakes fakes = Fakes.create();
    private final Registry registry;
    String out = "";
    public String err = "";

    /** Against the fakes. */
    public Cli() {
        this(false);
    }

    private Cli(boolean hostile) {
        registry = hostile ? fakes.hostileRegistry() : fakes.registry();
    }

    /** Against the fakes and the misbehaving plug-ins of {@link Fakes#hostileRegistry()}. */
    static Cli hostile() {
        return new Cli(true);
    }

    int run(String... args) {
        StringWriter o = new StringWriter();
        StringWriter e = new StringWriter();
        int code = Main.execute(() -> registry, args, new PrintWriter(o, true), new PrintWriter(e, true));
        out = o.toString();
        err = e.toString();
        return code;
    }

    /** {@code run} with the fake model and data (batch size 4 unless given), the given methods and metrics, into {@code dir}. */
    public int benchmark(Path dir, List<String> methods, List<String> metrics, String... extra) {
        List<String> args = new ArrayList<>(List.of("run", "--model", "fake-model", "--dataset", "fake-data:size=10",
                "--out", dir.toString(), "--quiet"));
        if (!List.of(extra).contains("--limit")) {
            args.addAll(List.of("--limit", "0"));
        }
        if (!List.of(extra).contains("--batch-size")) {
            args.addAll(List.of("--batch-size", "4"));
        }
        methods.forEach(m -> args.addAll(List.of("--method", m)));
        metrics.forEach(m -> args.addAll(List.of("--metric", m)));
        args.addAll(List.of(extra));
        return run(args.toArray(String[]::new));
    }
}
