package org.vitbench.api;

import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.security.CodeSource;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.ServiceConfigurationError;
import java.util.ServiceLoader;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.function.Function;

/**
 * Every installed plug-in, found with {@link ServiceLoader}. There is no second list of names: the
 * registry is what the class path provides. Two providers with one id fail at start-up, naming
 * both classes and where they were loaded from.
 */
public final class Registry {

    private final SortedMap<String, ExplainerProvider> explainers;
    private final SortedMap<String, MetricProvider> metrics;
    private final SortedMap<String, DatasetProvider> datasets;
    private final SortedMap<String, ModelProvider> models;

    private Registry(SortedMap<String, ExplainerProvider> explainers, SortedMap<String, MetricProvider> metrics,
            SortedMap<String, DatasetProvider> datasets, SortedMap<String, ModelProvider> models) {
        this.explainers = Collections.unmodifiableSortedMap(explainers);
        this.metrics = Collections.unmodifiableSortedMap(metrics);
        this.datasets = Collections.unmodifiableSortedMap(datasets);
        this.models = Collections.unmodifiableSortedMap(models);
    }

    /**
     * Loads the providers visible to {@code loader}: the declarations of the classes listed in
     * {@code META-INF/services/org.vitbench.api.Explainer} and {@code ...Metric} (every
     * {@code public static final} field of type {@link MethodDeclaration} or
     * {@link MetricDeclaration}), and hand-written providers listed under the provider interfaces.
     */
    public static Registry load(ClassLoader loader) {
        return new Registry(
                index("explainer", concat("explainer", declared("explainer", Explainer.class, MethodDeclaration.class, loader),
                        ServiceLoader.load(ExplainerProvider.class, loader)), p -> p.info().id()),
                index("metric", concat("metric", declared("metric", Metric.class, MetricDeclaration.class, loader),
                        ServiceLoader.load(MetricProvider.class, loader)), p -> p.info().id()),
                index("dataset", ServiceLoader.load(DatasetProvider.class, loader), p -> p.info().id()),
                index("model", ServiceLoader.load(ModelProvider.class, loader), p -> p.info().id()));
    }

    /** Loads the providers visible to this class's loader. */
    public static Registry load() {
        return load(Registry.class.getClassLoader());
    }

    /** Builds a registry from given providers (tests, embedding); duplicates fail as in {@link #load}. */
    public static Registry of(List<ExplainerProvider> explainers, List<MetricProvider> metrics,
            List<DatasetProvider> datasets, List<ModelProvider> models) {
        return new Registry(index("explainer", explainers, p -> p.info().id()),
                index("metric", metrics, p -> p.info().id()),
                index("dataset", datasets, p -> p.info().id()),
                index("model", models, p -> p.info().id()));
    }

    /** The declarations in the public static final fields of the classes listed for {@code service}. */
    private static <D> List<D> declared(String kind, Class<?> service, Class<D> declaration, ClassLoader loader) {
        List<D> found = new ArrayList<>();
        List<? extends Class<?>> types;
        try {
            types = ServiceLoader.load(service, loader).stream().map(ServiceLoader.Provider::type).toList();
        } catch (ServiceConfigurationError e) {
            throw new VitbenchException("cannot load the " + kind + " plug-ins: " + e.getMessage()
                    + (e.getCause() == null ? "" : " (" + e.getCause() + ")") + "; a class listed in META-INF/services/"
                    + service.getName() + " must implement it and have a public no-argument constructor; rebuild "
                    + "the plug-in's jar or remove it from VITBENCH_PLUGINS", e);
        }
        for (Class<?> type : types) {
            int before = found.size();
            for (Field field : type.getFields()) {
                int modifiers = field.getModifiers();
                if (Modifier.isStatic(modifiers) && Modifier.isFinal(modifiers)
                        && declaration.isAssignableFrom(field.getType())) {
                    try {
                        found.add(declaration.cast(field.get(null)));
                    } catch (IllegalAccessException | RuntimeException | LinkageError e) {
                        throw new VitbenchException("the " + kind + " plug-in " + origin(type) + " cannot be "
                                + "initialised: " + e + "; fix the plug-in or remove it from VITBENCH_PLUGINS", e);
                    }
                }
            }
            if (found.size() == before) {
                throw new VitbenchException("the " + kind + " plug-in " + origin(type) + " is listed in META-INF/"
                        + "services/" + service.getName() + " but declares no public static final "
                        + declaration.getSimpleName() + "; add one or remove the listing");
            }
        }
        return found;
    }

    private static <P> List<P> concat(String kind, List<? extends P> declared, Iterable<? extends P> handWritten) {
        List<P> all = new ArrayList<>(declared);
        Iterator<? extends P> it = handWritten.iterator();
        while (true) {
            try {
                if (!it.hasNext()) {
                    return all;
                }
                all.add(it.next());
            } catch (ServiceConfigurationError e) {
                // a listed class that is missing, not a provider, or whose constructor throws
                throw new VitbenchException("cannot load the " + kind + " plug-ins: " + e.getMessage()
                        + (e.getCause() == null ? "" : " (" + e.getCause() + ")") + "; rebuild the plug-in's jar or "
                        + "remove it from VITBENCH_PLUGINS", e);
            }
        }
    }

    static <P> SortedMap<String, P> index(String kind, Iterable<P> providers, Function<P, String> id) {
        SortedMap<String, P> byId = new TreeMap<>();
        Iterator<P> it = providers.iterator();
        while (true) {
            P provider;
            try {
                if (!it.hasNext()) {
                    break;
                }
                provider = it.next();
            } catch (ServiceConfigurationError e) {
                // a listed class that is missing, not a provider, or whose constructor throws
                throw new VitbenchException("cannot load the " + kind + " plug-ins: " + e.getMessage()
                        + (e.getCause() == null ? "" : " (" + e.getCause() + ")") + "; rebuild the plug-in's jar or "
                        + "remove it from VITBENCH_PLUGINS", e);
            }
            String name;
            try {
                name = id.apply(provider);
            } catch (RuntimeException | LinkageError e) {
                throw new VitbenchException("the " + kind + " plug-in " + origin(provider) + " has no valid info(): "
                        + e + "; fix the plug-in or remove it from VITBENCH_PLUGINS", e);
            }
            P previous = byId.putIfAbsent(name, provider);
            if (previous != null) {
                throw new VitbenchException("duplicate " + kind + " id '" + name + "': provided by "
                        + origin(previous) + " and by " + origin(provider)
                        + "; remove one of them from the class path");
            }
        }
        return byId;
    }

    private static String origin(Object provider) {
        if (provider instanceof DeclaredPlugin<?, ?> d) {
            return origin(d.declaringClass());
        }
        return origin(provider.getClass());
    }

    private static String origin(Class<?> type) {
        CodeSource source = type.getProtectionDomain().getCodeSource();
        return type.getName() + " (" + (source == null || source.getLocation() == null
                ? "unknown location" : source.getLocation()) + ")";
    }

    public SortedMap<String, ExplainerProvider> explainers() {
        return explainers;
    }

    public SortedMap<String, MetricProvider> metrics() {
        return metrics;
    }

    public SortedMap<String, DatasetProvider> datasets() {
        return datasets;
    }

    public SortedMap<String, ModelProvider> models() {
        return models;
    }

    public ExplainerProvider explainer(String id) {
        return find("method", explainers, id);
    }

    public MetricProvider metric(String id) {
        return find("metric", metrics, id);
    }

    public DatasetProvider dataset(String id) {
        return find("dataset", datasets, id);
    }

    public ModelProvider model(String id) {
        return find("model", models, id);
    }

    private static <P> P find(String kind, Map<String, P> byId, String id) {
        P provider = byId.get(id);
        if (provider == null) {
            throw new ConfigurationException("unknown " + kind + " '" + id + "'; known: "
                    + (byId.isEmpty() ? "none installed" : String.join(", ", byId.keySet())));
        }
        return provider;
    }
}
