package org.vitbench.api;

import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * A metric's registration: what it is, its parameters and its presets' values, and how it is
 * built from its {@link Arguments}. The preset names are those of {@link MetricInfo#presets()}; the
 * first applies when none is given and every spec records its preset. Declared as a
 * {@code public static final} field of a class listed in
 * {@code META-INF/services/org.vitbench.api.Metric} (see {@link MethodDeclaration}).
 */
public final class MetricDeclaration extends DeclaredPlugin<MetricInfo, Metric> implements MetricProvider {

    private static final StackWalker CALLER = StackWalker.getInstance(StackWalker.Option.RETAIN_CLASS_REFERENCE);

    private MetricDeclaration(MetricInfo info, Declaration declaration, Function<Arguments, ? extends Metric> factory,
            Class<?> declaringClass) {
        super(info.id(), info, declaration, factory, declaringClass);
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
        if (!info().presets().contains(name)) {
            throw new IllegalArgumentException(info().id() + " has no preset " + name + "; its presets: "
                    + info().presets());
        }
        return new MetricDeclaration(info(), declared().preset(name, values), factory(), declaringClass());
    }

    @Override
    public String toString() {
        return "metric " + info().id();
    }
}
