package org.vitbench.api;

import java.util.List;

/**
 * A finite, indexable set of samples. Implementations are read-only and thread-safe; {@code get}
 * may read lazily.
 */
public interface Dataset {

    /** Identifies this dataset and its split, e.g. {@code fashion-mnist/test}. */
    String name();

    List<String> classNames();

    int size();

    /** The sample at {@code index}, {@code 0 <= index < size()}. */
    Sample get(int index);

    /** Whether samples carry ground-truth localisation masks. */
    default boolean hasMasks() {
        return false;
    }
}
