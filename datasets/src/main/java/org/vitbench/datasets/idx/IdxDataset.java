package org.vitbench.datasets.idx;

import java.util.List;
import java.util.Objects;
import java.util.function.IntFunction;
import java.util.function.Supplier;
import org.vitbench.api.ConfigurationException;
import org.vitbench.api.Dataset;
import org.vitbench.api.Sample;

/**
 * A {@link Dataset} over a pair of IDX files, exposing their first {@code size} samples.
 *
 * <p>The files are read once, on the first {@link #get}, and kept as raw bytes; each {@code get}
 * converts one image to floats ({@code 1 x rows x cols}, {@code pixel / 255f}). Thread-safe: the
 * first load is guarded, afterwards reads share immutable data. A load that fails throws its
 * {@link ConfigurationException} and is tried again on the next call.
 */
public final class IdxDataset implements Dataset {

    private final String name;
    private final List<String> classNames;
    private final int size;
    private final IntFunction<String> ids;
    private final Supplier<LabelledImages> loader;
    private final Object lock = new Object();
    private volatile LabelledImages data;

    /**
     * @param name dataset and split, e.g. {@code fashion-mnist/test}
     * @param classNames class names; every label must index one
     * @param size samples exposed, the first {@code size} of the files; at most their count
     * @param ids the sample id of each index
     * @param loader reads the files; called once, on first use
     */
    public IdxDataset(String name, List<String> classNames, int size, IntFunction<String> ids,
            Supplier<LabelledImages> loader) {
        if (size < 0) {
            throw new IllegalArgumentException("size must not be negative, got " + size);
        }
        this.name = name;
        this.classNames = List.copyOf(classNames);
        this.size = size;
        this.ids = ids;
        this.loader = loader;
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public List<String> classNames() {
        return classNames;
    }

    @Override
    public int size() {
        return size;
    }

    @Override
    public Sample get(int index) {
        Objects.checkIndex(index, size);
        LabelledImages loaded = data();
        return new Sample(ids.apply(index), loaded.labels().label(index), loaded.images().image(index));
    }

    private LabelledImages data() {
        LabelledImages loaded = data;
        if (loaded == null) {
            synchronized (lock) {
                loaded = data;
                if (loaded == null) {
                    loaded = loader.get();
                    if (loaded.count() < size) {
                        // The files were replaced between open (which read their headers) and now.
                        throw new ConfigurationException(loaded.images().source() + " now holds " + loaded.count()
                                + " images but held at least " + size + " when " + name
                                + " was opened; the files changed, open the dataset again");
                    }
                    data = loaded.checkLabels(classNames.size());
                }
            }
        }
        return loaded;
    }

    @Override
    public String toString() {
        return "IdxDataset[" + name + ", " + size + " samples]";
    }
}
