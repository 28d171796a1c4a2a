package org.vitbench.api;

import java.util.Map;
import java.util.Optional;
import java.util.function.Function;

/**
 * What {@link MethodDeclaration} and {@link MetricDeclaration} share: the plug-in's description,
 * its {@link Declaration}, the factory that builds it from {@link Arguments}, and the class that
 * declared it. Immutable.
 *
 * @param <I> the description type
 * @param <T> the plug-in type
 */
abstract class DeclaredPlugin<I, T> {

    private final String id;
    private final I info;
    private final Declaration declaration;
    private final Function<Arguments, ? extends T> factory;
    private final Class<?> declaringClass;

    DeclaredPlugin(String id, I info, Declaration declaration, Function<Arguments, ? extends T> factory,
            Class<?> declaringClass) {
        this.id = id;
        this.info = info;
        this.declaration = declaration;
        this.factory = factory;
        this.declaringClass = declaringClass;
    }

    public I info() {
        return info;
    }

    /** The declared parameters and presets. */
    public Optional<Declaration> declaration() {
        return Optional.of(declaration);
    }

    Declaration declared() {
        return declaration;
    }

    Function<Arguments, ? extends T> factory() {
        return factory;
    }

    /** Resolves {@code given} (see {@link Declaration#resolve(Parameters)}). */
    public Arguments resolve(Map<String, String> given) {
        return declaration.resolve(given);
    }

    /** The plug-in with {@code parameters}, resolved by the declaration. */
    public T create(Parameters parameters) {
        return factory.apply(declaration.resolve(parameters));
    }

    /** The plug-in with {@code given} parameters. */
    public T create(Map<String, String> given) {
        return create(Parameters.of(id, given));
    }

    /** The class whose static initialiser made this declaration (named in registry errors). */
    public Class<?> declaringClass() {
        return declaringClass;
    }
}
