package org.vitbench.datasets.canvas;

import java.nio.file.Path;
import java.util.Map;
import java.util.Set;
import org.vitbench.api.ConfigurationException;
import org.vitbench.api.Dataset;
import org.vitbench.api.DatasetProvider;
import org.vitbench.api.Parameters;
import org.vitbench.api.ProviderInfo;
import org.vitbench.datasets.fashionmnist.FashionMnist;
import org.vitbench.datasets.fashionmnist.FashionMnistFiles;

/**
 * Provides {@code fashion-mnist-canvas}: each Fashion-MNIST item of a split on a larger textured
 * canvas with distractors, {@code 1 x size x size} grey in [0, 1], with a ground-truth mask of the
 * item's pixels (see {@link CanvasDataset} for the composition).
 *
 * <p>Parameters: {@code split}, {@code train} or {@code test} (default {@code test});
 * {@code size}, the canvas side, {@value CanvasOptions#MIN_SIZE} to {@value CanvasOptions#MAX_SIZE}
 * (default {@value CanvasOptions#DEFAULT_SIZE}); {@code seed}, 0 to {@value Integer#MAX_VALUE}
 * (default 0); {@code distractors}, 0 to {@value CanvasOptions#MAX_DISTRACTORS} (default
 * {@value CanvasOptions#DEFAULT_DISTRACTORS}); {@code limit}, the first {@code limit} samples
 * (default all); {@code dir}, the directory of the Fashion-MNIST IDX files (optional; searched as
 * {@code fashion-mnist} does, {@link FashionMnistFiles#locate}). Missing data fails with a
 * {@link ConfigurationException} naming Debian's package {@code dataset-fashion-mnist}.
 */
public final class CanvasProvider implements DatasetProvider {

    /** The provider id. */
    public static final String ID = "fashion-mnist-canvas";

    private final Map<String, String> environment;
    private final Path systemDir;

    /** The provider as {@link java.util.ServiceLoader} creates it: real environment, Debian's directory. */
    public CanvasProvider() {
        this(System.getenv(), FashionMnistFiles.SYSTEM_DIR);
    }

    /** A provider that searches {@code environment} and {@code systemDir} instead (tests). */
    CanvasProvider(Map<String, String> environment, Path systemDir) {
        this.environment = Map.copyOf(environment);
        this.systemDir = systemDir;
    }

    @Override
    public ProviderInfo info() {
        return new ProviderInfo(ID, "Fashion-MNIST on a canvas", "Fashion-MNIST items at random positions on a"
                + " textured grey canvas with distractors, and ground-truth masks of the item, for localisation"
                + " metrics; parameters: split (train or test, default test), size (canvas side, "
                + CanvasOptions.MIN_SIZE + " to " + CanvasOptions.MAX_SIZE + ", default " + CanvasOptions.DEFAULT_SIZE
                + "), seed (default 0), distractors (0 to " + CanvasOptions.MAX_DISTRACTORS + ", default "
                + CanvasOptions.DEFAULT_DISTRACTORS + "), limit (default all), dir (optional, as fashion-mnist)");
    }

    @Override
    public Dataset open(Parameters parameters) {
        parameters.requireOnly(Set.of("dir", "split", "size", "seed", "distractors", "limit"));
        String split = parameters.getChoice("split", "test", Set.of("train", "test"));
        CanvasOptions options = new CanvasOptions(
                parameters.getInt("size", CanvasOptions.DEFAULT_SIZE, CanvasOptions.MIN_SIZE, CanvasOptions.MAX_SIZE),
                parameters.getInt("seed", 0, 0, Integer.MAX_VALUE),
                parameters.getInt("distractors", CanvasOptions.DEFAULT_DISTRACTORS, 0, CanvasOptions.MAX_DISTRACTORS));
        // Checked before the files are searched, so a bad value is reported even without the data.
        int limit = parameters.getInt("limit", Integer.MAX_VALUE, 1, Integer.MAX_VALUE);
        String dir = parameters.getString("dir", null);
        if (dir != null && dir.isBlank()) {
            throw new ConfigurationException("parameter 'dir' of " + ID + " is empty; pass dir=/path/to/fashion-mnist"
                    + " or leave it out to search $" + FashionMnistFiles.DATA_ENV + " and " + systemDir);
        }
        FashionMnistFiles files;
        try {
            files = FashionMnistFiles.locate(dir, environment.get(FashionMnistFiles.DATA_ENV), systemDir, split);
        } catch (ConfigurationException e) {
            throw new ConfigurationException(ID + " is built from Fashion-MNIST (Debian package dataset-fashion-mnist),"
                    + " which was not found. " + e.getMessage(), e);
        }
        Dataset items = FashionMnist.open(files, split);
        if (parameters.has("limit") && limit > items.size()) {
            throw new ConfigurationException("invalid value '" + limit + "' for parameter 'limit' of " + ID
                    + "; allowed: 1 to " + items.size() + ", the size of the " + split + " split");
        }
        return new CanvasDataset(ID + "/" + split, split, items, Math.min(limit, items.size()), options);
    }
}
