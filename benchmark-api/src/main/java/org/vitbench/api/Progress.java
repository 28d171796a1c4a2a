package org.vitbench.api;

/** Receives progress of long work inside a method or metric. Implementations must be cheap. */
@FunctionalInterface
public interface Progress {

    Progress NONE = (done, total) -> { };

    /** {@code done} of {@code total} units are finished. */
    void update(long done, long total);
}
