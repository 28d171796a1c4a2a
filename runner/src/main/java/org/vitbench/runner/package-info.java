/**
 * The {@code vitbench} command line: configuration, the benchmark loop, the append-only result
 * store with resume, progress output and report writing. Plug-ins are reached only through
 * {@link org.vitbench.api.Registry}, never by class.
 */
package org.vitbench.runner;
