package org.vitbench.methods.gradient;

import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Function;
import org.vitbench.api.ConfigurationException;
import org.vitbench.api.Parameters;

/**
 * The pixel gradient methods {@link SmoothGrad} can wrap, by id. A closed list on purpose: the
 * wrapper needs {@link PixelAttribution}, and looking bases up through {@code ServiceLoader} would
 * let SmoothGrad find (and recurse into) itself.
 */
final class GradientMethods {

    private static final Map<String, Function<Parameters, PixelAttribution>> BASES = Map.of(
            Saliency.ID, Saliency::create,
            GradientInput.ID, GradientInput::create,
            IntegratedGradients.ID, IntegratedGradients::create);

    private GradientMethods() {
    }

    /** The ids of the wrappable methods. */
    static Set<String> ids() {
        return new TreeSet<>(BASES.keySet());
    }

    /**
     * @throws ConfigurationException naming the unknown id and the known ones
     */
    static PixelAttribution create(String id, Parameters parameters) {
        Function<Parameters, PixelAttribution> factory = BASES.get(id);
        if (factory == null) {
            throw new ConfigurationException("'" + id + "' is not a pixel gradient method; allowed: "
                    + String.join(", ", ids()));
        }
        return factory.apply(parameters);
    }
}
