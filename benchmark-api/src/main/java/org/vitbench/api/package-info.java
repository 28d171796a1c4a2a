/**
 * The service-provider interface of vitbench: what an explanation method, a metric, a dataset and
 * a model provide, and the plain value types that pass between them.
 *
 * <p>Plug-ins are found with {@link java.util.ServiceLoader} through the provider interfaces
 * ({@link org.vitbench.api.ExplainerProvider}, {@link org.vitbench.api.MetricProvider},
 * {@link org.vitbench.api.DatasetProvider}, {@link org.vitbench.api.ModelProvider}); the
 * {@link org.vitbench.api.Registry} is derived from them. This package depends on DJL's
 * engine-neutral {@code ai.djl:api} only and knows nothing of the PyTorch engine.
 */
package org.vitbench.api;
