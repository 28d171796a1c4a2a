package org.vitbench.runner;

import java.io.PrintWriter;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;
import org.vitbench.api.DatasetProvider;
import org.vitbench.api.ExplainerInfo;
import org.vitbench.api.MetricInfo;
import org.vitbench.api.ModelProvider;
import org.vitbench.api.Registry;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/** {@code vitbench list}: the installed methods, metrics, datasets and models. */
@Command(name = "list", mixinStandardHelpOptions = true,
        description = "Lists the installed methods, metrics, datasets and models.")
final class ListCommand implements Callable<Integer> {

    @ParentCommand
    Main main;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        Registry registry = main.registry();
        PrintWriter out = spec.commandLine().getOut();
        out.println("Methods (--method ID[:K=V,...]):");
        if (registry.explainers().isEmpty()) {
            out.println("  none installed");
        }
        for (var p : registry.explainers().values()) {
            ExplainerInfo i = p.info();
            out.printf("  %-24s %s, family %s, needs %s%s%n      %s%n", i.id(), i.name(), lower(i.family()),
                    set(i.requirements()), i.allClasses() ? ", all classes at once" : "", i.reference());
        }
        out.println();
        out.println("Metrics (--metric ID[:preset=NAME,K=V,...]):");
        if (registry.metrics().isEmpty()) {
            out.println("  none installed");
        }
        for (var p : registry.metrics().values()) {
            MetricInfo i = p.info();
            out.printf("  %-24s %s, %s, %s %s, presets %s, needs %s%n      %s%n", i.id(), i.name(),
                    lower(i.category()), lower(i.direction()).replace('_', ' '), i.direction().arrow(),
                    String.join(" ", i.presets()), set(i.requirements()), i.reference());
        }
        out.println();
        out.println("Datasets (--dataset ID[:K=V,...]):");
        for (Map.Entry<String, DatasetProvider> e : registry.datasets().entrySet()) {
            out.printf("  %-24s %s: %s%n", e.getKey(), e.getValue().info().name(), e.getValue().info().description());
        }
        if (registry.datasets().isEmpty()) {
            out.println("  none installed");
        }
        out.println();
        out.println("Models (--model ID[:K=V,...]):");
        for (Map.Entry<String, ModelProvider> e : registry.models().entrySet()) {
            out.printf("  %-24s %s: %s%n", e.getKey(), e.getValue().info().name(), e.getValue().info().description());
        }
        if (registry.models().isEmpty()) {
            out.println("  none installed");
        }
        out.flush();
        return ExitCode.OK.code();
    }

    private static String lower(Enum<?> e) {
        return e.name().toLowerCase(Locale.ROOT);
    }

    private static String set(Set<? extends Enum<?>> values) {
        if (values.isEmpty()) {
            return "nothing";
        }
        return String.join(", ", values.stream().map(v -> lower(v).replace('_', ' '))
                .collect(Collectors.toCollection(TreeSet::new)));
    }
}
