package org.vitbench.methods.gradient;

import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import org.vitbench.api.Arguments;
import org.vitbench.api.Declaration;
import org.vitbench.api.MethodDeclaration;

/**
 * The pixel gradient methods {@link SmoothGrad} can wrap, by id. A closed list on purpose: the
 * wrapper needs {@link PixelAttribution}, and looking bases up through {@code ServiceLoader} would
 * let SmoothGrad find (and recurse into) itself.
 */
final class GradientMethods {

    private static final Map<String, MethodDeclaration> BASES = Map.of(
            Saliency.ID, Saliency.DECLARATION,
            GradientInput.ID, GradientInput.DECLARATION,
            IntegratedGradients.ID, IntegratedGradients.DECLARATION);

    private GradientMethods() {
    }

    /** The ids of the wrappable methods. */
    static List<String> ids() {
        return List.copyOf(new TreeSet<>(BASES.keySet()));
    }

    /** The declaration of pixel gradient method {@code id}, one of {@link #ids()}. */
    static Declaration declaration(String id) {
        return BASES.get(id).declaration().orElseThrow();
    }

    /** The pixel gradient method {@code id}, one of {@link #ids()}, with {@code arguments}. */
    static PixelAttribution create(String id, Arguments arguments) {
        return (PixelAttribution) BASES.get(id).create(arguments.parameters());
    }
}
