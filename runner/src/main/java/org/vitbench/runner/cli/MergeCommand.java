package org.vitbench.runner.cli;

import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import org.vitbench.runner.run.ShardMerge;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code vitbench merge}: combines the output directories of a sharded run ({@code run --shard
 * i/n}) into one run directory with its reports; {@link ShardMerge} says what it checks and in
 * which order the records go.
 */
@Command(name = "merge", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Combines the output directories of a sharded run (run --shard I/N) into one run and its reports.",
            "Refuses directories of different configs, and units stored with different outcomes."})
final class MergeCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Option(names = "--out", paramLabel = "DIR", required = true, description = "the merged run's directory")
    Path out;

    @Parameters(paramLabel = "SHARD_DIR", arity = "1..*", description = "the shards' output directories")
    List<Path> shards;

    @Override
    public Integer call() {
        ShardMerge.merge(out, shards, spec.commandLine().getOut(), spec.commandLine().getErr());
        return ExitCode.OK.code();
    }
}
