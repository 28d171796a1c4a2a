package org.vitbench.api;

import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * An explanation method's registration: what it is, its parameters and presets, and how it is
 * built from its {@link Arguments}. A method declares it as a {@code public static final} field
 * and lists its class in {@code META-INF/services/org.vitbench.api.Explainer}; the
 * {@link Registry} finds every such field. No provider class is written by hand:
 *
 * <pre>{@code
 * public static final MethodDeclaration DECLARATION = MethodDeclaration.of(INFO, List.of(STEPS), Mine::new);
 * }</pre>
 *
 * <p>The listed class needs a public no-argument constructor (the {@link java.util.ServiceLoader}
 * contract); it is never called by the registry.
 */
public final class MethodDeclaration extends DeclaredPlugin<ExplainerInfo, Explainer> implements ExplainerProvider {

    private static final StackWalker CALLER = StackWalker.getInstance(StackWalker.Option.RETAIN_CLASS_REFERENCE);

    private MethodDeclaration(ExplainerInfo info, Declaration declaration,
            Function<Arguments, ? extends Explainer> factory, Class<?> declaringClass) {
        super(info.id(), info, declaration, factory, declaringClass);
    }

    /**
     * @param info what the method is
     * @param parameters its parameters, in the order of its help
     * @param factory builds the method from resolved arguments
     */
    public static MethodDeclaration of(ExplainerInfo info, List<Parameter<?>> parameters,
            Function<Arguments, ? extends Explainer> factory) {
        return new MethodDeclaration(info, Declaration.of(info.id(), parameters), factory, CALLER.getCallerClass());
    }

    /** A copy with preset {@code name}: {@code preset=name} sets {@code values}; given values win. */
    public MethodDeclaration preset(String name, Map<String, String> values) {
        return new MethodDeclaration(info(), declared().preset(name, values), factory(), declaringClass());
    }

    /** A copy that forwards parameters under a prefix to another declaration. */
    public MethodDeclaration nested(Declaration.Nested nested) {
        return new MethodDeclaration(info(), declared().nested(nested), factory(), declaringClass());
    }

    @Override
    public String toString() {
        return "method " + info().id();
    }
}
