package org.vitbench.datasets.fashionmnist;

import java.nio.file.Path;
import java.util.Map;
import java.util.Set;
import org.vitbench.api.ConfigurationException;
import org.vitbench.api.Dataset;
import org.vitbench.api.DatasetProvider;
import org.vitbench.api.Parameters;
import org.vitbench.api.ProviderInfo;

/**
 * Provides {@code fashion-mnist}: a full Fashion-MNIST split as {@code 1 x 28 x 28} images in
 * [0, 1] ({@code pixel / 255f}), sample ids {@code fashion-mnist/<split>/<index>}.
 *
 * <p>Parameters: {@code split}, {@code train} or {@code test} (default {@code test});
 * {@code dir}, the directory holding the IDX files (optional; without it
 * {@code $VITBENCH_DATA/fashion-mnist}, {@code $VITBENCH_DATA} and
 * {@code /usr/share/datasets/fashion-mnist} are searched in that order, see
 * {@link FashionMnistFiles#locate}). The headers are checked when the dataset is opened, the data
 * is read once on first use and kept as bytes (8 MB for test, 47 MB for train).
 */
public final class FashionMnistProvider implements DatasetProvider {

    /** The provider id. */
    public static final String ID = "fashion-mnist";

    private final Map<String, String> environment;
    private final Path systemDir;

    /** The provider as {@link java.util.ServiceLoader} creates it: real environment, Debian's directory. */
    public FashionMnistProvider() {
        this(System.getenv(), FashionMnistFiles.SYSTEM_DIR);
    }

    /** A provider that searches {@code environment} and {@code systemDir} instead (tests). */
    FashionMnistProvider(Map<String, String> environment, Path systemDir) {
        this.environment = Map.copyOf(environment);
        this.systemDir = systemDir;
    }

    @Override
    public ProviderInfo info() {
        return new ProviderInfo(ID, "Fashion-MNIST", "Fashion-MNIST (Xiao et al. 2017, arXiv:1708.07747), 28x28 grey,"
                + " 10 classes; parameters: split (train or test, default test), dir (optional; default"
                + " $VITBENCH_DATA[/fashion-mnist], then /usr/share/datasets/fashion-mnist)");
    }

    @Override
    public Dataset open(Parameters parameters) {
        parameters.requireOnly(Set.of("dir", "split"));
        String split = parameters.getChoice("split", "test", Set.of("train", "test"));
        String dir = parameters.getString("dir", null);
        if (dir != null && dir.isBlank()) {
            throw new ConfigurationException("parameter 'dir' of " + ID + " is empty; pass dir=/path/to/fashion-mnist"
                    + " or leave it out to search $" + FashionMnistFiles.DATA_ENV + " and " + systemDir);
        }
        FashionMnistFiles files = FashionMnistFiles.locate(dir, environment.get(FashionMnistFiles.DATA_ENV),
                systemDir, split);
        return FashionMnist.open(files, split);
    }
}
