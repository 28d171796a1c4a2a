package org.vitbench.runner.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.util.Arrays;
import java.util.function.Supplier;
import org.vitbench.api.ConfigurationException;
import org.vitbench.api.Registry;
import org.vitbench.api.VitbenchException;
import org.vitbench.runner.run.Environment;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.IVersionProvider;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/**
 * The {@code vitbench} command line.
 *
 * <p>Exit codes: see {@link ExitCode}.
 *
 * <p>To add a subcommand, write a class annotated with {@link Command} that implements
 * {@code Callable<Integer>}, reach the registry through {@code @ParentCommand Main main} and
 * {@link #registry()}, and list the class in {@link #SUBCOMMANDS}.
 */
@Command(name = "vitbench", mixinStandardHelpOptions = true, versionProvider = Main.Version.class,
        description = "Benchmarks explanation methods for Vision Transformers.",
        synopsisSubcommandLabel = "COMMAND",
        footer = {"", "Exit codes: 0 ok, 1 failure, 2 usage or configuration error, 3 regression. Errors are one "
            + "line; --verbose adds the stack trace."})
public final class Main implements Runnable {

    /** The subcommands, in help order; the extension point for new commands. */
    static final Class<?>[] SUBCOMMANDS = {RunCommand.class, ListCommand.class, ReportCommand.class,
        CompareCommand.class, MergeCommand.class, LeaderboardCommand.class,
        TrainCommand.class, EvaluateCommand.class, PredictCommand.class, EstimationErrorCommand.class,
        ExplainCommand.class, CompletionCommand.class, CommandLine.HelpCommand.class};

    /** The option that adds stack traces to error messages; any command takes it. */
    static final String VERBOSE = "--verbose";

    @picocli.CommandLine.Option(names = VERBOSE, scope = picocli.CommandLine.ScopeType.INHERIT,
            description = "print the details: each skipped pair, the stack trace of an error")
    boolean verbose;

    /** The option that sets the engine's operator threads; read before the engine starts. */
    static final String THREADS = "--threads";

    /** The system properties DJL's PyTorch engine reads its thread counts from when it starts. */
    static final String INTRA_OP = "ai.djl.pytorch.num_threads";
    static final String INTER_OP = "ai.djl.pytorch.num_interop_threads";

    @picocli.CommandLine.Option(names = THREADS, paramLabel = "N", scope = picocli.CommandLine.ScopeType.INHERIT,
            description = "threads of the engine's operators (default: the cores available to Java); one more "
                    + "thread schedules them")
    Integer threads;

    private final Supplier<Registry> registrySupplier;
    private Registry registry;

    @Spec
    CommandSpec spec;

    Main(Supplier<Registry> registrySupplier) {
        this.registrySupplier = registrySupplier;
    }

    public static void main(String[] args) {
        configureEnvironment(args);
        System.exit(execute(Registry::load, args, new PrintWriter(System.out, true), new PrintWriter(System.err, true)));
    }

    /** Parses and runs {@code args}; returns the exit code. */
    public static int execute(Supplier<Registry> registry, String[] args, PrintWriter out, PrintWriter err) {
        try {
            threads(args);
            workers(args);
        } catch (ConfigurationException e) {
            err.println("vitbench: error: " + e.getMessage());
            err.flush();
            return ExitCode.USAGE.code();
        }
        try {
            return commandLine(registry, out, err).execute(args);
        } catch (OutOfMemoryError e) {
            // outside a plug-in call (those become failed cells): the run itself cannot go on
            err.println("vitbench: failed: the Java heap is exhausted (" + e.getMessage() + "); the records of "
                    + "finished batches are stored. Give the JVM more heap (VITBENCH_JAVA_OPTS=-Xmx...) or lower "
                    + "--batch-size, then rerun the same command to resume");
            err.flush();
            return ExitCode.FAILURE.code();
        }
    }

    /** The configured command line, with the exit-code mapping of exceptions. */
    static CommandLine commandLine(Supplier<Registry> registry, PrintWriter out, PrintWriter err) {
        CommandLine cmd = new CommandLine(new Main(registry));
        for (Class<?> sub : SUBCOMMANDS) {
            cmd.addSubcommand(sub);
        }
        cmd.setOut(out);
        cmd.setErr(err);
        cmd.setExecutionExceptionHandler((ex, commandLine, parseResult) -> {
            PrintWriter e = commandLine.getErr();
            boolean verbose = Arrays.asList(parseResult.originalArgs()).contains(VERBOSE);
            int code;
            if (ex instanceof ConfigurationException) {
                e.println("vitbench: error: " + ex.getMessage());
                code = ExitCode.USAGE.code();
            } else if (ex instanceof VitbenchException || ex instanceof UncheckedIOException
                    || ex instanceof IOException) {
                e.println("vitbench: failed: " + ex.getMessage());
                code = ExitCode.FAILURE.code();
            } else {
                e.println("vitbench: unexpected failure: " + ex + (verbose ? "" : " (rerun with " + VERBOSE
                        + " for the stack trace, and please report it)"));
                code = ExitCode.FAILURE.code();
            }
            if (verbose) {
                ex.printStackTrace(e);
            }
            e.flush();
            return code;
        });
        return cmd;
    }

    /** The plug-in registry, loaded on first use. */
    Registry registry() {
        if (registry == null) {
            registry = registrySupplier.get();
        }
        return registry;
    }

    /** Without a subcommand: print usage and exit with the usage code. */
    @Override
    public void run() {
        throw new CommandLine.ParameterException(spec.commandLine(), "missing command: run, list, report, compare, "
                + "merge, leaderboard, explain, train, evaluate, estimation-error or completion");
    }

    /**
     * Settings that must be in place before DJL or SLF4J initialise: DJL offline (no model-zoo
     * downloads), no usage tracking, the engine's thread counts ({@code --threads}, else the cores
     * available to Java, for the operators, and one thread to schedule them; a {@code -D} setting
     * wins), warnings only with {@code --quiet}, and vitbench's details (each skipped pair, for
     * example) with {@code --verbose}.
     */
    static void configureEnvironment(String[] args) {
        if (System.getProperty("ai.djl.offline") == null) {
            System.setProperty("ai.djl.offline", "true");
        }
        // DJL reads OPT_OUT_TRACKING from the environment or the system properties; the launcher
        // exports it, and this covers direct `java -jar` use
        if (System.getProperty("OPT_OUT_TRACKING") == null) {
            System.setProperty("OPT_OUT_TRACKING", "true");
        }
        // explicit thread counts: PyTorch's own default depends on the machine's load and library build
        if (System.getProperty(INTRA_OP) == null) {
            int n;
            try {
                // Spark's local[N] runs N tasks at once in this JVM, each with its own operator threads
                n = threads(args).orElse(Math.max(1, Runtime.getRuntime().availableProcessors()
                        / (localSlots(args) * runWorkers(args))));
            } catch (ConfigurationException e) {
                n = Runtime.getRuntime().availableProcessors(); // execute() reports the bad value
            }
            System.setProperty(INTRA_OP, Integer.toString(n));
        }
        if (System.getProperty(INTER_OP) == null) {
            System.setProperty(INTER_OP, "1");
        }
        if (Arrays.asList(args).contains("--quiet") || Arrays.asList(args).contains("-q")) {
            System.setProperty("org.slf4j.simpleLogger.defaultLogLevel", "warn");
        } else if (Arrays.asList(args).contains(VERBOSE)) {
            System.setProperty("org.slf4j.simpleLogger.log.org.vitbench", "debug");
        }
    }

    /** The tasks Spark runs at once in this JVM for {@code --spark local[N]} ({@code local} alone: 1); else 1. */
    static int localSlots(String[] args) {
        for (int i = 0; i < args.length; i++) {
            String master = args[i].equals("--spark") && i + 1 < args.length ? args[i + 1]
                    : args[i].startsWith("--spark=") ? args[i].substring("--spark=".length()) : null;
            java.util.regex.Matcher m = master == null ? null
                    : java.util.regex.Pattern.compile("local\\[(\\d{1,4}|\\*)(,\\d+)?]").matcher(master);
            if (m != null && m.matches()) {
                return m.group(1).equals("*") ? Runtime.getRuntime().availableProcessors()
                        : Math.max(1, Integer.parseInt(m.group(1)));
            }
        }
        return 1;
    }

    /**
     * The value of {@code --threads N} or {@code --threads=N} in {@code args}, if given.
     *
     * @throws ConfigurationException when the value is not a whole number from 1 to 4096
     */
    static java.util.Optional<Integer> threads(String[] args) {
        return count(args, THREADS, "a thread count", "usually the cores to use");
    }

    /**
     * The value of {@code --workers N} or {@code --workers=N} in {@code args}, if given.
     *
     * @throws ConfigurationException when the value is not a whole number from 1 to 4096
     */
    static java.util.Optional<Integer> workers(String[] args) {
        return count(args, RunCommand.WORKERS, "a number of workers", "at most the cores to use");
    }

    /**
     * The workers {@code vitbench run} will use, as the operator threads are sized for them: the
     * value of {@code --workers}, else {@link RunCommand#defaultWorkers()} for a run in this
     * process, else 1 (other commands, and Spark runs, which have their own tasks).
     */
    static int runWorkers(String[] args) {
        java.util.Optional<Integer> given = workers(args);
        if (given.isPresent()) {
            return given.get();
        }
        boolean run = Arrays.stream(args).filter(a -> !a.startsWith("-")).findFirst().filter("run"::equals).isPresent();
        boolean spark = Arrays.stream(args).anyMatch(a -> a.equals("--spark") || a.startsWith("--spark="));
        boolean gpu = false;
        for (int i = 0; i < args.length; i++) {
            String device = args[i].equals("--device") && i + 1 < args.length ? args[i + 1]
                    : args[i].startsWith("--device=") ? args[i].substring("--device=".length()) : "";
            gpu |= device.startsWith("gpu");
        }
        return run && !spark && !gpu ? RunCommand.defaultWorkers() : 1;
    }

    private static java.util.Optional<Integer> count(String[] args, String option, String what, String hint) {
        String value = null;
        for (int i = 0; i < args.length; i++) {
            if (args[i].equals(option)) {
                value = i + 1 < args.length ? args[i + 1] : "";
            } else if (args[i].startsWith(option + "=")) {
                value = args[i].substring(option.length() + 1);
            }
        }
        if (value == null) {
            return java.util.Optional.empty();
        }
        if (value.matches("[0-9]{1,4}") && Integer.parseInt(value) >= 1 && Integer.parseInt(value) <= 4096) {
            return java.util.Optional.of(Integer.parseInt(value));
        }
        throw new ConfigurationException(option + " '" + value + "' is not " + what + "; give a whole number from "
                + "1 to 4096, " + hint + " (this machine has " + Runtime.getRuntime().availableProcessors() + ")");
    }

    /** {@code --version}: vitbench, DJL and Java versions. */
    static final class Version implements IVersionProvider {
        @Override
        public String[] getVersion() {
            return new String[] {"vitbench " + Environment.version(), "DJL " + Environment.djlVersion(),
                "Java " + System.getProperty("java.runtime.version") + " (" + System.getProperty("java.vendor") + ")"};
        }
    }
}
