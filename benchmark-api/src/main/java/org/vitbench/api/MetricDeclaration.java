package org.vitbench.api;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;

/**
 * A metric's registration: what it is, its parameters and its presets' values, and how it is
 * built from its {@link Arguments}. The preset names are those of {@link MetricInfo#presets()}; the
 * first applies when none is given and every spec records its preset. Declared as a
 * {@code public static final} field of a class listed in
 * {@code META-INF/services/org.vitbench.api.Metric} (see {@link MethodDeclaration}).
 */
public final class MetricDeclaration implements MetricProvider {

    private static final StackWalker CALLER = StackWalker.getInstance(StackWalker.Option.RETAIN_CLASS_REFERENCE);

    private final MetricInfo info;
    private final Declaration declaration;
    private final Function<Arguments, ? extends Metric> factory;
    private final Class<?> declaringClass;

    private MetricDeclaration(MetricInfo info, Declaration declaration, Function<Arguments, ? extends Metric> factory,
            Class<?> declaringClass) {
        this.info = info;
        this.declaration = declaration;
        this.factory = factory;
        this.declaringClass = declaringClass;
    }

    /**
     * @param info what the metric is, with its preset names
     * @param parameters its parameters, in the order of its help
     * @param factory builds the metric from resolved arguments
     */
    public static MetricDeclaration of(MetricInfo info, List<Parameter<?>> parameters,
            Function<Arguments, ? extends Metric> factory) {
        Declaration declaration = Declaration.of(info.id(), parameters);
        for (String preset : info.presets()) {
            declaration = declaration.preset(preset, Map.of());
        }
        return new MetricDeclaration(info, declaration.defaultPreset(info.presets().get(0)), factory,
                CALLER.getCallerClass());
    }

    /** A copy where preset {@code name}, one of the info's, sets {@code values}; given values win. */
    public MetricDeclaration preset(String name, Map<String, String> values) {
        if (!info.presets().contains(name)) {
            throw new IllegalArgumentException(info.id() + " has no preset " + name + "; its presets: "
                    + info.presets());
        }
        return new MetricDeclaration(info, declaration.preset(name, values), factory, declaringClass);
    }

    @Override
    public MetricInfo info() {
        return info;
    }

    @Override
    public Optional<Declaration> declaration() {
        return Optional.of(declaration);
    }

    /** Resolves {@code given} (see {@link Declaration#resolve(Parameters)}). */
    public Arguments resolve(Map<String, String> given) {
        return declaration.resolve(given);
    }

    @Override
    public Metric create(Parameters parameters) {
        return factory.apply(declaration.resolve(parameters));
    }

    /** The metric with {@code given} parameters. */
    public Metric create(Map<String, String> given) {
        return create(Parameters.of(info.id(), given));
    }

    /** The class whose static initialiser made this declaration (named in registry errors). */
    public Class<?> declaringClass() {
        return declaringClass;
    }

    @Override
    public String toString() {
        return "metric " + info.id();
    }
}
