package org.vitbench.runner.cli;

import java.io.PrintWriter;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;
import org.vitbench.api.ConfigurationException;
import org.vitbench.api.DatasetProvider;
import org.vitbench.api.Declaration;
import org.vitbench.api.ExplainerInfo;
import org.vitbench.api.MetricInfo;
import org.vitbench.api.ModelProvider;
import org.vitbench.api.Parameter;
import org.vitbench.api.Registry;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/**
 * {@code vitbench list}: the installed methods, metrics, datasets and models; {@code vitbench list
 * ID} shows one method's or metric's parameters and presets, as the plug-in declares them.
 */
@Command(name = "list", mixinStandardHelpOptions = true,
        description = "Lists the installed methods, metrics, datasets and models; with an ID, the parameters and "
                + "presets of that method or metric.")
final class ListCommand implements Callable<Integer> {

    @ParentCommand
    Main main;

    @Spec
    CommandSpec spec;

    @Parameters(arity = "0..1", paramLabel = "ID", description = "A method or metric id, e.g. kernel-shap.")
    String id;

    @Override
    public Integer call() {
        Registry registry = main.registry();
        PrintWriter out = spec.commandLine().getOut();
        if (id != null) {
            return details(registry, out);
        }
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
        out.println();
        out.println("'vitbench list ID' shows the parameters and presets of a method or metric.");
        out.flush();
        return ExitCode.OK.code();
    }

    private int details(Registry registry, PrintWriter out) {
        Optional<Declaration> declaration;
        if (registry.explainers().containsKey(id)) {
            ExplainerInfo i = registry.explainer(id).info();
            out.printf("%s: %s (method, family %s)%n  %s%n", i.id(), i.name(), lower(i.family()), i.reference());
            declaration = registry.explainer(id).declaration();
        } else if (registry.metrics().containsKey(id)) {
            MetricInfo i = registry.metric(id).info();
            out.printf("%s: %s (metric, %s, %s %s)%n  %s%n", i.id(), i.name(), lower(i.category()),
                    lower(i.direction()).replace('_', ' '), i.direction().arrow(), i.reference());
            declaration = registry.metric(id).declaration();
        } else {
            throw new ConfigurationException("'" + id + "' is neither an installed method nor metric; 'vitbench list'"
                    + " shows them all");
        }
        if (declaration.isEmpty()) {
            out.println("Its provider declares no parameters; see the plug-in's documentation.");
            out.flush();
            return ExitCode.OK.code();
        }
        out.println();
        out.println(declaration.get().parameters().isEmpty() ? "Parameters: none" : "Parameters:");
        for (Parameter<?> p : declaration.get().parameters()) {
            out.printf("  %-16s default %s; %s%s%n      %s%n", p.name(), p.defaultText().isEmpty() ? "(none)"
                    : p.defaultText(), p.allowed(), p.condition().isEmpty() ? "" : "; only with " + p.condition(),
                    p.description());
        }
        Map<String, Map<String, String>> presets = declaration.get().presets();
        if (!presets.isEmpty()) {
            out.println();
            out.println("Presets (preset=NAME; parameters given explicitly win):");
            presets.forEach((name, values) -> out.printf("  %-16s %s%n", name,
                    values.isEmpty() ? "the defaults" : new TreeMap<>(values).toString()));
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
